// Review: keyboard shortcuts for the card front and the feedback (once.js stops double submits).
// The forms work without this script; it only adds keys and focus.
"use strict";
(function () {
  const typing = (el) => el && (el.tagName === "INPUT" && el.type === "text" || el.tagName === "TEXTAREA");
  // A focused link, button, summary or field does its own job on Enter and Space: the page's
  // default (check the answer, rate Good) applies only when nothing of the kind has focus.
  const ownKeys = (el) => el && el !== document.body &&
    el.closest("a[href], button, summary, select, textarea, input, [contenteditable]");
  // An option of the answer form: Enter on a focused choice still checks the answer.
  const choice = (el, form) => el && el.tagName === "INPUT" &&
    (el.type === "radio" || el.type === "checkbox") && form.contains(el);

  // One submit per answer form (a double click, a held Enter) is once.js's job: data-once.

  const front = document.querySelector('form[data-page="front"]');
  if (front) {
    const type = front.dataset.type;
    const submit = () => front.requestSubmit ? front.requestSubmit() : front.submit();
    const first = front.querySelector('input[type="text"]');
    if (first) first.focus();
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(document.activeElement)) return;
      const key = event.key.toLowerCase();
      const active = document.activeElement;
      if (key === " " || key === "enter") {
        if (ownKeys(active) && !(key === "enter" && choice(active, front))) return;
        if (key === "enter" || type === "card") { event.preventDefault(); submit(); }
        return;
      }
      const option = front.querySelector(`input[data-key="${CSS.escape(key)}"]`);
      if (!option) return;
      event.preventDefault();
      if (type === "multi") {
        option.checked = !option.checked;
        option.focus();
      } else {
        option.checked = true;
        submit();
      }
    });
    return;
  }

  const feedback = document.querySelector('[data-page="feedback"]');
  if (feedback) {
    const byKey = (k) => feedback.querySelector(`button[data-key="${k}"]`);
    const preferred = feedback.querySelector("button[data-default]") || feedback.querySelector(".ratings button");
    if (preferred) preferred.focus();
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(document.activeElement)) return;
      const key = event.key.toLowerCase();
      let target = null;
      if (/^[1-4]$/.test(key)) target = byKey(key);
      else if (key === "enter" || key === " ") target = ownKeys(document.activeElement) ? null : preferred;
      else if (key === "c") target = feedback.querySelector("button[data-claim]");
      if (target) { event.preventDefault(); target.click(); }
    });
  }
})();
