// Back and Forward restore htmx's snapshot of the page, which is HTML: a ticked box or a
// typed date lives in the DOM property, not the attribute, so a snapshot would show the
// form as first served next to results filtered otherwise. After each swap the results
// match the form as it now stands: write that state into the attributes, so the snapshot
// taken before the next swap restores form and results in step.
(function () {
  "use strict";
  function pin(form) {
    form.querySelectorAll("input, select").forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        field.toggleAttribute("checked", field.checked);
      } else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) {
          option.toggleAttribute("selected", option.selected);
        });
      } else if (field.type !== "hidden") {
        field.setAttribute("value", field.value);
      }
    });
  }
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("form.filters").forEach(pin);
  });
})();
