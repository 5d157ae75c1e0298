/* Select words in a paragraph to annotate them.
 *
 * Selecting words in one paragraph's text (with the mouse, or Shift and the arrow keys)
 * shows a small toolbar beside them: "Note on this" opens the paragraph's note form with
 * the words as its quote and where they stand (W3C selectors: TextQuote exact, prefix and
 * suffix; TextPosition start), "Propose wording" opens its proposal form with the words
 * selected in the wording, ready to be typed over. Tab reaches the toolbar, Esc hides it.
 * A highlighted quote leads to its note when clicked or when Enter is pressed on it.
 *
 * A selection that starts or ends inside a word takes the whole word.
 * Offsets count the paragraph's text as stored: the footnote markers and the highlights'
 * tooltips inside it are left out. When what the page shows does not add up to the stored
 * length (data-length), only the words are sent and the server finds them.
 *
 * Without this file the note form's "Quoted words" field does the same by hand.
 */
(function () {
  "use strict";

  var NOT_TEXT = ".footnote-ref, .quote-tip";
  var CONTEXT = 32;
  var WORD = /[\p{L}\p{N}]/u;
  var toolbar = null;
  var announcer = null;
  var current = null;

  function textNodes(words) {
    var walker = document.createTreeWalker(words, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(NOT_TEXT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function storedText(words) {
    return textNodes(words).map(function (node) { return node.data; }).join("");
  }

  /* The offset in the stored text of a selection boundary (node, offset): a boundary
   * inside a footnote marker counts as the text that follows it. */
  function offsetOf(words, node, offset) {
    var boundary = document.createRange();
    boundary.setStart(node, offset);
    var total = 0;
    var nodes = textNodes(words);
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i] === node) return total + offset;
      if (boundary.comparePoint(nodes[i], 0) >= 0) return total;
      total += nodes[i].data.length;
    }
    return total;
  }

  /* What is selected, when it is words of one paragraph: the paragraph, its stored text,
   * the words exactly as stored and where they start and end. */
  function selectedWords() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var text = closestElement(range.startContainer, ".paragraph-text");
    if (!text) return null;
    var endText = closestElement(range.endContainer, ".paragraph-text");
    if (endText && endText !== text) return null;
    var words = text.querySelector(".paragraph-words");
    var paragraph = text.closest(".paragraph");
    if (!words || !paragraph) return null;
    var stored = storedText(words);
    var start = offsetOf(words, range.startContainer, range.startOffset);
    // Dragged past the paragraph's end (into its margin, say): up to its last word.
    var end = endText ? offsetOf(words, range.endContainer, range.endOffset) : stored.length;
    while (start < end && /\s/.test(stored[start])) start++;
    while (end > start && /\s/.test(stored[end - 1])) end--;
    // Whole words: a drag that starts or ends inside one takes all of it.
    while (start > 0 && start < end && WORD.test(stored[start - 1]) && WORD.test(stored[start])) start--;
    while (end < stored.length && end > start && WORD.test(stored[end]) && WORD.test(stored[end - 1])) end++;
    if (end <= start) return null;
    return {
      paragraph: paragraph,
      label: paragraph.id,
      range: range,
      stored: stored,
      exact: stored.slice(start, end),
      start: start,
      end: end,
      // Offsets are only sent when the page shows the text as stored.
      measured: String(stored.length) === words.dataset.length,
    };
  }

  function closestElement(node, selector) {
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest(selector) : null;
  }

  function noteForm(paragraph) {
    return paragraph.querySelector("form[data-annotation-form]");
  }

  function proposalForm(paragraph) {
    return paragraph.querySelector("form[data-proposal-form]");
  }

  function displayLabel(paragraph) {
    var label = paragraph.querySelector(".paragraph-label");
    return label ? label.textContent.trim() : "the paragraph";
  }

  function build() {
    toolbar = document.createElement("div");
    toolbar.className = "select-toolbar";
    toolbar.setAttribute("role", "group");
    toolbar.hidden = true;
    toolbar.innerHTML =
      '<button type="button" class="button small" data-select-action="note">Note on this</button>' +
      '<button type="button" class="button small secondary" data-select-action="propose">Propose wording</button>';
    // A click on a button keeps the words selected.
    toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-select-action]");
      if (!button || !current) return;
      var chosen = current;
      hide();
      if (button.dataset.selectAction === "note") noteOn(chosen);
      else proposeFor(chosen);
    });
    toolbar.addEventListener("focusout", function (event) {
      if (!toolbar.contains(event.relatedTarget) && window.getSelection().isCollapsed) hide();
    });
    announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    document.body.append(toolbar, announcer);
  }

  function show(chosen) {
    if (!noteForm(chosen.paragraph)) return hide();
    if (!toolbar) build();
    current = chosen;
    var where = displayLabel(chosen.paragraph);
    toolbar.setAttribute("aria-label", "Selected words in " + where);
    toolbar.querySelector('[data-select-action="propose"]').hidden = !proposalForm(chosen.paragraph);
    var wasHidden = toolbar.hidden;
    toolbar.hidden = false;
    var box = chosen.range.getBoundingClientRect();
    var height = toolbar.offsetHeight;
    var top = box.top - height - 8 < 0 ? box.bottom + 8 : box.top - height - 8;
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - toolbar.offsetWidth - 8));
    toolbar.style.top = window.scrollY + top + "px";
    toolbar.style.left = window.scrollX + left + "px";
    if (wasHidden) announcer.textContent = "Words selected in " + where + ": press Tab for “Note on this”.";
  }

  function hide() {
    current = null;
    if (toolbar) toolbar.hidden = true;
  }

  function openAround(element) {
    for (var details = element.closest("details"); details; details = details.parentElement.closest("details")) {
      // The cursor is put in the form here; reading.js leaves it where it is.
      if (!details.open) details.dataset.focusSet = "1";
      details.open = true;
    }
  }

  function noteOn(chosen) {
    var form = noteForm(chosen.paragraph);
    openAround(form);
    var quote = form.querySelector("[data-quote-field]");
    if (quote) quote.value = chosen.exact;
    var selectors = {
      quote_prefix: chosen.stored.slice(Math.max(0, chosen.start - CONTEXT), chosen.start),
      quote_suffix: chosen.stored.slice(chosen.end, chosen.end + CONTEXT),
      quote_start: String(chosen.start),
    };
    form.querySelectorAll("[data-selector]").forEach(function (field) {
      field.value = chosen.measured ? selectors[field.dataset.selector] || "" : "";
    });
    var body = form.querySelector("textarea[name=body]");
    if (body) body.focus();
  }

  function proposeFor(chosen) {
    var form = proposalForm(chosen.paragraph);
    openAround(form);
    var kind = form.querySelector("select[name=kind]");
    if (kind && kind.value !== "amend") {
      kind.value = "amend";
      kind.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var wording = form.querySelector("textarea[name=text]");
    if (!wording) return;
    // The wording starts as the paragraph: the same words at the same place, or else the
    // first place they stand in what the delegate has made of it.
    var at = wording.value === chosen.stored ? chosen.start : wording.value.indexOf(chosen.exact);
    wording.focus();
    if (at >= 0) {
      wording.setSelectionRange(at, at + chosen.exact.length);
      announcer.textContent = "The words are selected in the wording: type to replace them.";
    }
  }

  function update() {
    var chosen = selectedWords();
    if (chosen) show(chosen);
    else if (!toolbar || !toolbar.contains(document.activeElement)) hide();
  }

  document.addEventListener("mouseup", function (event) {
    if (toolbar && toolbar.contains(event.target)) return;
    window.setTimeout(update, 0);
  });

  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") update();
  });

  document.addEventListener("selectionchange", function () {
    if (current && window.getSelection().isCollapsed && !toolbar.contains(document.activeElement)) hide();
  });

  document.addEventListener("keydown", function (event) {
    if (!current) return;
    if (event.key === "Escape") {
      var inToolbar = toolbar.contains(document.activeElement);
      var label = current.paragraph.querySelector(".paragraph-label");
      hide();
      if (inToolbar && label) label.focus();
    } else if (event.key === "Tab" && !event.shiftKey && !toolbar.contains(document.activeElement)) {
      event.preventDefault();
      toolbar.querySelector("button").focus();
    }
  });

  /* A highlighted quote leads to the (first) note quoting it. */
  function toNote(mark) {
    var first = (mark.dataset.notes || "").split(" ")[0];
    var note = first && document.getElementById("annotation-" + first);
    if (!note) return;
    openAround(note);
    note.setAttribute("tabindex", "-1");
    note.focus();
    note.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark.quote-highlight");
    // Inside a citation link, the link is followed.
    if (mark && !mark.closest("a") && window.getSelection().isCollapsed) toNote(mark);
  });

  document.addEventListener("keydown", function (event) {
    var mark = event.target.closest && event.target.closest("mark.quote-highlight[tabindex]");
    if (mark && event.key === "Enter") {
      event.preventDefault();
      toNote(mark);
    }
  });
})();
