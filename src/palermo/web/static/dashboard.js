// Draws the dashboard's charts (Chart.js) and map (Leaflet, countries from world-atlas via topojson-client).
// Everything is served by this node; without JavaScript the same figures are in the tables.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);

  // colour: one colour, or [usual, protective] chosen by each row's third value (protective), which the label
  // also says in words
  function bar(id, pairs, colour, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) { return; }
    var colours = Array.isArray(colour)
      ? pairs.map(function (p) { return p[2] ? colour[1] : colour[0]; }) : colour;
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: pairs.map(function (p) { return p[0]; }),
              datasets: [{ data: pairs.map(function (p) { return p[1]; }), backgroundColor: colours }] },
      options: { indexAxis: horizontal ? "y" : "x", animation: false, responsive: true, maintainAspectRatio: false,
                 plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
    });
    canvas.dataset.drawn = "true";
  }

  function map() {
    var element = document.getElementById("map");
    if (!element || !window.L || !window.topojson) { return; }
    var leaflet = window.L.map(element, { worldCopyJump: true, attributionControl: false }).setView([45, 15], 3);
    fetch("/web/static/vendor/countries-110m.json").then(function (r) { return r.json(); }).then(function (world) {
      var countries = window.topojson.feature(world, world.objects.countries);
      window.L.geoJSON(countries, { style: { color: "#6f777b", weight: 1, fillColor: "#f3f2f1", fillOpacity: 1 } })
        .addTo(leaflet);
      var largest = Math.max.apply(null, [1].concat(data.points.map(function (p) { return p.travel; })));
      var bounds = [];
      data.points.forEach(function (p) {
        var radius = 4 + 26 * Math.sqrt(p.travel / largest);
        window.L.circleMarker([p.lat, p.lon], { radius: radius, color: p.alerts ? "#6e0a13" : "#003078",
                                                weight: p.alerts ? 3 : 1,
                                                fillColor: p.alerts ? "#b10e1e" : "#1d70b8", fillOpacity: 0.6 })
          .bindTooltip(p.code + " " + p.name + ": " + p.travel + " travel events, " + p.alerts + " alerts")
          .addTo(leaflet);
        bounds.push([p.lat, p.lon]);
      });
      if (bounds.length) { leaflet.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 }); }
      element.dataset.drawn = "true";
    });
  }

  bar("chart-travel", data.travel_per_day, "#1d70b8", false);
  bar("chart-alerts", data.alerts_per_day, "#b10e1e", false);
  bar("chart-decisions", data.alerts_per_decision, ["#6b4e00", "#4c2c92"], false);
  bar("chart-indicators", data.alerts_per_signal, ["#6b4e00", "#4c2c92"], true);
  map();
})();
