// @ in a note, a reply or a proposal offers the usernames of the people who could read it
// (the text's data-mentions-url answers with buttons); choosing one writes it in. Without
// this script the form's help links to the same list as a page.
(function () {
  "use strict";
  var TOKEN = /(^|[^\w.+\-@])@([\w.+\-]*)$/;
  var AUDIENCE = ["visibility", "circle", "state"];

  function box(textarea) {
    var id = textarea.id + "-mentions";
    var found = document.getElementById(id);
    if (!found) {
      found = document.createElement("div");
      found.id = id;
      found.className = "mention-suggestions";
      found.setAttribute("aria-live", "polite");
      textarea.insertAdjacentElement("afterend", found);
    }
    return found;
  }

  function typed(textarea) {
    var match = TOKEN.exec(textarea.value.slice(0, textarea.selectionStart));
    return match ? match[2] : null;
  }

  function suggest(textarea) {
    var start = typed(textarea);
    var list = box(textarea);
    if (start === null) { list.innerHTML = ""; return; }
    var form = textarea.form;
    var params = new URLSearchParams({ q: start });
    // The audience chosen in the form: a note's, or a proposal's state and circle.
    AUDIENCE.forEach(function (name) {
      if (form.elements[name]) params.set(name, form.elements[name].value);
    });
    fetch(textarea.dataset.mentionsUrl + "?" + params, { headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (typed(textarea) === start) list.innerHTML = html; });
  }

  function choose(textarea, username) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var after = textarea.value.slice(textarea.selectionStart);
    before = before.replace(/@[\w.+\-]*$/, "@" + username + " ");
    textarea.value = before + after;
    textarea.focus();
    textarea.setSelectionRange(before.length, before.length);
    box(textarea).innerHTML = "";
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-mentions-url]")) {
      suggest(event.target);
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".mention-suggestions [data-username]");
    if (!button) return;
    var list = button.closest(".mention-suggestions");
    var textarea = document.getElementById(list.id.replace(/-mentions$/, ""));
    if (textarea) choose(textarea, button.dataset.username);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.matches && event.target.matches("textarea[data-mentions-url]")) {
      box(event.target).innerHTML = "";
    }
  });
})();
