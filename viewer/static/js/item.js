// The item page: start Mirador on the item's manifest (opening a search hit boxed when the
// reader came from the search page) and offer to copy the citation.
(function () {
  "use strict";
  var element = document.getElementById("viewer");
  function startViewer() {
    var query = element.dataset.search;
    var windowConfig = {
      manifestId: element.dataset.manifest,
      canvasId: element.dataset.canvas,
      thumbnailNavigationPosition: "far-bottom"
    };
    if (query) {
      windowConfig.defaultSearchQuery = query;
    }
    window.Mirador.viewer({
      id: "viewer",
      language: element.dataset.language,
      windows: [windowConfig],
      window: {
        allowClose: false,
        allowMaximize: false,
        allowFullscreen: true,
        defaultSideBarPanel: query ? "search" : "info",
        sideBarOpenByDefault: Boolean(query),
        hideWindowTitle: true
      },
      workspace: { showZoomControls: true, type: "mosaic" },
      workspaceControlPanel: { enabled: false }
    });
  }
  // The viewer bundle is large: fetch it once the page itself has loaded and painted.
  function loadViewer() {
    var script = document.createElement("script");
    script.src = element.dataset.bundle;
    script.onload = startViewer;
    document.body.appendChild(script);
  }
  if (element) {
    if (document.readyState === "complete") {
      loadViewer();
    } else {
      window.addEventListener("load", loadViewer);
    }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.setAttribute("aria-live", "polite");
        button.textContent = "✓";
      });
    });
  });
})();
