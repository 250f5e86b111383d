// The browser's time zone, so that a student's study day rolls over at their night.
// Sign-up: fill the hidden field. Account page: offer the device's zone when the saved one differs.
"use strict";
(function () {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return; // Older browsers: keep the server's default.
  }
  if (!zone) return;
  const hidden = document.querySelector('input[type="hidden"][name="timezone"]');
  if (hidden) hidden.value = zone;

  const offer = document.getElementById("device-zone");
  const select = document.querySelector('select[name="tz-timezone"]');
  if (!offer || !select || select.value === zone) return;
  // An old name some browsers report ("Asia/Calcutta") is kept out of the menu but understood.
  if (![...select.options].some((o) => o.value === zone)) select.add(new Option(zone, zone));
  offer.querySelector("strong").textContent = zone;
  offer.hidden = false;
  offer.querySelector("button").addEventListener("click", () => {
    select.value = zone;
    offer.hidden = true;
    select.focus();
  });
})();
