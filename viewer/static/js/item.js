// The item page: the page is first shown as a plain image; Mirador (2 MB of script) starts
// only when the reader asks to zoom, or at once when they came from a search hit (then the
// hits are boxed). Also offers to copy the citation.
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
    // Mirador draws over the still image, which stays beneath until Mirador has painted.
    var mount = document.createElement("div");
    mount.id = "viewer-mirador";
    mount.className = "viewer-mirador";
    element.appendChild(mount);
    element.querySelector(".viewer-still").setAttribute("aria-hidden", "true");
    window.Mirador.viewer({
      id: mount.id,
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

  // Fetch the bundle as soon as the reader shows intent (pointer over, focus, touch), without
  // running it: running it is what blocks the page, so that waits for the click.
  function prefetchViewer() {
    if (document.querySelector("link[rel=prefetch][as=script]")) {
      return;
    }
    var link = document.createElement("link");
    link.rel = "prefetch";
    link.as = "script";
    link.href = element.dataset.bundle;
    document.head.appendChild(link);
  }

  function openViewer(moveFocus) {
    var button = element.querySelector(".viewer-open");
    var status = document.querySelector(".viewer-status");
    if (element.dataset.state) {
      return;
    }
    element.dataset.state = "opening";
    element.setAttribute("aria-busy", "true");
    if (button) {
      button.disabled = true;
    }
    status.textContent = element.dataset.opening;
    var script = document.createElement("script");
    script.src = element.dataset.bundle;
    script.onload = function () {
      startViewer();
      element.dataset.state = "open";
      element.removeAttribute("aria-busy");
      status.textContent = "";
      if (button) {
        button.remove();
      }
      if (moveFocus) {
        element.focus();
      }
    };
    script.onerror = function () {
      delete element.dataset.state;
      element.removeAttribute("aria-busy");
      status.textContent = element.dataset.failed;
      if (button) {
        button.disabled = false;
      }
    };
    document.body.appendChild(script);
  }

  if (element) {
    if (element.dataset.search) {
      // A search hit: open it boxed once the page itself has loaded and painted.
      if (document.readyState === "complete") {
        openViewer(false);
      } else {
        window.addEventListener("load", function () { openViewer(false); });
      }
    } else {
      var button = element.querySelector(".viewer-open");
      button.hidden = false;
      button.addEventListener("click", function () { openViewer(true); });
      element.querySelector(".viewer-still").addEventListener("click", function () {
        openViewer(true);
      });
      ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
        element.addEventListener(type, prefetchViewer, { passive: true });
      });
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (copy) {
    if (!navigator.clipboard) {
      return;
    }
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var source = document.getElementById(copy.dataset.copy);
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        copy.setAttribute("aria-live", "polite");
        copy.textContent = "✓";
      });
    });
  });
})();
