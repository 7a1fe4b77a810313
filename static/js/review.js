// Keyboard shortcuts for the review queue. Every action is also a plain button or link;
// this only saves reaching for the mouse. j/k move, a approve, r reject (focuses the reason:
// type it, then Enter), e correct, x select;
// on "Needs a position", p pledge, h hedge, n rejection, d dismiss, f the full form; on "New
// sources", a accept, r reject (each row's data-key).
(function () {
  "use strict";
  function rows() { return Array.from(document.querySelectorAll(".review-row")); }
  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".review-row") : null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(current());
    if (event.key === "j" || event.key === "k") {
      index = event.key === "j" ? Math.min(index + 1, all.length - 1) : Math.max(index - 1, 0);
      all[index].focus();
      event.preventDefault();
      return;
    }
    var row = all[index];
    if (!row) return;
    if (event.key === "x") {
      var box = row.querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; event.preventDefault(); }
      return;
    }
    var target = row.querySelector('[data-key="' + event.key + '"]');
    if (!target) return;
    event.preventDefault();
    // A field (the reason of a rejection) is filled in first; a button or link is pressed.
    if (target.matches("input, textarea, select")) target.focus(); else target.click();
  });
  // A refused action (an undated approval, an invalid correction) answers 400 with the row
  // and its error: show it in place, as the page without JavaScript does.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.classList &&
        target.classList.contains("review-row")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // After a row is swapped in, keep the place: focus the swapped row's next sibling.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.target;
    if (!row || !row.classList || !row.classList.contains("review-row")) return;
    var next = document.getElementById(row.id);
    next = next && next.nextElementSibling;
    if (next && next.classList.contains("review-row")) next.focus();
    var field = document.querySelector("#" + row.id + " form.correct select") ||
      document.querySelector("#" + row.id + " [role=alert] ~ .actions input[type=date]");
    if (field) field.focus();
  });
})();
