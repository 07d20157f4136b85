// Small progressive enhancements; every page works without this file.
function enhance(root) {
  root.querySelectorAll("[data-js][hidden]").forEach((el) => el.removeAttribute("hidden"));
  root.querySelectorAll("input[data-pattern-message]").forEach(explainPattern);
  root.querySelectorAll("[data-count]").forEach((el) => countSelection(el.closest("form")));
}
document.addEventListener("DOMContentLoaded", () => enhance(document));
document.addEventListener("htmx:load", (event) => enhance(event.target));

// Model access checklists: the filter hides the models that don't match, Select all / none
// act on the models shown, and a count keeps ticked models the filter hides in view.
function countSelection(form) {
  const count = form.querySelector("[data-count]");
  if (!count) return;
  const boxes = [...form.querySelectorAll(".checklist input")];
  const ticked = boxes.filter((box) => box.checked).length;
  const shown = boxes.filter((box) => !box.closest("label").hidden).length;
  count.textContent =
    `${ticked} of ${boxes.length} selected` + (shown < boxes.length ? ` (${shown} shown)` : "");
}
document.addEventListener("input", (event) => {
  if (event.target.matches("input[data-pattern-message]")) explainPattern(event.target);
  if (event.target.matches(".checklist input")) countSelection(event.target.closest("form"));
  if (!event.target.matches("[data-filter]")) return;
  const form = event.target.closest("form");
  const query = event.target.value.trim().toLowerCase();
  form.querySelectorAll(".checklist label").forEach((label) => {
    label.hidden = !label.dataset.model.includes(query);
  });
  countSelection(form);
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-select]");
  if (!button) return;
  const form = button.closest("form");
  const checked = button.dataset.select === "all";
  form.querySelectorAll(".checklist label:not([hidden]) input").forEach((box) => {
    box.checked = checked;
  });
  countSelection(form);
});

// Copy buttons ([data-copy] names the element whose text they copy), shown only with JavaScript.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = "Copied";
  } catch {
    // No clipboard access (an insecure origin, a refused permission): select it for Ctrl+C.
    getSelection().selectAllChildren(source);
    button.textContent = "Select and copy";
  }
});

// A field's own words instead of the browser's "Please match the requested format" (without
// JavaScript the browser shows the field's title under that line, and the server explains).
function explainPattern(input) {
  input.setCustomValidity(input.validity.patternMismatch ? input.dataset.patternMessage : "");
}
