// The reading page and the note forms, made quicker with the keyboard. Everything here has a
// plain twin: without JavaScript the "Add note" control still opens its form, "Go to
// paragraph" is a GET that lands on the paragraph, and Cancel is a link back.

// "OP6(a)", "op6 a" and the label "op6-a" are all "op6a"; a bare number is an operative
// paragraph's ("6" is OP6). The same rule as resolutions/un/paragraph_labels.py.
function typedKey(text) {
  const key = text.toLowerCase().replace(/[^0-9a-z]/g, "");
  return /^[0-9]+$/.test(key) ? `op${key}` : key;
}

function focusFirstError(root) {
  const invalid = root.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return true;
  }
  return false;
}

// Go to paragraph: moves the focus to the paragraph, so that Tab goes on into it.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("[data-go-to-paragraph]");
  if (!form) {
    return;
  }
  event.preventDefault();
  const field = form.elements.paragraph;
  const message = form.querySelector(".go-to-message");
  const typed = field.value.trim();
  const key = typedKey(typed);
  const paragraph = key
    ? [...document.querySelectorAll(".paragraph[id]")].find((p) => typedKey(p.id) === key)
    : undefined;
  if (!paragraph) {
    field.setAttribute("aria-invalid", "true");
    message.textContent = typed
      ? `There is no paragraph “${typed}” in ${form.dataset.symbol}.`
      : "Type the paragraph to go to, such as OP6 or PP3.";
    return;
  }
  field.removeAttribute("aria-invalid");
  message.textContent = "";
  history.replaceState(null, "", `#${paragraph.id}`);
  paragraph.scrollIntoView({ block: "start" });
  paragraph.focus({ preventScroll: true });
});

// Opening "Add note" (or "Propose wording") puts the cursor in its form: the first field
// with an error when it came back with one, else the first field to write in.
document.addEventListener(
  "toggle",
  (event) => {
    const details = event.target;
    if (!details.matches?.("details.add-note, details.propose") || !details.open) {
      return;
    }
    // Opened by selecting words, which puts the cursor where it belongs itself.
    if (details.dataset.focusSet) {
      delete details.dataset.focusSet;
      return;
    }
    if (!focusFirstError(details)) {
      details.querySelector("textarea, input:not([type=hidden]), select")?.focus();
    }
  },
  true,
);

// The original of a note while it is edited in place, to put back when the edit is cancelled.
const beforeEditing = new Map();

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.requestConfig?.verb === "get" && target.matches?.("article.annotation")) {
    // Kept without the marks of the request under way (the Edit link's "htmx-request").
    const copy = target.cloneNode(true);
    for (const marked of copy.querySelectorAll("[class*=htmx-]")) {
      marked.classList.remove("htmx-request", "htmx-swapping", "htmx-settling", "htmx-added");
    }
    beforeEditing.set(target.id, copy.outerHTML);
  }
});

function cancelEdit(editing) {
  const original = beforeEditing.get(editing.id);
  if (original === undefined) {
    // The edit page: Cancel is the way back to the paragraph.
    const back = editing.querySelector("[data-cancel-edit]");
    if (back) {
      window.location.assign(back.href);
    }
    return;
  }
  beforeEditing.delete(editing.id);
  const holder = document.createElement("div");
  holder.innerHTML = original;
  const note = holder.firstElementChild;
  editing.replaceWith(note);
  window.htmx?.process(note);
  note.querySelector("[data-annotation-edit]")?.focus();
}

document.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-cancel-edit]");
  const editing = cancel?.closest(".annotation.editing");
  if (editing && beforeEditing.has(editing.id)) {
    event.preventDefault();
    cancelEdit(editing);
  }
});

// Esc closes an open note or proposal form (the words typed stay in it) and gives the focus
// back to its control; in an edit, it cancels.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) {
    return;
  }
  const editing = event.target.closest?.(".annotation.editing");
  if (editing) {
    event.preventDefault();
    cancelEdit(editing);
    return;
  }
  const details = event.target.closest?.("details.add-note[open], details.propose[open]");
  if (details) {
    event.preventDefault();
    details.open = false;
    details.querySelector("summary").focus();
  }
});

// After an htmx swap (the event comes from what was swapped in): a note saved in place takes
// the focus and is announced; a form that came back with errors puts the cursor in the first
// field to correct.
document.addEventListener("htmx:afterSettle", (event) => {
  const swapped = event.target;
  if (!(swapped instanceof Element)) {
    return;
  }
  if (swapped.dataset.savedNote) {
    const note = document.getElementById(swapped.dataset.savedNote);
    const status = document.getElementById("reading-status");
    const message = swapped.dataset.savedMessage;
    delete swapped.dataset.savedNote;
    if (status) {
      // Emptied first, so that a second note saved on the same paragraph is announced too.
      status.textContent = "";
      setTimeout(() => {
        status.textContent = message;
      }, 50);
    }
    if (note) {
      note.setAttribute("tabindex", "-1");
      note.focus();
    }
    return;
  }
  if (!swapped.contains(document.activeElement) || document.activeElement === swapped) {
    focusFirstError(swapped);
  }
});

// A page that came back with a note's or a proposal's errors (a full page, as a proposal is
// sent): the first one.
const NOTE_AND_PROPOSAL_FORMS = "[data-annotation-form], [data-proposal-form], .note-form";
for (const form of document.querySelectorAll(NOTE_AND_PROPOSAL_FORMS)) {
  if (form.closest("details:not([open])") === null && focusFirstError(form)) {
    break;
  }
}
