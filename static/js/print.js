// The briefing's Print button: the browser's own print dialog. Without JavaScript the
// button does nothing and the hint beside it (Ctrl+P) still applies.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
