// Follow a background job: poll its status every second and a half until it finishes.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  function part(name) { return box.querySelector('[data-job="' + name + '"]'); }
  function show(state) {
    part("status_label").textContent = state.status_label;
    part("progress").textContent = state.progress;
    part("total").textContent = state.total;
    part("message").textContent = state.message;
    var explanation = part("explanation");
    explanation.textContent = state.explanation || "";
    explanation.hidden = !state.explanation;
    explanation.classList.toggle("alert-danger", !!state.failed);
    explanation.classList.toggle("alert-warning", !state.failed);
    var bar = part("bar");
    bar.max = state.total || 1;
    bar.value = state.total ? state.progress : (state.finished ? 1 : 0);
    if (state.download) { part("download").href = state.download; part("download-wrap").hidden = false; }
    if (state.next) { part("next").href = state.next; part("next-wrap").hidden = false; }
    if (state.errors && state.errors.length) {
      var list = part("errors");
      list.textContent = "";
      state.errors.forEach(function (error) {
        var item = document.createElement("li");
        item.textContent = typeof error === "string" ? error : JSON.stringify(error);
        list.appendChild(item);
      });
      part("errors-wrap").hidden = false;
    }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) { show(state); if (!state.finished) { setTimeout(poll, 1500); } })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (box.dataset.finished !== "1") { setTimeout(poll, 500); }
})();
