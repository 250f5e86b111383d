// Practice tests: show the time left and hand the test in at the limit. The server keeps the
// time too and refuses answers that arrive late; this script only keeps the student informed.
// The hand-in presses the page's finish button (on the test page or on the "Finish the test?"
// page) with confirm=1: nobody is there to answer "Finish anyway?", and this count, started at
// the page's load, may end a moment before the server's. It also sends timeup=1, so the server
// ends the test at its limit and the result says the time ran out.
"use strict";
(function () {
  const box = document.getElementById("timer");
  const finish = document.getElementById("finish");
  const form = finish && finish.form;
  if (!box || !form) return;
  const shown = box.querySelector(".time-left");
  const alert = document.getElementById("timer-alert");
  const total = Number(box.dataset.remaining);
  const start = performance.now();
  let warned = total <= 60;
  let done = false;

  const clock = (s) => {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const ss = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
  };

  const setField = (name) => {
    let field = form.querySelector(`input[name="${name}"]`);
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      form.appendChild(field);
    }
    field.value = "1";
  };

  const handIn = () => {
    setField("confirm");
    setField("timeup");
    if (form.requestSubmit) form.requestSubmit(finish);
    else finish.click();
  };

  const tick = () => {
    const left = Math.max(0, Math.ceil(total - (performance.now() - start) / 1000));
    shown.textContent = clock(left);
    if (left <= 60 && !warned) {
      warned = true;
      box.classList.add("low");
      alert.textContent = "One minute left.";
    }
    if (left === 0 && !done) {
      done = true;
      clearInterval(timer);
      box.classList.add("low");
      alert.textContent = "Time is up. Handing in your test.";
      handIn();
    }
  };
  const timer = setInterval(tick, 250);
  tick();
})();
