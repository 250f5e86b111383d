// Practice tests: save a question's answer as soon as it changes, so that a reload, a closed tab
// or a lost connection loses nothing. The page's buttons save with plain form posts; this only
// saves sooner. Failed saves are kept and sent again when the connection comes back. Each save
// also updates the question's button in the list of questions (one question per page), which
// the server drew before the answer existed: "3, not answered" would be wrong once it is saved.
"use strict";
(function () {
  const form = document.getElementById("practice-form");
  const status = document.getElementById("save-status");
  if (!form || !status) return;
  const token = form.querySelector('input[name="csrf_token"]').value;
  const dirty = new Set();
  let sending = false;
  let submitting = false;
  let retry = null;
  let delay = 1000;
  let typingTimer = null;

  const say = (text, state) => {
    status.textContent = text;
    status.dataset.state = state;
  };

  const payload = (positions) => {
    const data = new URLSearchParams();
    data.append("csrf_token", token);
    positions.forEach((p) => {
      data.append("shown", p);
      form.querySelectorAll(`[name="a${p}"]`).forEach((el) => {
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
        data.append(el.name, el.value);
      });
    });
    return data;
  };

  const post = (data, keepalive) =>
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      keepalive: keepalive,
    });

  // What the server keeps as answered: an option picked or a text that is not blank.
  const answeredIn = (data, p) => data.getAll(`a${p}`).some((v) => v.trim() !== "");

  const markNav = (p, answered) => {
    const button = document.querySelector(`.qnav button[data-position-nav="${p}"]`);
    if (!button) return;
    button.classList.toggle("answered", answered);
    const said = button.querySelector(".visually-hidden");
    if (said) said.textContent = answered ? ", answered" : ", not answered";
  };

  async function send() {
    if (sending || submitting || dirty.size === 0) return;
    sending = true;
    clearTimeout(retry);
    const positions = Array.from(dirty);
    dirty.clear();
    say("Saving…", "saving");
    const data = payload(positions);
    try {
      const response = await post(data, false);
      const body = await response.json().catch(() => ({}));
      // Finished meanwhile (in another tab, or by this page's own Finish post): show the marks,
      // unless this page is already on its way there.
      if (body.result && (response.status === 409 || body.finished)) {
        if (!submitting) {
          submitting = true;
          window.location.assign(body.result);
        }
        return;
      }
      if (!response.ok) {
        say(body.message || "This answer could not be saved. Reload the page.", "error");
        return;
      }
      delay = 1000;
      // A question edited while the test was open (a picked option gone) was not saved.
      const edited = Array.isArray(body.edited) ? body.edited.map((n) => String(n - 1)) : [];
      positions.filter((p) => !edited.includes(p)).forEach((p) => markNav(p, answeredIn(data, p)));
      if (edited.length) {
        const numbers = body.edited.join(", ");
        say(`Question ${numbers} was changed by an instructor while your test was open: reload the page and answer it again.`, "error");
        return;
      }
      // The count is the server's, of the whole test (one question per page shows one of them):
      // "All your answers are saved" after one answer of four read as if the test were done.
      if (dirty.size === 0) {
        const counted = Number.isInteger(body.answered) && Number.isInteger(body.total);
        say(counted ? `${body.answered} of ${body.total} answered and saved.` : "Your answers are saved.", "saved");
      }
    } catch (error) {
      positions.forEach((p) => dirty.add(p));
      say("Not saved yet: the connection is down. Trying again…", "error");
      retry = setTimeout(send, delay);
      delay = Math.min(delay * 2, 30000);
    } finally {
      sending = false;
    }
    if (dirty.size) send();
  }

  const positionOf = (el) => {
    const box = el.closest("[data-position]");
    return box ? box.dataset.position : null;
  };

  form.addEventListener("change", (event) => {
    const p = positionOf(event.target);
    if (p === null) return;
    dirty.add(p);
    send();
  });
  form.addEventListener("input", (event) => {
    if (event.target.type !== "text") return;
    const p = positionOf(event.target);
    if (p === null) return;
    dirty.add(p);
    say("Unsaved changes…", "dirty");
    clearTimeout(typingTimer);
    typingTimer = setTimeout(send, 600);
  });
  form.addEventListener("submit", () => {
    submitting = true;
    clearTimeout(typingTimer);
    clearTimeout(retry);
  });
  window.addEventListener("online", () => send());
  // Leaving the page with a change not yet sent: a keepalive request outlives the page.
  window.addEventListener("pagehide", () => {
    if (submitting || dirty.size === 0) return;
    post(payload(Array.from(dirty)), true).catch(() => {});
    dirty.clear();
  });
})();
