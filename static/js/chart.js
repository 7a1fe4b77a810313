// The chart's tooltips are shown by CSS on hover and focus; this only lets Escape hide the
// one showing (WCAG 1.4.13: dismissible without moving the pointer or the focus). Tooltips
// come back as soon as another point is hovered or focused.
(function () {
  "use strict";
  var dismissed = null;
  function stepOf(node) {
    return node && node.closest ? node.closest("svg.linechart .step") : null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var shown = document.querySelector("svg.linechart .step:focus, svg.linechart .step:hover");
    if (!shown) return;
    dismissed = shown;
    shown.closest("svg.linechart").classList.add("tips-dismissed");
  });
  function restore(event) {
    var step = stepOf(event.target);
    if (!step || step === dismissed) return;
    dismissed = null;
    step.closest("svg.linechart").classList.remove("tips-dismissed");
  }
  document.addEventListener("focusin", restore);
  document.addEventListener("mouseover", restore);
})();
