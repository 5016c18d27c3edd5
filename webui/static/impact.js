/* regelgraf: draws an impact graph with Cytoscape.js and the dagre layout.
 * The elements come from the page's <script type="application/json" id="impact-elements"> block
 * (data, never executed), so the page needs no inline script under its Content Security Policy.
 * Clicking a node opens its page; pointing at a node (or focusing it in the list) shows its
 * explanation and highlights the path that led to it. */
(function () {
  "use strict";

  var KIND_COLOURS = {
    provision: "#1d4e6b", subdivision: "#5b7f95", document: "#6b5a1d", law: "#2f3d4a",
    agreement: "#1f6b3a", possibility: "#4f8a2f", decision: "#a32020", non_derogable: "#7a2f8a",
    non_application: "#8a5a00", municipal_rule: "#2f7a8a", municipality: "#3d6b1f",
    bill: "#6b6b6b", resource: "#6b6b6b"
  };

  function style() {
    var rules = [
      { selector: "node[label]", style: {
        "label": "data(label)", "text-wrap": "wrap", "text-max-width": "150px", "font-size": "11px",
        "text-valign": "bottom", "text-margin-y": "4px", "width": "18px", "height": "18px",
        "background-color": "#6b6b6b", "color": "#1b1f23", "text-background-color": "#ffffff",
        "text-background-opacity": 0.8, "text-background-padding": "2px" } },
      { selector: "node[depth = 0]", style: {
        "width": "28px", "height": "28px", "border-width": "4px", "border-color": "#f0b400", "font-weight": "bold" } },
      { selector: "node[?partial]", style: { "border-width": "2px", "border-style": "dashed", "border-color": "#1b1f23" } },
      { selector: "edge", style: {
        "width": 1.5, "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1", "target-arrow-shape": "triangle",
        "curve-style": "bezier" } },
      { selector: "edge[label]", style: {
        "label": "data(label)", "font-size": "9px", "color": "#5a6470", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 0.8 } },
      { selector: ".faded", style: { "opacity": 0.25 } },
      { selector: "node.on-path", style: { "border-width": "3px", "border-color": "#f0b400" } },
      { selector: "edge.on-path", style: { "width": 3, "line-color": "#f0b400", "target-arrow-color": "#f0b400" } }
    ];
    Object.keys(KIND_COLOURS).forEach(function (kind) {
      rules.push({ selector: 'node[kind = "' + kind + '"]', style: { "background-color": KIND_COLOURS[kind] } });
    });
    return rules;
  }

  function explain(panel, node) {
    // Built with text nodes only: labels come from the graph and must never become markup.
    panel.textContent = "";
    var title = document.createElement("p");
    var link = document.createElement("a");
    link.href = node.data("href");
    link.textContent = node.data("label");
    title.appendChild(link);
    var sentence = document.createElement("p");
    sentence.className = "explanation";
    sentence.textContent = node.data("explanation");
    panel.appendChild(title);
    panel.appendChild(sentence);
  }

  function pathTo(cy, node) {
    // The breadth-first tree of the search: each node's shortest way back to the target.
    var target = cy.nodes("[depth = 0]");
    var found = cy.elements().aStar({ root: target, goal: node, directed: false });
    return found.found ? found.path : node;
  }

  function highlight(cy, panel, node) {
    cy.elements().removeClass("on-path faded");
    if (!node) { return; }
    var path = pathTo(cy, node);
    cy.elements().not(path).addClass("faded");
    path.addClass("on-path");
    explain(panel, node);
  }

  function start() {
    var container = document.getElementById("impact-graph");
    var block = document.getElementById("impact-elements");
    var panel = document.getElementById("impact-explanation");
    if (!container || !block || typeof window.cytoscape !== "function") { return; }
    var elements = JSON.parse(block.textContent);
    var cy = window.cytoscape({ container: container, elements: elements, style: style(), layout: { name: "preset" } });
    // Rank the nodes by the search, not by the edges' RDF direction (which runs both ways): lay
    // out along each node's first hop back to the target, so row n holds the nodes n steps away,
    // as in the list below; then drop those helper edges and keep the real ones.
    var tree = cy.add(cy.nodes("[via]").map(function (node) {
      return { group: "edges", data: { id: "tree:" + node.id(), source: node.data("via"), target: node.id() } };
    }));
    cy.nodes().union(tree).layout({
      name: "dagre", rankDir: "TB", nodeSep: 25, rankSep: 80, nodeDimensionsIncludeLabels: true, fit: true, padding: 20
    }).run();
    tree.remove();
    cy.on("tap", "node", function (event) { window.location.assign(event.target.data("href")); });
    cy.on("mouseover", "node", function (event) {
      container.style.cursor = "pointer";
      highlight(cy, panel, event.target);
    });
    cy.on("mouseout", "node", function () { container.style.cursor = ""; });
    document.querySelectorAll("[data-node]").forEach(function (item) {
      var show = function () { highlight(cy, panel, cy.getElementById(item.dataset.node)); };
      item.addEventListener("mouseenter", show);
      item.addEventListener("focusin", show);
    });
    container.classList.add("drawn");
    var note = document.getElementById("impact-needs-js");
    if (note) { note.hidden = true; }  // shown to readers whose browser runs no scripts (or failed to load them)
    window.regelgrafImpact = cy;  // for the browser tests and the curious
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
