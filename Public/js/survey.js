// Pingjia survey pages. Everything works without this script; it only adds comfort:
// - a kiosk form clears itself after a pause with no touch, so the next citizen starts
//   fresh, and never while someone is still choosing;
// - the submit button cannot send the same rating twice by a double tap;
// - after an error the summary takes focus so screen readers announce it.
(function () {
  "use strict";
  var survey = document.getElementById("survey");
  if (!survey) return;

  var form = survey.querySelector("form");
  if (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        // Disable after the browser has taken the form's data.
        setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  }

  var errors = document.getElementById("errors");
  if (errors) errors.focus();

  var idleSeconds = parseInt(survey.getAttribute("data-idle-reset") || "", 10);
  var resetURL = survey.getAttribute("data-reset-url");
  if (!idleSeconds || !resetURL) return;

  var timer = null;
  function touched() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () { window.location.replace(resetURL); }, idleSeconds * 1000);
  }
  ["pointerdown", "keydown", "input", "change", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true });
  });
  touched();
})();
