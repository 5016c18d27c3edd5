/* regelgraf: the SPARQL editor — YASGUI pointed at our own /sparql endpoint.
 * Settings come from data attributes and <script type="application/json"> blocks, so the page
 * runs under a Content Security Policy without inline scripts. */
(function () {
  "use strict";

  function json(id) {
    var block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  }

  function start() {
    var root = document.getElementById("yasgui");
    if (!root || typeof window.Yasgui !== "function") { return; }
    var Yasgui = window.Yasgui;
    var endpoint = root.dataset.endpoint;
    var examples = json("editor-examples") || [];
    // Only completers that work offline: the others ask an outside vocabulary service, and the
    // constructor option does not remove them (see ../shared/PLATFORM.md).
    Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
    Yasgui.Yasqe.defaults.value = json("editor-default-query") || Yasgui.Yasqe.defaults.value;
    var yasgui = new Yasgui(root, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      persistenceId: root.dataset.persistenceId || null,
      // A shared editor link carries its query in the page URL; it always runs against our endpoint.
      populateFromUrl: function (config) {
        config.requestConfig = Object.assign({}, config.requestConfig, { endpoint: endpoint });
        return config;
      },
      tabName: root.dataset.tabName || "Query"
    });
    // Tabs kept from an earlier visit may name another server's endpoint: this page asks ours.
    Object.keys(yasgui._tabs).forEach(function (id) {
      var tab = yasgui.getTab(id);
      if (tab && tab.getEndpoint() !== endpoint) { tab.setEndpoint(endpoint); }
    });

    function openExample(name) {
      var example = examples.filter(function (q) { return q.name === name; })[0];
      if (!example) { return false; }
      yasgui.addTab(true, {
        name: example.name, yasqe: { value: example.text }, requestConfig: { endpoint: endpoint }
      }, { avoidDuplicateTabs: true });
      return true;
    }

    document.querySelectorAll("[data-example]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (openExample(link.dataset.example)) {
          event.preventDefault();
          root.scrollIntoView({ behavior: "smooth" });
        }
      });
    });
    if (root.dataset.open) { openExample(root.dataset.open); }
    var note = document.getElementById("editor-needs-js");
    if (note) { note.hidden = true; }  // shown to readers whose browser runs no scripts (or failed to load them)
    window.regelgrafEditor = yasgui;  // for the browser tests and the curious
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
