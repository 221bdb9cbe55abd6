// Pingjia kiosk: the tablet's pairing and the visit (一次一评) it rates. Kept apart from
// survey.js; the kiosk works without it, its ratings then counting as from a device only.
// - After pairing, the device token arrives in the address's fragment (#device=…): it is
//   kept in local storage, in case the cookie is lost, and sent with each rating.
// - The page long-polls its window's next visit and, when one is pushed, switches the
//   form to rating it: the visit's token goes into the hidden field visit_token and the
//   banner names the ticket. No reload.
(function () {
  "use strict";

  var STORAGE_KEY = "pingjia.deviceToken";
  var survey = document.getElementById("survey");
  if (!survey) return;
  var pollURL = survey.getAttribute("data-visit-poll");
  var label = survey.getAttribute("data-visit-label") || "{ticket}";
  var form = survey.querySelector("form");
  if (!pollURL || !form) return;

  function storedToken() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }

  var match = /(?:^#|&)device=([0-9a-f]{64})/.exec(window.location.hash);
  if (match) {
    try { window.localStorage.setItem(STORAGE_KEY, match[1]); } catch (e) { /* the cookie still works */ }
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  var token = storedToken();
  if (token && !form.querySelector("input[name=device_token]")) {
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "device_token";
    field.value = token;
    form.appendChild(field);
  }

  var visitField = document.getElementById("visit-token");
  var banner = document.getElementById("visit-banner");
  var after = 0;

  function paired() {
    var notice = survey.querySelector(".device-notice");
    if (notice) notice.parentNode.removeChild(notice);
  }

  function show(visit) {
    after = visit.id;
    if (visitField) visitField.value = visit.visit_token;
    if (banner) {
      banner.textContent = label.replace("{ticket}", visit.ticket);
      banner.hidden = false;
    }
    survey.setAttribute("data-visit-id", String(visit.id));
    // survey.js starts a fresh form for the visit; without it, the plain form is cleared.
    var event = document.createEvent("Event");
    event.initEvent("pingjia:visit", false, false);
    survey.dispatchEvent(event);
    if (!survey.classList.contains("stepping")) form.reset();
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", pollURL + "?wait=1&after=" + after);
    if (token) request.setRequestHeader("X-Device-Token", token);
    request.onload = function () {
      if (request.status === 403) return; // not paired: nothing will ever be pushed here
      if (request.status === 200) {
        paired();
        try { show(JSON.parse(request.responseText).visit); } catch (e) { /* ignore a damaged answer */ }
        poll();
      } else if (request.status === 204) {
        paired();
        poll();
      } else {
        setTimeout(poll, 5000);
      }
    };
    request.onerror = function () { setTimeout(poll, 5000); };
    request.send();
  }

  poll();
})();
