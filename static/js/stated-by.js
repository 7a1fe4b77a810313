// "Stated by": the overview's month links (nav.stated-by, inside #results) become a range
// input that moves by month. The slider lives just before #results, outside the region htmx
// swaps, so it keeps the keyboard focus and its announced label while the results change;
// each step follows the month's own link (hx-get), so the URL names the chosen day.
(function () {
  "use strict";
  var box = null;
  var range = null;
  var output = null;
  var timer = null;
  var pending = false; // a step the results do not show yet

  function monthLinks() {
    var nav = document.querySelector("nav.stated-by");
    return nav ? Array.prototype.slice.call(nav.querySelectorAll(".months a")) : [];
  }

  function build() {
    box = document.createElement("div");
    box.className = "stated-by-slider";
    var label = document.createElement("label");
    label.htmlFor = "stated-by-range";
    label.textContent = "Positions as stated by (one step a month):";
    range = document.createElement("input");
    range.type = "range";
    range.id = "stated-by-range";
    range.min = "0";
    range.step = "1";
    output = document.createElement("output");
    output.id = "stated-by-value";
    output.htmlFor = "stated-by-range";
    output.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(range);
    box.appendChild(output);
    range.addEventListener("input", function () {
      show(monthLinks());
      pending = true;
      clearTimeout(timer);
      // Held arrow keys or a drag: ask once the hand rests.
      timer = setTimeout(follow, 350);
    });
  }

  function show(links) {
    var link = links[Number(range.value)];
    var text = link ? link.getAttribute("data-label") : "";
    output.textContent = text;
    range.setAttribute("aria-valuetext", text);
  }

  function follow() {
    pending = false;
    var link = monthLinks()[Number(range.value)];
    if (link && !link.hasAttribute("aria-current")) {
      link.click();
    }
  }

  // The filter form stays outside the swapped region: after a month link or a sorting
  // header it would still send the old day and order with the next change of filter.
  function pinForm() {
    var nav = document.querySelector("nav.stated-by");
    var form = document.querySelector("form.filters");
    if (!nav || !form) { return; }
    var until = form.querySelector("input[name=until]");
    if (until) {
      until.value = nav.getAttribute("data-until") || "";
      until.setAttribute("value", until.value);
    }
    var sort = form.querySelector("input[name=sort]");
    if (!sort) {
      sort = document.createElement("input");
      sort.type = "hidden";
      sort.name = "sort";
      form.insertBefore(sort, form.querySelector("button[type=submit]"));
    }
    sort.value = nav.getAttribute("data-sort") || "";
    sort.setAttribute("value", sort.value);
  }

  function sync() {
    pinForm();
    var links = monthLinks();
    var results = document.getElementById("results");
    // A page restored from htmx's history holds a lifeless copy of the slider.
    document.querySelectorAll(".stated-by-slider").forEach(function (copy) {
      if (copy !== box) { copy.remove(); }
    });
    if (!links.length || !results) {
      if (box) { box.hidden = true; }
      return;
    }
    if (!box) { build(); }
    box.hidden = false;
    if (box.nextElementSibling !== results) {
      results.parentNode.insertBefore(box, results);
    }
    range.max = String(links.length - 1);
    var current = links.findIndex(function (a) { return a.hasAttribute("aria-current"); });
    if (!pending) {
      range.value = String(current < 0 ? links.length - 1 : current);
    }
    show(links);
  }

  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:afterSettle", sync);
  document.addEventListener("htmx:historyRestore", sync);
})();
