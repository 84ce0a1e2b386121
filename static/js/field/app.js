// The offline field app (templates/field/app.html): the households, distributions, assets and
// surveys of the downloaded data, forms that put records into the outbox, and the outbox itself.
// Everything is drawn with textContent, never as HTML: the data comes from people's typing.
(function () {
  "use strict";
  const T = JSON.parse(document.getElementById("field-strings").textContent);
  const CONFIG = JSON.parse(document.getElementById("field-config").textContent);
  const view = document.querySelector("[data-view]");
  const PAGE = 50; // households shown at once: a commune has hundreds
  const SIGNATURE_BYTES = 300 * 1024;
  let outbox = null;
  let stored = null; // {user, downloadedAt, data}
  let records = []; // the outbox
  let sent = []; // recently sent

  // --- Small helpers -------------------------------------------------------------------------
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function h(tag, attributes, children) {
    const element = document.createElement(tag);
    Object.entries(attributes || {}).forEach(function ([name, value]) {
      if (value === null || value === undefined || value === false) return;
      if (name === "text") element.textContent = value;
      else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach((child) => child && element.append(child));
    return element;
  }

  function fold(text) {
    return String(text || "")
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d");
  }

  const pad = (n) => String(n).padStart(2, "0");

  function today() {
    const now = new Date();
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function shown(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return match ? `${match[3]}/${match[2]}/${match[1]}` : "";
  }

  // A typed dd/mm/yyyy (or d/m/yyyy) as an ISO date, or null when it is no real day.
  function typed(text) {
    const match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text || "");
    if (!match) return null;
    const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
    return `${year}-${pad(month)}-${pad(day)}`;
  }

  function when(value) {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return "";
    return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }

  function megabytes(bytes) {
    const lang = document.documentElement.lang || "vi";
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 }).format(bytes / 1048576);
    } catch (error) {
      return `${(bytes / 1048576).toFixed(1)} MB`;
    }
  }

  function data() {
    return stored ? stored.data : null;
  }

  function mine() {
    return records.filter((record) => record.user === BacungField.user);
  }

  function note(text, kind) {
    return h("p", { class: `alert alert-${kind || "info"} field-note`, role: "status", text: text });
  }

  function heading(text) {
    return h("h2", { class: "h4 field-heading", tabindex: "-1", text: text });
  }

  function backLink(hash) {
    return h("a", { class: "btn btn-outline-secondary field-back", href: hash, text: T.back });
  }

  // --- The status line ----------------------------------------------------------------------
  function status() {
    const online = navigator.onLine;
    const network = document.querySelector("[data-status-network]");
    network.textContent = online ? T.online : T.offline;
    network.classList.toggle("field-offline", !online);
    document.querySelector("[data-status-data]").textContent = stored
      ? fmt(T.downloaded, { when: when(stored.downloadedAt) })
      : T.not_downloaded;
    if (navigator.storage && navigator.storage.estimate) {
      navigator.storage.estimate().then(function (estimate) {
        document.querySelector("[data-status-storage]").textContent = fmt(T.storage, {
          used: megabytes(estimate.usage || 0),
          quota: megabytes(estimate.quota || 0),
        });
      });
    }
    if (navigator.storage && navigator.storage.persisted) {
      navigator.storage.persisted().then(function (kept) {
        document.querySelector("[data-status-persist]").textContent = kept ? T.persisted : T.not_persisted;
      });
    }
    const count = mine().filter((record) => outbox.SENDABLE.has(record.state)).length;
    document.querySelectorAll("[data-tab-count]").forEach((badge) => {
      badge.textContent = mine().length ? String(mine().length) : "";
    });
    return count;
  }

  function askToKeep() {
    if (navigator.storage && navigator.storage.persist) {
      return navigator.storage.persist().catch(() => false).then(status);
    }
    return Promise.resolve();
  }

  async function download() {
    const message = document.querySelector("[data-download-message]");
    message.textContent = T.downloading;
    askToKeep();
    let response;
    try {
      response = await fetch(CONFIG.data_url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch (error) {
      message.textContent = T.download_failed;
      return;
    }
    if (response.status === 401) {
      message.replaceChildren(T.download_login + " ", h("a", { href: CONFIG.login_url, text: T.log_in_again }));
      return;
    }
    if (response.status === 403) {
      message.textContent = T.download_refused;
      return;
    }
    let fresh = null;
    try {
      fresh = response.ok ? await response.json() : null;
    } catch (error) {
      fresh = null;
    }
    if (!fresh || !fresh.user) {
      message.textContent = T.download_failed;
      return;
    }
    const theirs = records.filter((record) => record.user !== fresh.user.id);
    if (theirs.length && !window.confirm(T.other_account)) {
      message.textContent = "";
      return;
    }
    await outbox.saveData(fresh);
    message.textContent = T.download_done;
    await reload();
  }

  // --- Households and their concerns --------------------------------------------------------
  function householdCard(household) {
    const flags = [household.poverty_label];
    if (household.policy_family) flags.push(T.policy_family);
    if (household.in_difficulty) flags.push(T.in_difficulty);
    return h("li", {}, [
      h("a", { class: "card card-body field-card", href: `#household-${household.id}` }, [
        h("span", { class: "field-card-title", text: `${household.head}` }),
        h("span", { class: "field-code", text: household.code }),
        h("span", { text: household.village }),
        h("span", { class: "field-muted", text: flags.filter(Boolean).join(" · ") }),
      ]),
    ]);
  }

  function households() {
    const search = h("input", { type: "search", id: "field-search", class: "form-control form-control-lg", autocomplete: "off" });
    const list = h("ul", { class: "field-list", "data-households": true });
    const more = h("p", { class: "field-muted" });
    function fill() {
      const words = fold(search.value).split(/\s+/).filter(Boolean);
      const found = data().households.filter((household) => words.every((word) => household.search.includes(word)));
      list.replaceChildren(...found.slice(0, PAGE).map(householdCard));
      more.textContent = found.length > PAGE ? fmt(T.more_results, { count: found.length - PAGE }) : "";
      if (!found.length) list.replaceChildren(h("li", { text: T.no_households }));
    }
    search.addEventListener("input", fill);
    view.replaceChildren(
      heading(T.households),
      h("label", { for: "field-search", class: "form-label", text: T.search }),
      search,
      list,
      more
    );
    fill();
  }

  function byId(list, id) {
    return list.find((item) => String(item.id) === String(id));
  }

  function dateField(id, label) {
    return [
      h("label", { for: id, class: "form-label", text: label }),
      h("input", { type: "text", id: id, class: "form-control", inputmode: "numeric", value: shown(today()), placeholder: "dd/mm/yyyy", required: true }),
    ];
  }

  function choiceField(id, label, choices) {
    return [
      h("label", { for: id, class: "form-label", text: label }),
      h("select", { id: id, class: "form-select" }, choices.map(([value, text]) => h("option", { value: value, text: text }))),
    ];
  }

  // A form whose Save puts one record into the outbox; ``build`` returns the record or an error.
  function recordForm(fields, build) {
    const message = h("div", { "data-form-message": true, "aria-live": "polite" });
    const form = h("form", { class: "card card-body field-form", novalidate: true }, [
      ...fields,
      h("button", { type: "submit", class: "btn btn-primary btn-lg w-100 field-primary", text: T.save }),
      message,
    ]);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const made = build(form);
      if (made.error) {
        message.replaceChildren(note(made.error, "danger"));
        return;
      }
      await save(made);
      form.reset();
      form.querySelectorAll("input[inputmode=numeric]").forEach((input) => {
        input.value = shown(today());
      });
      message.replaceChildren(note(T.saved, "success"));
    });
    return form;
  }

  async function save(made) {
    await outbox.record(stored.user.id, made.kind, made.base, made.data, made.label);
    BacungField.sendLater();
    BacungField.send();
  }

  function household(id) {
    const found = byId(data().households, id);
    if (!found) return households();
    const form = recordForm(
      [
        ...choiceField("concern-kind", T.concern_kind, data().choices.concern_kinds),
        ...dateField("concern-date", T.raised_on),
        h("label", { for: "concern-text", class: "form-label", text: T.concern_text }),
        h("textarea", { id: "concern-text", class: "form-control", rows: "4", required: true }),
      ],
      function (form) {
        const raised = typed(form.querySelector("#concern-date").value);
        const text = form.querySelector("#concern-text").value.trim();
        if (!raised) return { error: T.bad_date };
        if (!text) return { error: T.required };
        return {
          kind: "concern",
          base: {},
          data: { household: found.id, kind: form.querySelector("#concern-kind").value, raised_on: raised, text: text },
          label: `${found.code} · ${found.head}`,
        };
      }
    );
    view.replaceChildren(
      backLink("#households"),
      heading(`${found.head} · ${found.code}`),
      h("p", { text: [found.village, found.poverty_label].filter(Boolean).join(" · ") }),
      h("h3", { class: "h5", text: T.record_concern }),
      form
    );
  }

  // --- Distributions and receipts -----------------------------------------------------------
  function distributions() {
    const list = data().distributions;
    view.replaceChildren(
      heading(T.distributions),
      list.length
        ? h("ul", { class: "field-list" }, list.map(function (distribution) {
            const open = distribution.receipts.filter((receipt) => !receipt.confirmed).length;
            return h("li", {}, [
              h("a", { class: "card card-body field-card", href: `#distribution-${distribution.id}` }, [
                h("span", { class: "field-card-title", text: distribution.title }),
                h("span", { class: "field-code", text: distribution.code }),
                h("span", { text: [shown(distribution.distributed_on), distribution.status_label].filter(Boolean).join(" · ") }),
                h("span", { class: "field-muted", text: fmt(T.open_receipts, { count: open }) }),
              ]),
            ]);
          }))
        : h("p", { text: T.no_distributions })
    );
  }

  // The latest record, waiting or sent, that the person made about a target.
  function pending(kind, match) {
    const waiting = mine().filter((record) => record.kind === kind && match(record.data));
    if (waiting.length) return { state: waiting[waiting.length - 1].state, record: waiting[waiting.length - 1] };
    const done = sent.filter((record) => record.kind === kind && match(record.data) && record.user === BacungField.user);
    return done.length ? { state: done[done.length - 1].status, record: done[done.length - 1] } : null;
  }

  function receiptState(receipt) {
    if (receipt.confirmed) return h("p", { class: "field-done", text: fmt(T.confirmed_on, { when: when(receipt.confirmed_at) }) });
    const made = pending("receipt_confirm", (d) => String(d.receipt) === String(receipt.id));
    if (made) return h("p", { class: `field-state field-state-${made.state}`, "data-receipt-state": made.state, text: T[`state_${made.state}`] || made.state });
    return null;
  }

  function receiptCard(distribution, receipt) {
    const state = receiptState(receipt);
    const children = [
      h("span", { class: "field-card-title", text: receipt.head }),
      h("span", { class: "field-code", text: receipt.household_code }),
      h("span", { text: receipt.items }),
      receipt.not_delivered ? h("span", { class: "field-muted", text: T.not_delivered }) : null,
    ];
    if (state) return h("li", { class: "card card-body field-card", "data-receipt": receipt.id }, [...children, state]);
    const photoId = `signature-${receipt.id}`;
    let signature = null;
    const preview = h("img", { class: "field-signature", alt: "", hidden: true });
    const problem = h("p", { class: "text-danger", "aria-live": "polite" });
    const photo = h("input", { type: "file", id: photoId, accept: "image/*", capture: "environment", class: "form-control" });
    photo.addEventListener("change", async function () {
      problem.textContent = "";
      signature = null;
      preview.hidden = true;
      if (!photo.files.length) return;
      try {
        signature = await shrink(photo.files[0]);
        preview.src = signature;
        preview.hidden = false;
      } catch (error) {
        problem.textContent = T.photo_failed;
      }
    });
    const button = h("button", { type: "button", class: "btn btn-primary btn-lg w-100 field-primary", "data-confirm-receipt": receipt.id, text: T.confirm_received });
    button.addEventListener("click", async function () {
      button.disabled = true;
      const payload = { receipt: receipt.id };
      if (signature) payload.signature = signature;
      await save({
        kind: "receipt_confirm",
        base: { version: receipt.version },
        data: payload,
        label: `${receipt.household_code} · ${receipt.head} · ${distribution.code}`,
      });
    });
    return h("li", { class: "card card-body field-card", "data-receipt": receipt.id }, [
      ...children,
      h("label", { for: photoId, class: "form-label", text: T.signature }),
      photo,
      preview,
      problem,
      button,
    ]);
  }

  function distribution(id) {
    const found = byId(data().distributions, id);
    if (!found) return distributions();
    view.replaceChildren(
      backLink("#distributions"),
      heading(found.title),
      h("p", { text: [found.code, shown(found.distributed_on), found.status_label].filter(Boolean).join(" · ") }),
      h("h3", { class: "h5", text: T.receipts }),
      h("ul", { class: "field-list" }, found.receipts.map((receipt) => receiptCard(found, receipt)))
    );
  }

  // A photo of the signature as a JPEG data URL of at most ~300 KB: smaller sides, then quality.
  async function shrink(file) {
    const picture = await decode(file);
    let side = 1280;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const scale = Math.min(1, side / Math.max(picture.width, picture.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(picture.width * scale));
      canvas.height = Math.max(1, Math.round(picture.height * scale));
      canvas.getContext("2d").drawImage(picture, 0, 0, canvas.width, canvas.height);
      const url = canvas.toDataURL("image/jpeg", attempt < 4 ? 0.8 - attempt * 0.1 : 0.5);
      if ((url.length - url.indexOf(",") - 1) * 0.75 <= SIGNATURE_BYTES) return url;
      if (attempt >= 3) side = Math.round(side * 0.75);
    }
    throw new Error("too big");
  }

  // createImageBitmap needs no blob: URL, which the Content-Security-Policy does not allow.
  function decode(file) {
    if (window.createImageBitmap) return createImageBitmap(file);
    return new Promise(function (resolve, reject) {
      const reader = new FileReader();
      reader.onload = function () {
        const image = new Image();
        image.onload = () => resolve(image);
        image.onerror = reject;
        image.src = reader.result;
      };
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
  }

  // --- Assets -------------------------------------------------------------------------------
  function assets() {
    const list = data().assets;
    view.replaceChildren(
      heading(T.assets),
      list.length
        ? h("ul", { class: "field-list" }, list.map((asset) =>
            h("li", {}, [
              h("a", { class: "card card-body field-card", href: `#asset-${asset.id}` }, [
                h("span", { class: "field-card-title", text: asset.name }),
                h("span", { class: "field-code", text: asset.code }),
                h("span", { text: [asset.village, asset.status_label].filter(Boolean).join(" · ") }),
              ]),
            ])
          ))
        : h("p", { text: T.no_assets })
    );
  }

  function asset(id) {
    const found = byId(data().assets, id);
    if (!found) return assets();
    const form = recordForm(
      [
        ...choiceField("log-kind", T.log_kind, data().choices.asset_log_kinds),
        ...dateField("log-date", T.happened_on),
        h("label", { for: "log-note", class: "form-label", text: T.note }),
        h("textarea", { id: "log-note", class: "form-control", rows: "3" }),
      ],
      function (form) {
        const happened = typed(form.querySelector("#log-date").value);
        if (!happened) return { error: T.bad_date };
        return {
          kind: "asset_log",
          base: { version: found.version },
          data: { asset: found.id, kind: form.querySelector("#log-kind").value, happened_on: happened, note: form.querySelector("#log-note").value.trim() },
          label: `${found.code} · ${found.name}`,
        };
      }
    );
    view.replaceChildren(
      backLink("#assets"),
      heading(`${found.name} · ${found.code}`),
      h("p", { text: [found.village, found.status_label].filter(Boolean).join(" · ") }),
      h("h3", { class: "h5", text: T.record_asset }),
      form
    );
  }

  // --- Surveys ------------------------------------------------------------------------------
  function surveyTitle(survey) {
    const family = byId(data().households, survey.household);
    return family ? `${family.head} · ${family.code}` : survey.campaign;
  }

  function surveys() {
    const list = data().surveys;
    view.replaceChildren(
      heading(T.surveys),
      list.length
        ? h("ul", { class: "field-list" }, list.map((survey) =>
            h("li", {}, [
              h("a", { class: "card card-body field-card", href: `#survey-${survey.id}` }, [
                h("span", { class: "field-card-title", text: surveyTitle(survey) }),
                h("span", { text: survey.campaign }),
              ]),
            ])
          ))
        : h("p", { text: T.no_surveys })
    );
  }

  function survey(id) {
    const found = byId(data().surveys, id);
    if (!found) return surveys();
    view.replaceChildren(
      backLink("#surveys"),
      heading(surveyTitle(found)),
      h("p", { text: found.campaign }),
      h("h3", { class: "h5", text: T.survey_sections }),
      h("ul", { class: "field-list" }, found.sections.map(function (section) {
        const made = pending("survey_section", (d) => String(d.survey) === String(found.id) && d.section === section.name);
        return h("li", {}, [
          h("a", { class: "card card-body field-card", href: `#survey-${found.id}-${section.name}` }, [
            h("span", { class: "field-card-title", text: section.label }),
            made ? h("span", { class: `field-state field-state-${made.state}`, text: T[`state_${made.state}`] || "" }) : null,
          ]),
        ]);
      }))
    );
  }

  function surveyInput(field, value, id) {
    if (field.type === "select") {
      // An empty choice while nothing is chosen: a first choice picked by default would be
      // saved as if the family had said it.
      const empty = !field.required || value === null || value === undefined || value === "";
      const options = empty ? [h("option", { value: "", text: "—" })] : [];
      return h("select", { id: id, class: "form-select", required: field.required }, options.concat(
        (field.choices || []).map(([choice, text]) => h("option", { value: choice, text: text, selected: String(value) === String(choice) }))
      ));
    }
    if (field.type === "checkbox") return h("input", { type: "checkbox", id: id, class: "form-check-input", checked: Boolean(value) });
    if (field.type === "date") return h("input", { type: "text", id: id, class: "form-control", inputmode: "numeric", placeholder: "dd/mm/yyyy", value: shown(value) });
    if (field.type === "number") return h("input", { type: "number", id: id, class: "form-control", step: "any", value: value === null || value === undefined ? "" : value });
    return h("input", { type: "text", id: id, class: "form-control", value: value || "" });
  }

  function surveyField(field, value) {
    const id = `survey-field-${field.name}`;
    const input = surveyInput(field, value, id);
    input.dataset.field = field.name;
    if (field.type === "checkbox") {
      return h("div", { class: "form-check field-check" }, [input, h("label", { for: id, class: "form-check-label", text: field.label })]);
    }
    return h("div", { class: "field-row" }, [h("label", { for: id, class: "form-label", text: field.label }), input]);
  }

  // Read one field back as the server expects it: a string, a number, an ISO date or a boolean.
  function surveyValue(field, input) {
    if (field.type === "checkbox") return { value: input.checked };
    const text = input.value.trim();
    if (!text) return field.required ? { error: `${field.label}: ${T.required}` } : { value: null };
    if (field.type === "date") {
      const iso = typed(text);
      return iso ? { value: iso } : { error: `${field.label}: ${T.bad_date}` };
    }
    if (field.type === "number") return { value: Number(text) };
    return { value: text };
  }

  function surveySection(id, name) {
    const found = byId(data().surveys, id);
    const section = found && found.sections.find((s) => s.name === name);
    if (!section) return survey(id);
    const made = pending("survey_section", (d) => String(d.survey) === String(found.id) && d.section === name);
    const saved = made && made.record.data ? made.record.data.fields : null;
    const form = recordForm(
      section.fields.map((field) => surveyField(field, saved && field.name in saved ? saved[field.name] : field.value)),
      function (form) {
        const values = {};
        for (const field of section.fields) {
          const read = surveyValue(field, form.querySelector(`[data-field="${field.name}"]`));
          if (read.error) return { error: read.error };
          values[field.name] = read.value;
        }
        return {
          kind: "survey_section",
          base: { version: found.version },
          data: { survey: found.id, section: name, fields: values },
          label: `${surveyTitle(found)} · ${section.label}`,
        };
      }
    );
    form.querySelector("button[type=submit]").textContent = T.save_section;
    view.replaceChildren(backLink(`#survey-${found.id}`), heading(section.label), h("p", { text: surveyTitle(found) }), form);
  }

  // --- The outbox ---------------------------------------------------------------------------
  function versions(title, values) {
    return h("div", { class: "field-version" }, [
      h("h4", { class: "h6", text: title }),
      h("dl", {}, Object.entries(values || {}).flatMap(([label, value]) => [
        h("dt", { text: label }),
        h("dd", { text: value === null || value === undefined || value === "" ? "—" : String(value) }),
      ])),
    ]);
  }

  function errorsOf(errors) {
    const lines = Object.values(errors || {}).flat().filter(Boolean);
    return lines.length ? h("ul", { class: "field-errors" }, lines.map((line) => h("li", { text: String(line) }))) : null;
  }

  function action(text, handler, style) {
    return h("button", { type: "button", class: `btn ${style || "btn-outline-primary"} field-action`, text: text, onclick: handler });
  }

  function discardButton(record, text, question) {
    return action(text, async function () {
      if (window.confirm(question)) await outbox.discard(record.seq);
    }, "btn-outline-danger");
  }

  function outboxCard(record) {
    const state = h("p", { class: `field-state field-state-${record.state}`, text: T[`state_${record.state}`] || record.state });
    const parts = [
      h("span", { class: "field-card-title", text: record.label }),
      h("span", { text: T[`kind_${record.kind}`] || record.kind }),
      h("span", { class: "field-muted", text: fmt(T.recorded_at, { when: when(record.recorded_at) }) }),
      state,
      record.message ? h("p", { class: "field-message", text: record.message }) : null,
      record.error ? h("p", { class: "field-message", text: T.state_error }) : null,
      errorsOf(record.errors),
    ];
    const buttons = [];
    if (record.state === "conflict") {
      parts.push(h("div", { class: "field-versions" }, [versions(T.server_version, record.server), versions(T.my_version, record.mine)]));
      buttons.push(discardButton(record, T.keep_server, T.keep_server_question));
      buttons.push(action(T.send_mine, () => outbox.retry(record.seq, "mine").then(BacungField.send), "btn-primary"));
    } else {
      if (record.state === "login") parts.push(h("a", { class: "btn btn-primary field-action", href: CONFIG.login_url, text: T.log_in_again }));
      if (record.state === "refused" || record.state === "invalid") {
        buttons.push(action(T.retry, () => outbox.retry(record.seq).then(BacungField.send)));
      }
      if (record.state !== "sending") buttons.push(discardButton(record, T.discard, T.discard_question));
    }
    return h("li", { class: "card card-body field-card", "data-outbox-record": record.client_id, "data-state": record.state }, [
      ...parts,
      h("div", { class: "field-actions" }, buttons),
    ]);
  }

  function outboxView() {
    const list = mine();
    const waiting = list.filter((record) => outbox.SENDABLE.has(record.state)).length;
    const done = sent.filter((record) => record.user === BacungField.user).slice().reverse();
    view.replaceChildren(
      heading(T.outbox),
      h("p", { class: "field-count", "data-waiting-count": waiting, text: fmt(T.waiting_count, { count: waiting }) }),
      action(T.send_now, () => BacungField.send(), "btn-primary btn-lg w-100 field-primary"),
      list.length ? h("ul", { class: "field-list", "data-outbox": true }, list.map(outboxCard)) : h("p", { text: T.empty_outbox }),
      done.length ? h("h3", { class: "h5", text: T.sent_recently }) : null,
      done.length
        ? h("ul", { class: "field-list field-sent" }, done.map((record) =>
            h("li", { "data-sent": record.client_id }, [
              h("span", { text: record.label }),
              h("span", { class: "field-muted", text: ` · ${T[`state_${record.status}`] || record.status} · ${when(record.sent_at)}` }),
            ])
          ))
        : null
    );
  }

  // --- Routing ------------------------------------------------------------------------------
  const ROUTES = [
    [/^#household-(\d+)$/, (m) => household(m[1])],
    [/^#distributions$/, () => distributions()],
    [/^#distribution-(\d+)$/, (m) => distribution(m[1])],
    [/^#assets$/, () => assets()],
    [/^#asset-(\d+)$/, (m) => asset(m[1])],
    [/^#surveys$/, () => surveys()],
    [/^#survey-(\d+)$/, (m) => survey(m[1])],
    [/^#survey-(\d+)-([\w-]+)$/, (m) => surveySection(m[1], m[2])],
  ];

  function draw() {
    const hash = window.location.hash || "#households";
    document.querySelectorAll("[data-tab]").forEach((tab) => {
      const current = hash.startsWith(tab.getAttribute("href").replace(/s$/, ""));
      if (current) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    });
    status();
    if (hash === "#outbox") return outboxView();
    if (!data()) return view.replaceChildren(note(T.not_downloaded, "warning"));
    const route = ROUTES.find(([pattern]) => pattern.test(hash));
    return route ? route[1](route[0].exec(hash)) : households();
  }

  // Redraw what shows the outbox when it changes; a form keeps what the person sees in it (the
  // note that it was saved, or what they are typing).
  const FORMS = /^#(household-\d+|asset-\d+|survey-\d+-[\w-]+)$/;

  function redraw() {
    if (FORMS.test(window.location.hash) && view.querySelector("form")) return status();
    return draw();
  }

  async function reload() {
    [stored, records, sent] = await Promise.all([outbox.loadData(), outbox.outbox(), outbox.sent()]);
    redraw();
  }

  async function begin() {
    const started = await BacungField.ready;
    outbox = window.BacungOutbox;
    if (started.state === "expired") {
      document.querySelector("[data-download-message]").textContent = T.expired;
    }
    document.querySelector("[data-download]").addEventListener("click", download);
    window.addEventListener("hashchange", function () {
      draw();
      const title = view.querySelector("h2");
      if (title) title.focus();
    });
    window.addEventListener("online", status);
    window.addEventListener("offline", status);
    outbox.onChange(reload);
    await reload();
    askToKeep();
  }

  document.addEventListener("DOMContentLoaded", begin);
})();
