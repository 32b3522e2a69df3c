// Draws a network page's graph (cytoscape, built from npm and served by this node) from the JSON in #network-data.
// Actors (identities, person records, organisations) are blue circles, shared things (phones, addresses, bookings,
// payers ...) grey squares; the centre and the three strongest key players are larger and dark red. Selecting an actor opens the network
// around it. Without JavaScript the same ties are in the table below the graph.
(function () {
  "use strict";
  var element = document.getElementById("network-graph");
  var source = document.getElementById("network-data");
  if (!element || !source || !window.cytoscape) { return; }
  var data = JSON.parse(source.textContent);
  var actors = { identity: true, person: true, organisation: true };
  var elements = data.nodes.map(function (n) {
    var classes = [actors[n.kind] ? "actor" : "thing"];
    if (n.centre || (n.player && n.player <= 3)) { classes.push("key"); }
    return { group: "nodes", classes: classes.join(" "),
             data: { id: n.id, label: n.label, href: n.href || "", player: n.player || 0 } };
  }).concat(data.edges.map(function (e, i) {
    return { group: "edges", data: { id: "e" + i, source: e.source, target: e.target,
                                     label: e.kind.replace(/_/g, " "), weight: e.weight } };
  }));
  var graph = window.cytoscape({
    container: element,
    elements: elements,
    minZoom: 0.2,
    maxZoom: 1.6,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-valign": "bottom",
                                   "text-margin-y": 4, "color": "#0b0c0c", "text-wrap": "ellipsis",
                                   "text-max-width": 140, "width": 18, "height": 18 } },
      { selector: "node.actor", style: { "background-color": "#1d70b8", "shape": "ellipse" } },
      { selector: "node.thing", style: { "background-color": "#b1b4b6", "shape": "round-rectangle",
                                         "width": 12, "height": 12, "font-size": 9, "color": "#505a5f" } },
      { selector: "node.key", style: { "background-color": "#b10e1e", "width": 30, "height": 30,
                                       "font-weight": "bold", "border-width": 2, "border-color": "#6e0a13" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffdd00" } },
      { selector: "edge", style: { "width": "mapData(weight, 0, 5, 1, 5)", "line-color": "#8a9196",
                                   "curve-style": "bezier", "label": "data(label)", "font-size": 8,
                                   "color": "#505a5f", "text-rotation": "autorotate", "text-opacity": 0.8 } }
    ],
    layout: { name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 400000; },
              idealEdgeLength: function () { return 90; }, nodeOverlap: 20, gravity: 0.25, numIter: 2500,
              padding: 30 }
  });
  graph.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) { window.location.assign(href); }
  });
  window.addEventListener("resize", function () {  // a turned phone or a narrower window: keep every actor in view
    graph.resize();
    graph.fit(undefined, 30);
  });
  element.dataset.drawn = String(graph.nodes().length);
}());
