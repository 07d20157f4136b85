// Small progressive enhancements; every page works without this file.
function enhance(root) {
  root.querySelectorAll("[data-js][hidden]").forEach((el) => el.removeAttribute("hidden"));
}
document.addEventListener("DOMContentLoaded", () => enhance(document));
document.addEventListener("htmx:load", (event) => enhance(event.target));

// Model access checklists: filter, select all / none (only the visible ones).
document.addEventListener("input", (event) => {
  if (!event.target.matches("[data-filter]")) return;
  const query = event.target.value.trim().toLowerCase();
  event.target.closest("form").querySelectorAll(".checklist label").forEach((label) => {
    label.hidden = !label.dataset.model.includes(query);
  });
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-select]");
  if (!button) return;
  const checked = button.dataset.select === "all";
  button.closest("form").querySelectorAll(".checklist label:not([hidden]) input").forEach((box) => {
    box.checked = checked;
  });
});
