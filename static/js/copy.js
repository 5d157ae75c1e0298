// Copy buttons: a <button data-copy="ID"> copies the value of the input with that id and
// says so in the [data-copy-status] beside it. The buttons stay hidden until this script
// runs (and where the browser has no clipboard), so without JavaScript the read-only
// input is there to select and copy by hand.
function showCopyButtons(root) {
  if (!navigator.clipboard) return;
  for (const button of root.querySelectorAll("[data-copy]")) {
    button.hidden = false;
  }
}
showCopyButtons(document);
document.addEventListener("htmx:load", (event) => showCopyButtons(event.target));
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[data-copy-status]");
  try {
    await navigator.clipboard.writeText(input.value);
    if (status) status.textContent = "Copied.";
  } catch {
    input.select();
    if (status) status.textContent = "Copying was not allowed: the address is selected, press Ctrl+C (⌘C).";
  }
});
