// Pingjia kiosk: the tablet's pairing and the visit (一次一评) it rates. Kept apart from
// survey.js; the kiosk works without it, its ratings then counting as from a device only.
// - After pairing, the device token arrives in the address's fragment (#device=…): it is
//   kept in local storage, in case the cookie is lost, and sent with each rating.
// - The page listens to its window's visits and, when one is pushed, switches the form to
//   rating it: the visit's token goes into the hidden field visit_token and the banner
//   names the ticket. No reload. It listens through server-sent events
//   (/kiosk/{window}/visits/events, authenticated by the device cookie) and falls back to
//   long-polling /kiosk/{window}/visit (which also takes the stored token as a header) when
//   the browser has no EventSource, the server refuses the stream (not paired by cookie,
//   too many streams), or the stream fails several times in a row.
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

  // The stream lives beside the long poll: /kiosk/W01/visit → /kiosk/W01/visits/events.
  var streamURL = pollURL.replace(/\/visit$/, "/visits/events");
  var STREAM_FAILURES = 3;

  function listen() {
    var source;
    try {
      source = new window.EventSource(streamURL + "?after=" + after);
    } catch (e) {
      poll();
      return;
    }
    var failures = 0;
    source.onopen = function () {
      failures = 0;
      paired();
    };
    source.addEventListener("visit", function (event) {
      try {
        var visit = JSON.parse(event.data).visit;
        if (visit.id > after) show(visit);
      } catch (e) { /* ignore a damaged event */ }
    });
    source.onerror = function () {
      // A stream that ends on time reconnects by itself (with Last-Event-ID); a refused
      // one is closed for good, and one that keeps failing is given up.
      failures += 1;
      if (source.readyState === 2 || failures >= STREAM_FAILURES) {
        source.close();
        poll();
      }
    };
  }

  if (streamURL !== pollURL && typeof window.EventSource === "function") {
    listen();
  } else {
    poll();
  }
})();
