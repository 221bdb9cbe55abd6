// Pingjia survey pages. Everything works without this script; it only adds comfort:
// - a kiosk form clears itself after a pause with no touch, so the next citizen starts
//   fresh, and never while someone is still choosing;
// - the kiosk thank-you page goes back to the form after a short pause, but not while
//   the citizen is still touching it (without script a <noscript> refresh does this);
// - the submit button cannot send the same rating twice by a double tap;
// - a kiosk ignores presses for a few seconds after a rating was stored (kioskLock below);
// - after an error the summary takes focus so screen readers announce it.
(function () {
  "use strict";

  // Goes to `url` once `seconds` have passed without a touch, key press or scroll; every
  // sign of someone still there starts the wait again.
  function leaveWhenIdle(seconds, url) {
    var timer = null;
    function touched() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { window.location.replace(url); }, seconds * 1000);
    }
    ["pointerdown", "keydown", "input", "change", "touchstart", "scroll"].forEach(function (name) {
      document.addEventListener(name, touched, { passive: true });
    });
    touched();
  }

  function idleSettings(element, secondsAttribute, urlAttribute) {
    var seconds = parseInt(element.getAttribute(secondsAttribute) || "", 10);
    var url = element.getAttribute(urlAttribute);
    return seconds > 0 && url ? { seconds: seconds, url: url } : null;
  }

  var thanks = document.getElementById("thanks");
  if (thanks) {
    var back = idleSettings(thanks, "data-return-after", "data-return-url");
    if (back) leaveWhenIdle(back.seconds, back.url + "#sent");
    return;
  }

  var survey = document.getElementById("survey");
  if (!survey) return;
  kioskLock(survey);

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

  var reset = idleSettings(survey, "data-idle-reset", "data-reset-url");
  if (reset) leaveWhenIdle(reset.seconds, reset.url);

  // After a kiosk rating is stored, presses are ignored for a few seconds on the form the
  // thank-you page returns to (marked #sent): a hand resting on the screen, or someone
  // hammering it, cannot start the next rating at once.
  function kioskLock(survey) {
    var LOCK_MS = 3000;
    if (!survey.hasAttribute("data-idle-reset") || window.location.hash !== "#sent") return;
    var until = Date.now() + LOCK_MS;
    if (window.history && history.replaceState) history.replaceState(null, "", window.location.pathname + window.location.search);
    ["click", "pointerdown", "touchstart", "keydown", "submit"].forEach(function (name) {
      survey.addEventListener(name, function (event) {
        if (Date.now() < until) { event.preventDefault(); event.stopPropagation(); }
      }, true);
    });
  }
})();