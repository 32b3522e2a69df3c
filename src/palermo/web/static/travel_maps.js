// Draws the route map and the hotspot map (Leaflet over the countries of world-atlas via topojson-client, all
// served by this node; no tile server). Without JavaScript the same figures are in the pages' tables.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("travel-map-data").textContent);
  // Journeys per period on the trafficking routes (Chart.js), each route its own colour and dash.
  function volumes() {
    var canvas = document.getElementById("chart-volumes");
    if (!canvas || !window.Chart || !data.volumes || !data.volumes.series.length) { return; }
    var colours = ["#b10e1e", "#1d70b8", "#00703c", "#6b4e00", "#4c2c92", "#d4351c", "#003078", "#505a5f"];
    var dashes = [[], [6, 3], [2, 2], [8, 3, 2, 3]];
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.volumes.periods,
              datasets: data.volumes.series.map(function (s, i) {
                return { label: s[0], data: s[1], borderColor: colours[i % colours.length],
                         backgroundColor: colours[i % colours.length], borderDash: dashes[i % dashes.length],
                         tension: 0, pointRadius: 3 };
              }) },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    canvas.dataset.drawn = "true";
  }
  volumes();

  var element = document.getElementById("route-map") || document.getElementById("hotspot-map");
  if (!element || !window.L || !window.topojson) { return; }
  var ANTARCTICA = "010";
  var RED = "#b10e1e", DARK_RED = "#6e0a13", BLUE = "#1d70b8", DARK_BLUE = "#003078", ORANGE = "#8a4b00";

  // The middle of a country's largest polygon (its bounding box), where a route starts or ends.
  function middle(feature) {
    var polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates]
      : feature.geometry.coordinates;
    var best = null, bestArea = -1;
    polygons.forEach(function (polygon) {
      var lons = polygon[0].map(function (c) { return c[0]; }), lats = polygon[0].map(function (c) { return c[1]; });
      var west = Math.min.apply(null, lons), east = Math.max.apply(null, lons);
      var south = Math.min.apply(null, lats), north = Math.max.apply(null, lats);
      var area = (east - west) * (north - south);
      if (area > bestArea) { bestArea = area; best = [(south + north) / 2, (west + east) / 2]; }
    });
    return best;
  }

  // Outlines that cross the antimeridian (Russia's, Fiji's) would be drawn as stripes across the world: their
  // western longitudes are moved east of 180 degrees. Antarctica, which no route reaches, is left out.
  function unwrapped(countries) {
    countries.features = countries.features.filter(function (f) { return f.id !== ANTARCTICA; });
    countries.features.forEach(function (f) {
      var polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      polygons.forEach(function (polygon) {
        var lons = polygon[0].map(function (c) { return c[0]; });
        if (Math.max.apply(null, lons) - Math.min.apply(null, lons) <= 180) { return; }
        polygon.forEach(function (ring) {
          ring.forEach(function (c) { if (c[0] < 0) { c[0] += 360; } });
        });
      });
    });
    return countries;
  }

  function line(route, places) {
    var latlngs = [];
    if (route.origin && places[route.origin]) { latlngs.push(places[route.origin]); }
    route.path.forEach(function (p) { latlngs.push(p); });
    if (route.destination && places[route.destination]) { latlngs.push(places[route.destination]); }
    return latlngs;
  }

  function drawRoutes(leaflet, places, bounds) {
    var most = Math.max.apply(null, [1].concat(data.routes.map(function (r) { return r.trips; })));
    var ordered = data.routes.filter(function (r) { return !r.trafficking; })
      .concat(data.routes.filter(function (r) { return r.trafficking; }));
    var drawn = 0;
    ordered.forEach(function (r) {
      var latlngs = line(r, places);
      if (latlngs.length < 2) { return; }
      var weight = 2 + 7 * Math.sqrt(r.trips / most);
      window.L.polyline(latlngs, r.trafficking
        ? { color: RED, weight: weight + 1, opacity: 0.9 }
        : { color: BLUE, weight: weight, opacity: 0.55, dashArray: "6 6" })
        .bindTooltip(r.route + ": " + r.trips + " trips, " + r.flagged + " flagged (lift " + r.lift.toFixed(1)
                     + ", q " + r.q.toPrecision(2) + ")" + (r.trafficking ? ": a trafficking route" : ""), { sticky: true })
        .addTo(leaflet);
      r.path.forEach(function (p) {
        window.L.circleMarker(p, { radius: 4, color: r.trafficking ? DARK_RED : DARK_BLUE, weight: 1,
                                   fillColor: "#fff", fillOpacity: 1 }).addTo(leaflet);
      });
      latlngs.forEach(function (p) { bounds.push(p); });
      drawn += 1;
    });
    element.dataset.lines = String(drawn);
  }

  function drawHotspots(leaflet, places, bounds) {
    var most = Math.max.apply(null, [1].concat(data.points.map(function (p) { return p.crossings; })));
    var circles = 0, lines = 0;
    data.routes.forEach(function (r) {
      var latlngs = line(r, places);
      if (latlngs.length < 2) { return; }
      window.L.polyline(latlngs, { color: RED, weight: 3, opacity: 0.7 })
        .bindTooltip(r.route + ": " + r.flagged + " flagged crossings where " + r.expected.toFixed(1)
                     + " were expected", { sticky: true })
        .addTo(leaflet);
      latlngs.forEach(function (p) { bounds.push(p); });
      lines += 1;
    });
    data.points.slice().sort(function (a, b) { return b.crossings - a.crossings; }).forEach(function (p) {
      var radius = 4 + 26 * Math.sqrt(p.crossings / most);
      var style = p.hotspot === "range" ? { color: DARK_RED, weight: 3, fillColor: RED, fillOpacity: 0.6 }
        : p.hotspot === "period" ? { color: ORANGE, weight: 3, dashArray: "4 3", fillColor: "#f5a623", fillOpacity: 0.5 }
        : { color: DARK_BLUE, weight: 1, fillColor: BLUE, fillOpacity: 0.45 };
      style.radius = radius;
      var what = p.hotspot === "range" ? ": a hotspot" : p.hotspot === "period" ? ": a hotspot in some periods" : "";
      window.L.circleMarker([p.lat, p.lon], style)
        .bindTooltip(p.code + " " + p.name + ": " + p.crossings + " crossings, " + p.flagged + " flagged" + what)
        .addTo(leaflet);
      bounds.push([p.lat, p.lon]);
      circles += 1;
    });
    element.dataset.circles = String(circles);
    element.dataset.lines = String(lines);
  }

  var leaflet = window.L.map(element, { worldCopyJump: true, attributionControl: false }).setView([42, 20], 3);
  fetch("/web/static/vendor/countries-110m.json").then(function (r) { return r.json(); }).then(function (world) {
    var countries = unwrapped(window.topojson.feature(world, world.objects.countries));
    window.L.geoJSON(countries, { style: { color: "#6f777b", weight: 1, fillColor: "#f3f2f1", fillOpacity: 1 } })
      .addTo(leaflet);
    var places = {};
    countries.features.forEach(function (f) { if (f.id) { places[f.id] = middle(f); } });
    var bounds = [];
    if (element.id === "route-map") { drawRoutes(leaflet, places, bounds); }
    else { drawHotspots(leaflet, places, bounds); }
    if (bounds.length) { leaflet.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 }); }
    element.dataset.drawn = "true";
  });
})();
