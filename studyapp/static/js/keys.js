// Readings page: R starts a review of every reading.
"use strict";
(function () {
  const start = document.querySelector('a[href$="/review"]');
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !start) return;
    const el = document.activeElement;
    if (el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA")) return;
    if (event.key === "r" || event.key === "R") { event.preventDefault(); start.click(); }
  });
})();
