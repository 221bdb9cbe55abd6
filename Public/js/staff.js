// The staff dashboard's live 差评: new negative ratings of the signed-in person's
// departments are added to the "latest feedback" table without a reload.
//
// Server-sent events first (GET /staff/events); when EventSource is missing or the stream
// cannot be opened (refused, a proxy that buffers), the same news by polling
// GET /staff/events?since=ID every 15 s. Rows are built with textContent only: nothing the
// server sends is ever parsed as markup. Everything on the page works without this script.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  var table = document.getElementById("latest-feedback");
  if (!status || !table) return;
  var body = table.tBodies[0];
  var labels = {};
  (status.getAttribute("data-labels") || "").split("|").forEach(function (pair) {
    var at = pair.indexOf("=");
    if (at > 0) labels[pair.slice(0, at)] = pair.slice(at + 1);
  });
  var since = status.getAttribute("data-since") || "0";
  var POLL_MS = 15000;
  var pollTimer = null;
  var source = null;

  function say(key, degraded) {
    status.textContent = labels[key] || "";
    status.classList.toggle("degraded", !!degraded);
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function add(event) {
    if (!event || typeof event.id !== "number") return;
    if (body.querySelector('tr[data-id="' + event.id + '"]')) return;
    var row = document.createElement("tr");
    row.className = "negative arrived";
    row.setAttribute("data-id", String(event.id));
    var first = document.createElement("td");
    var link = document.createElement("a");
    link.href = "/staff/feedback/" + event.id;
    link.textContent = "#" + event.id;
    first.appendChild(link);
    row.appendChild(first);
    cell(row, event.local_time || "");
    cell(row, event.department || "");
    cell(row, event.window || "");
    var levels = cell(row, (event.levels || "") + " ");
    levels.className = "levels";
    var badge = document.createElement("strong");
    badge.className = "badge";
    badge.textContent = labels.negative || "";
    levels.appendChild(badge);
    var comment = cell(row, event.comment || "");
    comment.className = "comment";
    body.insertBefore(row, body.firstChild);
    var empty = table.parentNode.querySelector(".empty");
    if (empty) empty.remove();
    if (event.id > Number(since)) since = String(event.id);
    say("live");
    status.textContent = (labels.arrived || "") + " #" + event.id + " · " + (status.textContent || "");
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", "/staff/events?since=" + encodeURIComponent(since));
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status === 401) { say("signedOut", true); return; }
      if (request.status !== 200) { say("offline", true); schedule(); return; }
      try {
        var answer = JSON.parse(request.responseText);
        (answer.events || []).forEach(add);
        if (typeof answer.last_id === "number" && answer.last_id > Number(since)) since = String(answer.last_id);
        if (!(answer.events || []).length) say("polling", true);
      } catch (error) {
        say("offline", true);
      }
      schedule();
    };
    request.onerror = function () { say("offline", true); schedule(); };
    request.send();
  }

  function schedule() {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, POLL_MS);
  }

  function fallBack() {
    if (source) { source.close(); source = null; }
    say("polling", true);
    poll();
  }

  // Tests and browsers without EventSource take the polling path.
  var forcePolling = /(?:^|[?&])live=poll(?:&|$)/.test(window.location.search);
  if (forcePolling || typeof window.EventSource !== "function") {
    fallBack();
    return;
  }
  // The stream starts after the newest response the page was rendered with.
  source = new EventSource("/staff/events?from=" + encodeURIComponent(since));
  var opened = false;
  source.onopen = function () { opened = true; say("live"); };
  source.addEventListener("negative", function (message) {
    try { add(JSON.parse(message.data)); } catch (error) { /* a malformed event is skipped */ }
  });
  source.onerror = function () {
    // A stream that ends on schedule reconnects by itself (readyState CONNECTING).
    // One that could never open, or was refused, is given up for polling.
    if (source.readyState === EventSource.CLOSED || !opened) fallBack();
  };
})();
