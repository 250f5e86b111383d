// Sign-up: tell the server the student's time zone, so their study day rolls over at their night.
"use strict";
(function () {
  const field = document.querySelector('input[name="timezone"]');
  if (!field) return;
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) field.value = zone;
  } catch (e) {
    // Older browsers: keep the server's default.
  }
})();
