// Forms marked data-once are sent once: a double click on "Start the test" would start two.
// A page restored by the Back button gets its forms back.
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
