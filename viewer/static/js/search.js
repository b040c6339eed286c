// The search page: ticking a facet applies it at once (the Apply button stays for no-JS).
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) {
    return;
  }
  document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
  form.querySelectorAll(".facet input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () { form.submit(); });
  });
})();
