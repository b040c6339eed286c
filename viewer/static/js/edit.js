// The item form: upload scans with a progress bar (the plain form post works without it).
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var bar = document.getElementById("upload-progress");
  if (!form || !bar || !window.FormData) {
    return;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    bar.hidden = false;
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        bar.value = progress.loaded / progress.total;
      }
    });
    request.addEventListener("load", function () {
      if (request.status < 400) {
        window.location.assign(request.responseURL);
        return;
      }
      var page = new DOMParser().parseFromString(request.responseText, "text/html");
      var reason = page.querySelector("#upload-form .field-error, .error");
      var target = document.getElementById("upload-error");
      target.textContent = reason ? reason.textContent : request.statusText;
      target.hidden = false;
      bar.hidden = true;
    });
    request.send(new FormData(form));
  });
})();
