// Forms marked data-once are sent once: a double click on "Start the test" would start two
// tests, a held Enter on a card would post its answer twice. A page restored by the Back button
// gets its forms back (the server answers a resent answer from its log).
"use strict";
(function () {
  const forms = document.querySelectorAll("form[data-once]");
  forms.forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) forms.forEach((form) => { delete form.dataset.sent; });
  });
})();
