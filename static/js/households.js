// Household pages. Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  // The print view's "Print" button.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
