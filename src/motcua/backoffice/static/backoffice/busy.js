/* A form whose button carries data-busy-label says it is working once sent (signing takes seconds) and
   is not sent twice. Loaded as a file, never inline, so that a strict Content-Security-Policy holds. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = form.querySelector("button[data-busy-label]");
  if (!button) {
    return;
  }
  if (form.getAttribute("aria-busy") === "true") {
    event.preventDefault();
    return;
  }
  form.setAttribute("aria-busy", "true");
  button.setAttribute("aria-disabled", "true");
  button.classList.add("disabled");
  button.textContent = button.getAttribute("data-busy-label");
  var status = form.querySelector("[data-busy-status]");
  if (status) {
    status.textContent = button.getAttribute("data-busy-label");
  }
});
