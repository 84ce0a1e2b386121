{% autoescape off %}// Ba Cùng's service worker (served by field.views.service_worker at /sw.js, scope "/").
// It keeps the offline app's shell and the static files, answers navigations from the network
// and, without a signal, with the kept shell; and it sends the outbox on a Background Sync.
// The API (/field/api/) is never answered from a cache: the page stores the data in IndexedDB.
"use strict";
importScripts("{{ workbox }}", "{{ outbox }}");

const CONFIG = {{ config }};
const SHELL_CACHE = self.BacungOutbox.SHELL_CACHE;

workbox.setConfig({ modulePathPrefix: "{{ workbox_prefix }}", debug: false });
workbox.core.setCacheNameDetails({ prefix: "bacung" });
self.skipWaiting();
workbox.core.clientsClaim();

// The shell's static files, by their revision (the page asks for the same URLs).
workbox.precaching.precacheAndRoute({{ precache }});
workbox.precaching.cleanupOutdatedCaches();

// Other static files, as pages ask for them: no personal data in them.
const staticStrategy = CONFIG.static_hashed ? workbox.strategies.CacheFirst : workbox.strategies.StaleWhileRevalidate;
workbox.routing.registerRoute(
  ({ url, request }) => url.origin === self.location.origin && url.pathname.startsWith(CONFIG.static_url) && request.method === "GET",
  new staticStrategy({
    cacheName: "bacung-static",
    plugins: [
      new workbox.cacheableResponse.CacheableResponsePlugin({ statuses: [200] }),
      new workbox.expiration.ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 60 * 60 * 24 * 60 }),
    ],
  })
);

// Keep the shell only as the logged-in person received it: a redirect to the login page is not it.
const shellOnly = {
  cacheWillUpdate: async ({ response }) => (response && response.status === 200 && !response.redirected ? response : null),
};
const shellStrategy = new workbox.strategies.NetworkFirst({
  cacheName: SHELL_CACHE,
  networkTimeoutSeconds: 6,
  plugins: [shellOnly],
});

function offlinePage() {
  const page = "<!DOCTYPE html><meta charset=utf-8><meta name=viewport content='width=device-width,initial-scale=1'>" +
    "<title></title><h1></h1><p></p><p><a></a></p>";
  const html = page.replace("<title></title>", "<title>" + escapeHtml(CONFIG.offline_title) + "</title>")
    .replace("<h1></h1>", "<h1>" + escapeHtml(CONFIG.offline_title) + "</h1>")
    .replace("<p></p>", "<p>" + escapeHtml(CONFIG.offline_text) + "</p>")
    .replace("<a></a>", "<a href='" + CONFIG.app_url + "'>Ba Cùng</a>");
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
}

async function keptShell() {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(CONFIG.app_url)) || offlinePage();
}

// Navigations: the network first; without a signal, the kept shell (any address: the app opens).
workbox.routing.registerRoute(
  ({ request }) => request.mode === "navigate",
  async ({ request, url, event }) => {
    if (url.origin === self.location.origin && url.pathname === CONFIG.app_url) {
      try {
        return await shellStrategy.handle({ request, event });
      } catch (error) {
        return offlinePage();
      }
    }
    try {
      return await fetch(request);
    } catch (error) {
      return keptShell();
    }
  }
);

// On installing, keep the shell at once when someone is logged in (a fetch with the cookies).
self.addEventListener("install", (event) => {
  event.waitUntil(
    fetch(CONFIG.app_url, { credentials: "same-origin" })
      .then((response) => shellOnly.cacheWillUpdate({ response }))
      .then((response) => response && caches.open(SHELL_CACHE).then((cache) => cache.put(CONFIG.app_url, response)))
      .catch(() => null)
  );
});

// Background Sync: the browser wakes the worker when the network is back. An open page sends
// its outbox itself and shows how it goes; with none open, the worker sends it.
self.addEventListener("sync", (event) => {
  if (event.tag !== self.BacungOutbox.SYNC_TAG) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      if (windows.length) {
        windows.forEach((client) => client.postMessage({ type: "bacung-flush" }));
        return null;
      }
      return self.BacungOutbox.flushAsSessionUser({ syncUrl: CONFIG.sync_url, tokenUrl: CONFIG.app_url });
    }).then((summary) => {
      // Without a network the browser tries the sync again later.
      if (summary && summary.stopped === "network") throw new Error("offline");
    })
  );
});

{% endautoescape %}
