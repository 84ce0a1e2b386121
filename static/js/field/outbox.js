// The field app's store on the phone and its outbox, shared by the pages and the service worker
// (importScripts in /sw.js, a <script> in the pages): one code sends the records, wherever it runs.
//
// IndexedDB "bacung-field": "meta" (the downloaded data, when the server last answered the
// person, the session's user and CSRF token), "outbox" (records made offline, in order) and
// "sent" (the last few records the server took, to show them). No DOM here: it runs in a worker.
(function (root) {
  "use strict";
  const DB_NAME = "bacung-field";
  const SHELL_CACHE = "bacung-field-shell";
  const FLAG = "bacung-field"; // localStorage: this browser holds field data (pages only)
  const SYNC_TAG = "outbox";
  const MAX_SILENCE_MS = 14 * 24 * 60 * 60 * 1000; // no answer from the server for 14 days: forget
  const SENT_KEPT = 20;
  // States a flush sends: waiting, one left "sending" by a flush that was cut off, and those
  // that waited for a new login. Conflicts, refusals and invalid records wait for the person.
  const SENDABLE = new Set(["waiting", "sending", "login"]);
  const listeners = new Set();
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("bacung-outbox") : null;
  let opened = null;

  function open() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          const db = request.result;
          db.createObjectStore("meta");
          db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
          db.createObjectStore("sent", { keyPath: "seq", autoIncrement: true });
        };
        request.onsuccess = function () {
          const db = request.result;
          db.onversionchange = function () {
            db.close();
            opened = null;
          };
          resolve(db);
        };
        request.onerror = function () {
          opened = null;
          reject(request.error);
        };
      });
    }
    return opened;
  }

  // Run ``work(transaction, result)`` in one transaction; resolve with result.value once committed.
  function run(stores, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(stores, mode);
        const result = {};
        work(transaction, result);
        transaction.oncomplete = function () {
          resolve(result.value);
        };
        transaction.onerror = transaction.onabort = function () {
          reject(transaction.error);
        };
      });
    });
  }

  function read(store, make) {
    return run([store], "readonly", function (transaction, result) {
      make(transaction.objectStore(store)).onsuccess = function (event) {
        result.value = event.target.result;
      };
    });
  }

  const metaGet = (key) => read("meta", (store) => store.get(key));
  const metaSet = (key, value) =>
    run(["meta"], "readwrite", (transaction) => transaction.objectStore("meta").put(value, key));
  const outboxAll = () => read("outbox", (store) => store.getAll());
  const sentAll = () => read("sent", (store) => store.getAll());
  const outboxPut = (record) =>
    run(["outbox"], "readwrite", (transaction) => transaction.objectStore("outbox").put(record));

  function outboxAdd(record) {
    return run(["outbox"], "readwrite", function (transaction, result) {
      transaction.objectStore("outbox").add(record).onsuccess = function (event) {
        result.value = event.target.result;
      };
    }).then(function (seq) {
      markHolding();
      changed();
      return seq;
    });
  }

  function outboxDelete(seq) {
    return run(["outbox"], "readwrite", (transaction) =>
      transaction.objectStore("outbox").delete(seq)
    ).then(changed);
  }

  // Move a record the server took to the short "sent" list, in one transaction.
  function markSent(record, status) {
    return run(["outbox", "sent"], "readwrite", function (transaction) {
      transaction.objectStore("outbox").delete(record.seq);
      const sent = transaction.objectStore("sent");
      sent.add({
        client_id: record.client_id,
        kind: record.kind,
        label: record.label,
        data: record.data,
        user: record.user,
        status: status,
        sent_at: Date.now(),
      });
      sent.getAllKeys().onsuccess = function (event) {
        const keys = event.target.result;
        keys.slice(0, Math.max(0, keys.length - SENT_KEPT)).forEach((key) => sent.delete(key));
      };
    });
  }

  function clearStores(stores) {
    return run(stores, "readwrite", function (transaction) {
      stores.forEach((store) => transaction.objectStore(store).clear());
    });
  }

  function forgetShell() {
    return root.caches ? caches.delete(SHELL_CACHE).catch(() => false) : Promise.resolve(false);
  }

  // The downloaded data and the kept shell (it shows the person's name); the outbox stays.
  function clearData() {
    return Promise.all([
      run(["meta", "sent"], "readwrite", function (transaction) {
        // lastContact stays: the 14 days still run for the records left in the outbox.
        ["data", "sessionUser"].forEach((key) =>
          transaction.objectStore("meta").delete(key)
        );
        transaction.objectStore("sent").clear();
      }),
      forgetShell(),
    ]).then(changed);
  }

  // Everything this app keeps on the phone: on logout, for another account, after 14 days.
  function clearAll() {
    return Promise.all([clearStores(["meta", "outbox", "sent"]), forgetShell()]).then(function () {
      if (root.localStorage) root.localStorage.removeItem(FLAG);
      changed();
    });
  }

  function markHolding() {
    if (root.localStorage) root.localStorage.setItem(FLAG, "1");
  }

  function holds() {
    return Boolean(root.localStorage && root.localStorage.getItem(FLAG));
  }

  // The server answered the logged-in person at ``when`` (ms): the 14 days start again.
  function touch(when) {
    return metaGet("lastContact").then((last) =>
      when > (last || 0) ? metaSet("lastContact", when) : null
    );
  }

  // Check what the phone holds against who is logged in, when a page opens.
  // ``user``: the id of the logged-in person, or null on a page for someone logged out.
  // ``servedAt``: when the server made the page (ms); a page from the worker's cache is old.
  async function start(user, servedAt) {
    const last = await metaGet("lastContact");
    if (last && Date.now() - last > MAX_SILENCE_MS) {
      await clearAll();
      return "expired";
    }
    if (user === null) {
      // Logged out here or elsewhere, or the session ran out: the data goes, the unsent
      // records wait for the same person to log in again.
      await clearData();
      await metaSet("sessionUser", null);
      return "logged-out";
    }
    const data = await metaGet("data");
    const records = await outboxAll();
    const others = records.some((record) => record.user !== user);
    if ((data && data.user.id !== user) || others) {
      await clearAll();
    }
    await metaSet("sessionUser", user);
    await touch(servedAt);
    const token = await csrfToken();
    if (token) await metaSet("csrf", token);
    return "ready";
  }

  // Keep the downloaded data; another account's data and records go first.
  async function saveData(data) {
    const stored = await metaGet("data");
    const records = await outboxAll();
    if ((stored && stored.user.id !== data.user.id) || records.some((r) => r.user !== data.user.id)) {
      await clearAll();
    }
    await metaSet("data", { user: data.user, downloadedAt: Date.now(), data: data });
    await metaSet("sessionUser", data.user.id);
    await touch(Date.now());
    markHolding();
    changed();
  }

  // Django's CSRF token, read when sending: a login in between changes it.
  async function csrfToken() {
    if (typeof document !== "undefined") {
      const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      if (match) return decodeURIComponent(match[1]);
    }
    if (root.cookieStore) {
      try {
        const cookie = await root.cookieStore.get("csrftoken");
        if (cookie) return cookie.value;
      } catch (error) {
        // No cookie store here: the token a page kept is used.
      }
    }
    return (await metaGet("csrf")) || "";
  }

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    // Browsers without randomUUID (before 2022): version 4 from getRandomValues.
    const bytes = root.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // Make a record as the person saves it: its id and time are fixed now, once.
  function record(user, kind, base, data, label) {
    return outboxAdd({
      client_id: uuid(),
      kind: kind,
      recorded_at: new Date().toISOString(),
      base: base || {},
      data: data,
      user: user,
      label: label,
      state: "waiting",
      message: "",
    });
  }

  function body(item) {
    const sent = {
      client_id: item.client_id,
      kind: item.kind,
      recorded_at: item.recorded_at,
      base: item.base,
      data: item.data,
    };
    if (item.resolve) sent.resolve = item.resolve;
    return JSON.stringify(sent);
  }

  async function answerOf(response) {
    try {
      const answer = await response.json();
      return answer && typeof answer.status === "string" ? answer : null;
    } catch (error) {
      return null;
    }
  }

  // What an answer means for the record: done (sent), or its new state and whether to stop.
  function outcome(status, answer, redirected) {
    const said = answer || {};
    const message = said.message || "";
    if ((status === 201 || status === 200) && (said.status === "stored" || said.status === "already")) {
      return { done: said.status };
    }
    if (status === 409 && said.status === "conflict") {
      return { state: "conflict", message: message, server: said.server || {}, mine: said.mine || {} };
    }
    if (status === 403 && said.status === "refused") return { state: "refused", message: message };
    if ((status === 422 || status === 400) && answer) {
      return { state: "invalid", message: message, errors: said.errors || {} };
    }
    // 401, a refused CSRF token (a page of HTML), or a login page reached by a redirect.
    if (status === 401 || status === 403 || redirected) {
      return { state: "login", message: message, stop: true };
    }
    return { state: "waiting", message: "", error: status, stop: true };
  }

  // Post one record; a refused CSRF token (the cookie was missing or renewed) is fetched again
  // once, from a page that sets it, and the record sent again.
  async function post(item, options, again) {
    const response = await fetch(options.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": await csrfToken(),
      },
      body: body(item),
    });
    const answer = await answerOf(response);
    if (response.status === 403 && answer && answer.status === "csrf" && !again && options.tokenUrl) {
      await fetch(options.tokenUrl, { credentials: "same-origin" });
      return post(item, options, true);
    }
    return { response: response, answer: answer };
  }

  // Send each sendable record of ``user``, one request each, in the order they were made.
  async function sendAll(options) {
    const summary = { sent: 0, stopped: null };
    const records = await outboxAll();
    for (const item of records) {
      if (!SENDABLE.has(item.state) || item.user !== options.user) continue;
      item.state = "sending";
      await outboxPut(item);
      changed();
      let reply;
      try {
        reply = await post(item, options, false);
      } catch (error) {
        item.state = "waiting";
        await outboxPut(item);
        summary.stopped = "network";
        break;
      }
      const result = outcome(reply.response.status, reply.answer, reply.response.redirected);
      if (result.state !== "login" && result.error === undefined) await touch(Date.now());
      if (result.done) {
        await markSent(item, result.done);
        summary.sent += 1;
        continue;
      }
      Object.assign(item, { server: null, mine: null, errors: null, error: null }, result);
      delete item.stop;
      await outboxPut(item);
      if (result.stop) {
        summary.stopped = result.state === "login" ? "login" : "error";
        break;
      }
    }
    changed();
    return summary;
  }

  // One flush at a time across the tabs and the worker (a second waits, then finds nothing).
  function flush(options) {
    const work = () => sendAll(options);
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request("bacung-outbox", work);
    }
    return work();
  }

  // The worker's flush: for the person the pages last saw logged in, never for someone else.
  async function flushAsSessionUser(options) {
    const user = await metaGet("sessionUser");
    if (user === null || user === undefined) return { sent: 0, stopped: "login" };
    return flush(Object.assign({ user: user }, options));
  }

  // Send a record again: after a refusal was fixed, or with "mine" after a conflict.
  async function retry(seq, resolve) {
    const records = await outboxAll();
    const item = records.find((r) => r.seq === seq);
    if (!item) return;
    item.state = "waiting";
    item.message = "";
    if (resolve) item.resolve = resolve;
    await outboxPut(item);
    changed();
  }

  function changed() {
    listeners.forEach((listener) => listener());
    if (channel) channel.postMessage("changed");
  }

  if (channel) {
    channel.onmessage = function () {
      listeners.forEach((listener) => listener());
    };
  }

  root.BacungOutbox = {
    SHELL_CACHE: SHELL_CACHE,
    SYNC_TAG: SYNC_TAG,
    SENDABLE: SENDABLE,
    clearAll: clearAll,
    clearData: clearData,
    csrfToken: csrfToken,
    discard: outboxDelete,
    flush: flush,
    flushAsSessionUser: flushAsSessionUser,
    holds: holds,
    loadData: () => metaGet("data"),
    metaGet: metaGet,
    onChange: (listener) => listeners.add(listener),
    outbox: outboxAll,
    record: record,
    retry: retry,
    saveData: saveData,
    sent: sentAll,
    start: start,
  };
})(self);
