// The post form: show the village or the donor choice only for the audience that needs it.
(function () {
  "use strict";
  var form = document.querySelector("[data-post-form]");
  if (!form) return;
  var audience = form.querySelector("[name=audience]");
  var targets = { village: "village", partner: "partner" };
  function wrapper(name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.closest(".mb-3") || field.parentElement : null;
  }
  function update() {
    Object.keys(targets).forEach(function (name) {
      var box = wrapper(name);
      if (box) box.hidden = audience.value !== targets[name];
    });
  }
  if (audience) {
    audience.addEventListener("change", update);
    update();
  }
})();
