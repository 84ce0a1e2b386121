// Every page (templates/base.html): keeps the field app's store on this phone in step with who
// is logged in, sends the outbox when a page opens or the network returns, shows the outbox's
// count in the top bar, and empties the store when the person logs out. It loads the outbox
// code (outbox.js) only on a phone that holds field data, so other pages stay light.
(function () {
  "use strict";
  const config = document.currentScript.dataset;
  const FLAG = "bacung-field";
  const user = config.user ? Number(config.user) : null;
  const shell = () => document.querySelector("[data-field-shell]");
  const holds = () => Boolean(window.localStorage && window.localStorage.getItem(FLAG));

  function loadOutbox() {
    if (window.BacungOutbox) return Promise.resolve(window.BacungOutbox);
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = config.outbox;
      script.onload = () => resolve(window.BacungOutbox);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function send() {
    if (!navigator.onLine || user === null) return Promise.resolve(null);
    return loadOutbox().then((outbox) =>
      outbox.flush({ user: user, syncUrl: config.sync, tokenUrl: config.app })
    );
  }

  // Ask the service worker to send when the network is back, even if no page is open then.
  function sendLater() {
    if (!("serviceWorker" in navigator)) return Promise.resolve(null);
    return navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register("outbox"))
      .catch(() => null);
  }

  function badge(outbox) {
    const link = document.querySelector("[data-outbox-badge]");
    if (!link) return;
    outbox.outbox().then(function (records) {
      const mine = records.filter((record) => record.user === user).length;
      link.hidden = mine === 0;
      link.querySelectorAll("[data-outbox-count]").forEach((count) => {
        count.textContent = String(mine);
      });
    });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(config.sw, { scope: "/" }).catch(() => null);
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "bacung-flush") send();
    });
  }

  // Logging out empties the store first (after a question when records wait to be sent).
  function bindLogout() {
    document.querySelectorAll("form").forEach(function (form) {
      if (form.getAttribute("action") !== config.logout) return;
      form.addEventListener("submit", function (event) {
        if (!holds() && !window.BacungOutbox) return;
        event.preventDefault();
        loadOutbox()
          .then((outbox) =>
            outbox.outbox().then(function (records) {
              if (records.length && !window.confirm(config.logoutQuestion)) return false;
              return outbox.clearAll().then(() => true);
            })
          )
          .catch(() => true)
          .then((leave) => leave && form.submit());
      });
    });
  }

  function begin() {
    bindLogout();
    if (!shell() && !holds()) {
      window.BacungField = { ready: Promise.resolve({ state: "none" }), send: send, sendLater: sendLater, user: user };
      return;
    }
    const ready = loadOutbox().then((outbox) =>
      outbox.start(user, Number(config.servedAt) * 1000).then((state) => ({ outbox: outbox, state: state }))
    );
    window.BacungField = { ready: ready, send: send, sendLater: sendLater, user: user };
    ready.then(function (started) {
      if (started.state !== "ready") return;
      if (config.worker === "1") registerWorker();
      badge(started.outbox);
      started.outbox.onChange(() => badge(started.outbox));
      window.addEventListener("online", send);
      send();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", begin);
  } else {
    begin();
  }
})();
