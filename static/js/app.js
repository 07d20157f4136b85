// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", () => {
  // Focus the first error after an in-place form swap, so keyboard users hear it.
  const error = document.querySelector(".field-error, .alert-error");
  if (error && !error.hasAttribute("tabindex")) {
    error.setAttribute("tabindex", "-1");
  }
});
