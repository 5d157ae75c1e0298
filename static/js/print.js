// The briefing's Print button: the browser's own print dialog. It is hidden until this
// script runs, so without JavaScript only the hint beside it (Ctrl+P) shows.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
}
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
