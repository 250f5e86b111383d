// Review: keyboard shortcuts for the card front and the feedback (once.js stops double submits).
// The forms work without this script; it only adds keys, focus and the empty-answer guard.
//
// The empty-answer guard: an Enter meant for the feedback page (rate Good) that lands on the
// next card would send that card's empty answer, graded wrong. So an answer form with nothing
// typed or picked is not sent at once: the page says so, and a second submit sends it (an empty
// answer is still a fair "I don't know"). A held key's repeats, and an Enter, a Space or an
// option's key in the first moment after the page appears, are ignored outright: no one has
// read the card by then (3 rates Good on the feedback and also picks the third option).
"use strict";
(function () {
  const SETTLE_MS = 400;
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

    let shownAt = performance.now();
    const settle = () => {
      delete front.dataset.settled;
      // Marks the end of the ignored first moment (the browser tests wait for it).
      setTimeout(() => { front.dataset.settled = "1"; }, SETTLE_MS);
    };
    settle();
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) { shownAt = performance.now(); settle(); }
    });
    // Capture: before the browser's own Enter-submits-the-form on a text field, and before the
    // shortcuts below.
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      // Only an Enter that would send the answer: one on a menu link still follows it.
      const active = document.activeElement;
      if (ownKeys(active) && !front.contains(active)) return;
      if (event.repeat || performance.now() - shownAt < SETTLE_MS) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);

    const status = front.querySelector("[data-review-status]");
    // A flashcard has nothing to fill in. (A choice or true/false card's `required` option
    // already stops an empty submit in the browser; the guard is for when it does not.)
    const guarded = ["cloze", "answer", "multi", "choice", "truefalse"].includes(type);
    const empty = () => {
      const texts = Array.from(front.querySelectorAll('input[type="text"]'));
      const picks = Array.from(front.querySelectorAll('input[name="option"]'));
      return texts.every((el) => el.value.trim() === "") && picks.every((el) => !el.checked);
    };
    let warned = false;
    // Capture on the document runs before once.js's listener on the form, so a held-back
    // submit does not count as the one submit once.js lets through.
    document.addEventListener("submit", (event) => {
      if (event.target !== front || !guarded || warned || !empty()) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      warned = true;
      if (status) {
        const what = type === "cloze" || type === "answer" ? "Nothing typed" : "Nothing picked";
        status.textContent = `${what}. Press Enter again to see the answer.`;
      }
    }, true);
    // Typing or picking after the warning starts over: an empty form later is warned again.
    front.addEventListener("input", () => {
      if (!warned) return;
      warned = false;
      if (status) status.textContent = "";
    });

    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (typing(document.activeElement)) return;
      const key = event.key.toLowerCase();
      const active = document.activeElement;
      if (performance.now() - shownAt < SETTLE_MS) {
        if (key !== "enter" && (key === " " || front.querySelector(`input[data-key="${CSS.escape(key)}"]`))) {
          event.preventDefault();
        }
        return;
      }
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
    const rateForm = feedback.querySelector("#rate-form");
    const byKey = (form, k) => form && form.querySelector(`button[data-key="${k}"]`);
    const preferred = feedback.querySelector("#rate-form button[data-default]") ||
      feedback.querySelector("#rate-form .ratings button");
    // "I was right": the ratings of a right answer open under it. While they are open, the
    // digits pick among them; C or Escape closes them again.
    const claim = feedback.querySelector("form.claim details");
    const claimChoice = () => claim.querySelector("button[data-default]");
    if (claim) {
      claim.addEventListener("toggle", () => {
        (claim.open ? claimChoice() : preferred)?.focus({ preventScroll: true });
      });
    }
    // Enter and Space rate with the default at once, but the page stays at its top: the verdict
    // says whether the answer was right. (On a phone the rating bar sticks to the bottom of the
    // screen, app.css .rate-bar; where it does not, scrolling to it would hide the verdict.)
    if (preferred) preferred.focus({ preventScroll: true });
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (typing(document.activeElement)) return;
      const key = event.key.toLowerCase();
      const claiming = claim && claim.open;
      let target = null;
      if (/^[1-4]$/.test(key)) target = byKey(claiming ? claim : rateForm, key);
      else if (key === "enter" || key === " ") {
        target = ownKeys(document.activeElement) ? null : (claiming ? claimChoice() : preferred);
      } else if ((key === "c" || (key === "escape" && claiming)) && claim) {
        event.preventDefault();
        claim.open = key === "c" ? !claim.open : false;
        return;
      }
      if (target) { event.preventDefault(); target.click(); }
    });
  }
})();
