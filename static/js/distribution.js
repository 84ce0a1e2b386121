/* Distribution pages (the CSP allows no inline script):
   - buttons with data-confirm ask before submitting their form;
   - a checkbox with data-check-all="name" ticks every checkbox of that name;
   - a button with data-print prints the page. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
    var print = event.target.closest("[data-print]");
    if (print) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-check-all]");
    if (!all) {
      return;
    }
    var name = all.getAttribute("data-check-all");
    var form = all.form || document;
    form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
