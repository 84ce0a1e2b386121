// Draws the dashboard's charts from the JSON the page carries (no inline script: CSP).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return; // the tables beneath each chart still carry every number
  }
  var data = JSON.parse(source.textContent);
  // Numbers on the axes the way the page's language writes them: 120.000.000 in Vietnamese.
  var locale = document.documentElement.lang === "vi" ? "vi-VN" : "en-GB";
  var colours = ["#8b1e1e", "#2f6f8f", "#c28f2c", "#4d7f3a", "#6d4c8f", "#9a9a9a"];
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      config.options = Object.assign({ locale: locale, responsive: true }, config.options || {});
      new Chart(canvas, config);
    }
  }
  draw("chart-funding", {
    type: "bar",
    data: {
      labels: data.years,
      datasets: data.funders.map(function (name, index) {
        return {
          label: name,
          data: data.funding.map(function (row) { return row[index]; }),
          backgroundColor: colours[index % colours.length],
        };
      }),
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: data.labels.value } } },
    },
  });
  draw("chart-households", {
    type: "line",
    data: {
      labels: data.years,
      datasets: [{ label: data.labels.households, data: data.households, borderColor: colours[1] }],
    },
  });
  draw("chart-improved", {
    type: "bar",
    data: {
      labels: data.years,
      datasets: [
        { label: data.labels.left_poverty, data: data.left_poverty, backgroundColor: colours[3] },
        { label: data.labels.left_near_poverty, data: data.left_near_poverty, backgroundColor: colours[2] },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  draw("chart-participants", {
    type: "bar",
    data: {
      labels: data.years,
      datasets: [{ label: data.labels.participants, data: data.participants, backgroundColor: colours[4] }],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
})();
