// On an article page, for curators: select words in the text and a bar offers to add a
// stance from the sentence they belong to. The selection snaps to the whole sentences it
// touches (the list below the text gives each sentence's offsets); the server snaps again.
// Without JavaScript, the list's links do the same.
(function () {
  "use strict";
  var text = document.querySelector(".article-text");
  var bar = document.getElementById("selection-bar");
  if (!text || !bar) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("#sentences li[data-start]"));
  var link = bar.querySelector("a");
  var shown = bar.querySelector(".selected");

  // Characters from the start of the text to a point of the selection: the text is
  // rendered as stored (line breaks kept by CSS), so these are offsets in the article.
  function offset(node, at) {
    var range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, at);
    return range.toString().length;
  }

  function update() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) { bar.hidden = true; return; }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) {
      bar.hidden = true;
      return;
    }
    var start = offset(range.startContainer, range.startOffset);
    var end = offset(range.endContainer, range.endOffset);
    var touched = items.filter(function (item) {
      return Number(item.dataset.end) > start && Number(item.dataset.start) < end;
    });
    if (!touched.length) { bar.hidden = true; return; }
    var from = Number(touched[0].dataset.start);
    var to = Number(touched[touched.length - 1].dataset.end);
    link.href = bar.dataset.url + "?start=" + from + "&end=" + to;
    shown.textContent = text.textContent.slice(from, to);
    bar.hidden = false;
  }

  document.addEventListener("selectionchange", update);
})();
