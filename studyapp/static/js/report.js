// Problem reports, sent in the background: on the feedback page the student stays on the card and
// rates it as usual; a practice result has one form per question. Without this script a form
// posts and lands on "My reports".
"use strict";
document.querySelectorAll("form[data-report-form]").forEach((form) => {
  const status = form.querySelector("[data-report-status]");
  const button = form.querySelector('button[type="submit"]');
  // Keys pressed in the report (a radio, Enter) must not rate the card: the review keys listen
  // on the document, which this stops them reaching.
  form.addEventListener("keydown", (event) => event.stopPropagation());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    status.textContent = "Sending…";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.message || "The report could not be sent.");
      status.textContent = data.message;
      form.querySelectorAll("input, textarea, button").forEach((el) => { el.disabled = true; });
    } catch (error) {
      status.textContent = `${error.message} Try again.`;
      button.disabled = false;
    }
  });
});
