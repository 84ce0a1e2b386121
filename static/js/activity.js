// The activity form: add participant rows, and show only the villages of the chosen
// partnership's commune (the server checks it again). Loaded as a file: the CSP forbids inline
// scripts.
(function () {
  "use strict";

  // "Add a participant": copy the empty row of the formset, numbered as the next form.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-row");
    var template = document.getElementById(prefix + "-empty");
    var rows = document.getElementById(prefix + "-rows");
    var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    if (!template || !rows || !total) {
      return;
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
      total.value = index + 1;
      var added = rows.lastElementChild;
      var first = added && added.querySelector("input[type=text]");
      if (first) {
        first.focus();
      }
    });
  });

  // Villages: only those of the commune of the partnership chosen.
  var partnership = document.getElementById("id_partnership");
  var villages = document.querySelectorAll('input[name="villages"][data-commune]');
  if (!partnership || !villages.length) {
    return;
  }
  function showVillages() {
    var chosen = partnership.options[partnership.selectedIndex];
    var commune = chosen ? chosen.getAttribute("data-commune") : null;
    villages.forEach(function (box) {
      var same = !commune || box.getAttribute("data-commune") === commune;
      var holder = box.closest(".form-check") || box.parentNode;
      holder.hidden = !same;
      if (!same) {
        box.checked = false;
      }
    });
  }
  partnership.addEventListener("change", showVillages);
  showVillages();
})();
