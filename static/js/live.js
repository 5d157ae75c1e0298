// Live pages. The page listens to /events/ (htmx's SSE extension, on <body>); an event
// names what changed ("paragraph op3 changed") and the hidden element listening for it
// (templates/resolutions/_live.html) fetches that part again through the page's own
// address. What the reader is typing is never replaced: while the part holds the cursor in
// a field, or words not yet sent, the part waits, and is fetched once they are sent or
// left. Without JavaScript none of this runs and the pages are as fresh as their last load.
(function () {
  "use strict";

  var FIELDS = "textarea, select, input:not([type=hidden]):not([type=submit]):not([type=button])";

  // A list left as it came: with no option marked, the first is shown chosen.
  function changedChoice(select) {
    if (select.multiple) {
      return Array.prototype.some.call(select.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    var initial = 0;
    Array.prototype.forEach.call(select.options, function (option, index) {
      if (option.defaultSelected) {
        initial = index;
      }
    });
    return select.selectedIndex !== initial;
  }

  function composing(part) {
    if (!part) {
      return false;
    }
    var active = document.activeElement;
    if (active && part.contains(active) && active.matches(FIELDS)) {
      return true;
    }
    return Array.prototype.some.call(part.querySelectorAll(FIELDS), function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        return field.checked !== field.defaultChecked;
      }
      if (field.tagName === "SELECT") {
        return changedChoice(field);
      }
      return field.value !== field.defaultValue;
    });
  }

  document.addEventListener("htmx:confirm", function (event) {
    var listener = event.target;
    if (!listener.hasAttribute || !listener.hasAttribute("data-live")) {
      return;
    }
    var part = document.querySelector(listener.getAttribute("hx-target"));
    if (!composing(part)) {
      return;
    }
    event.preventDefault();
    if (listener.liveWaiting) {
      return;
    }
    listener.liveWaiting = true;
    part.setAttribute("data-live-waiting", "");
    var issue = event.detail.issueRequest;
    var timer = window.setInterval(function () {
      if (!document.body.contains(listener)) {
        window.clearInterval(timer); // the part was replaced meanwhile: it is fresh
        return;
      }
      if (composing(part)) {
        return;
      }
      window.clearInterval(timer);
      listener.liveWaiting = false;
      part.removeAttribute("data-live-waiting");
      issue(true);
    }, 1000);
  });
})();
