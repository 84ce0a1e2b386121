// Money and asset pages: show the goods fields only for a donation of goods; print buttons.
// Loaded as a file (the CSP forbids inline scripts); does nothing on pages without these parts.
(function () {
  "use strict";

  function goodsFieldWrappers() {
    var wrappers = [];
    document.querySelectorAll("[data-goods-field]").forEach(function (input) {
      var wrapper = input.closest(".mb-3") || input.parentElement;
      wrappers.push(wrapper);
    });
    return wrappers;
  }

  function syncGoods() {
    var chosen = document.querySelector("[data-donation-kind]:checked");
    var goods = chosen && chosen.value === "goods";
    goodsFieldWrappers().forEach(function (wrapper) {
      wrapper.hidden = !goods;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var kinds = document.querySelectorAll("[data-donation-kind]");
    if (kinds.length) {
      kinds.forEach(function (radio) {
        radio.addEventListener("change", syncGoods);
      });
      syncGoods();
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });
})();
