// "Copy link": copies the address of exactly this view. Without JavaScript the button
// stays hidden and the plain "Link to this view" next to it does the same job.
(function () {
  "use strict";
  function enable(root) {
    root.querySelectorAll(".copy-link").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { enable(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enable(event.detail.target.parentNode || document); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".copy-link");
    if (!button) return;
    // After htmx pushed a URL the address bar, not the rendered data-url, is the view.
    var url = window.location.href;
    var status = button.parentNode.querySelector(".copy-status");
    function done(text) { if (status) status.textContent = text; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { done("Link copied."); },
        function () { done("Copy failed: use the link."); });
    } else {
      done("Copy not available here: use the link.");
    }
  });
})();
