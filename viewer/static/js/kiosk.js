// Kiosk mode: full screen on the first touch, and back to the home screen after inactivity.
(function () {
  "use strict";
  var idle = Number(document.body.dataset.idleSeconds || 120) * 1000;
  var timer = null;
  function restart() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (window.location.pathname !== "/" || window.scrollY > 0) {
        window.location.assign("/");
      }
    }, idle);
  }
  ["pointerdown", "keydown", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true });
  });
  document.addEventListener("pointerdown", function () {
    if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }, { once: true });
  restart();
})();
