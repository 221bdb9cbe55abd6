// Pingjia survey pages. Without this script the survey is one plain form that posts to
// the server and never reloads itself. With it:
// - one question per screen: a tap on an answer moves on; a negative answer opens a screen
//   of reasons for that question; the third tap of a satisfied citizen sends the rating;
// - everything is checked on the device at once before anything is sent;
// - the kiosk asks "more time?" with a countdown before it starts over, never while
//   someone is still touching it, and thanks the citizen on a screen of its own that
//   offers to add a comment;
// - the kiosk never loses a rating: each one goes into an IndexedDB outbox first, with its
//   client_id and the time it was given, and is sent (and retried with backoff) from there;
//   the server's client_id idempotency makes every retry, reload or second tab count once;
// - after a rating, the kiosk's next form ignores presses for a few seconds, so a hand
//   resting on the screen, or someone hammering it, cannot start the next rating at once;
// - a visit pushed to the kiosk (kiosk-visit.js) starts a fresh form for it.
(function () {
  "use strict";

  var ACTIVITY = ["pointerdown", "keydown", "input", "change", "touchstart", "scroll", "wheel"];

  function byId(id) { return document.getElementById(id); }
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function show(element, visible) { if (element) element.hidden = !visible; }

  // A countdown shown in `counter` (seconds left), calling `done` at zero; any activity on
  // the page restarts it from `seconds` when `restartOnActivity` is set.
  function countdown(counter, seconds, done) {
    var left = seconds, timer = null;
    function tick() {
      if (counter) counter.textContent = String(left);
      if (left <= 0) { stop(); done(); return; }
      left -= 1;
      timer = setTimeout(tick, 1000);
    }
    function stop() { if (timer) clearTimeout(timer); timer = null; }
    tick();
    return { stop: stop, restart: function () { stop(); left = seconds; tick(); } };
  }

  // The kiosk thank-you page of a form post (without the in-page flow): back to the form
  // after a pause without a touch.
  var thanksPage = byId("thanks");
  if (thanksPage) {
    var seconds = parseInt(thanksPage.getAttribute("data-return-after") || "", 10);
    var url = thanksPage.getAttribute("data-return-url");
    if (seconds > 0 && url) {
      var back = countdown(null, seconds, function () { window.location.replace(url + "#sent"); });
      ACTIVITY.forEach(function (name) { document.addEventListener(name, back.restart, { passive: true }); });
    }
    return;
  }

  var survey = byId("survey");
  if (!survey) return;
  var form = survey.querySelector("form.survey-form");
  var kiosk = survey.getAttribute("data-kind") === "kiosk";
  var windowCode = survey.getAttribute("data-window");
  var backButton = form.querySelector("button.back");
  var summary = byId("errors");

  // Presses on the kiosk's form are ignored until `until` (milliseconds since 1970).
  var lockedUntil = 0;
  if (kiosk) {
    ["click", "pointerdown", "touchstart", "keydown", "submit"].forEach(function (name) {
      survey.addEventListener(name, function (event) {
        if (Date.now() < lockedUntil) { event.preventDefault(); event.stopPropagation(); }
      }, true);
    });
  }
  // The form shows that it is resting (dimmed), so the next citizen waits a moment.
  function lockPresses() {
    lockedUntil = Date.now() + 3000;
    survey.classList.add("resting");
    setTimeout(function () { survey.classList.remove("resting"); }, 3000);
  }
  // The form the no-script thank-you page returned to.
  if (kiosk && window.location.hash === "#sent") {
    lockPresses();
    if (window.history && history.replaceState) history.replaceState(null, "", window.location.pathname + window.location.search);
  }

  // The server came back with errors (no script ran the checks, or it refused): the plain
  // form shows them all, and the summary takes focus so screen readers announce it.
  if (summary && !summary.hidden) {
    summary.focus();
    return;
  }

  // MARK: Steps

  survey.classList.add("stepping");
  var questions = all(form, "fieldset.question");
  var steps = [];
  questions.forEach(function (question) {
    steps.push(question);
    steps.push(byId("r-" + question.getAttribute("data-dimension")));
  });
  var trail = [];       // the steps visited, for the back button
  var current = null;

  function go(step, remember) {
    if (current && remember) trail.push(current);
    steps.forEach(function (candidate) { candidate.classList.toggle("current", candidate === step); });
    current = step;
    show(backButton, trail.length > 0);
    var heading = step.querySelector("legend");
    // Focus the question so a screen reader reads it; the page itself never scrolls.
    step.setAttribute("tabindex", "-1");
    step.focus({ preventScroll: true });
    window.scrollTo(0, 0);
    return heading;
  }

  function dimensionOf(step) { return step.getAttribute("data-dimension"); }
  function chosen(dimension) { return form.querySelector("input[name='" + dimension + "']:checked"); }
  function questionAfter(dimension) {
    var index = questions.findIndex(function (q) { return dimensionOf(q) === dimension; });
    return questions[index + 1] || null;
  }
  function reasonStep(dimension) { return byId("r-" + dimension); }

  function clearReasons(dimension) {
    var step = reasonStep(dimension);
    all(step, "input[type=checkbox]").forEach(function (box) { box.checked = false; });
    step.querySelector("input[type=text]").value = "";
    show(step.querySelector(".clerk-field"), false);
    setError(step, null);
  }

  function reasonsOf(dimension) {
    var step = reasonStep(dimension);
    var list = all(step, "input[name='reasons_" + dimension + "']:checked").map(function (box) { return box.value; });
    var clerk = step.querySelector(".clerk-toggle").checked;
    var written = step.querySelector("input[type=text]").value.trim();
    if (clerk && written) list.push(written);
    return list;
  }

  function setError(step, message) {
    var error = step.querySelector(".field-error");
    error.textContent = message || "";
    show(error, !!message);
    step.classList.toggle("has-error", !!message);
    if (message) step.setAttribute("aria-describedby", error.id); else step.removeAttribute("aria-describedby");
    all(step, "input[type=radio]").forEach(function (radio) {
      if (message) radio.setAttribute("aria-invalid", "true"); else radio.removeAttribute("aria-invalid");
    });
  }

  function levelName(dimension) {
    var radio = chosen(dimension);
    return radio ? radio.getAttribute("data-level-name") : "";
  }

  function openReasons(dimension) {
    var step = reasonStep(dimension);
    step.querySelector(".reasons-title").textContent =
      step.getAttribute("data-title").replace("{level}", levelName(dimension));
    go(step, true);
  }

  function advanceFrom(dimension) {
    var next = questionAfter(dimension);
    if (next) go(next, true); else finish();
  }

  // Arrow keys move through a radio group and click as they go: a keyboard user moves
  // on with Enter or Space instead, not with every arrow press.
  var arrowing = false;
  form.addEventListener("keydown", function (event) {
    if (/^Arrow/.test(event.key)) {
      arrowing = true;
      setTimeout(function () { arrowing = false; }, 0);
    } else if (event.key === "Enter" && event.target.type === "radio") {
      event.preventDefault();
      if (event.target.checked) event.target.click();
    }
  });
  // With script, nothing is posted by the browser itself: Enter in the clerk's field is
  // "continue", and the last tap sends the rating.
  form.addEventListener("submit", function (event) {
    if (!survey.classList.contains("stepping") || form.getAttribute("data-posting")) return;
    event.preventDefault();
    if (current && current.classList.contains("reasons")) current.querySelector("button.next").click();
  });

  // A tap on an answer: the radio's click also fires when it was already chosen, so
  // tapping the same answer again after going back still moves on.
  questions.forEach(function (question) {
    var dimension = dimensionOf(question);
    all(question, "input[type=radio]").forEach(function (radio) {
      radio.addEventListener("click", function () {
        setError(question, null);
        if (arrowing) return;
        if (radio.classList.contains("negative")) {
          openReasons(dimension);
        } else {
          // A positive answer has no reasons: any left from an earlier choice go.
          clearReasons(dimension);
          advanceFrom(dimension);
        }
      });
    });
    var reasons = reasonStep(dimension);
    var next = reasons.querySelector("button.next");
    show(next, true);
    next.addEventListener("click", function () {
      if (reasonsOf(dimension).length === 0) {
        setError(reasons, reasons.getAttribute("data-missing").replace("{level}", levelName(dimension)));
        reasons.querySelector(".field-error").focus && reasons.focus({ preventScroll: true });
        return;
      }
      setError(reasons, null);
      advanceFrom(dimension);
    });
    var clerk = reasons.querySelector(".clerk-toggle");
    var field = reasons.querySelector(".clerk-field");
    function clerkShown() {
      show(field, clerk.checked);
      if (clerk.checked) field.querySelector("input").focus({ preventScroll: true });
    }
    clerk.addEventListener("change", clerkShown);
    show(field, clerk.checked);
  });

  backButton.addEventListener("click", function () {
    var previous = trail.pop();
    if (previous) go(previous, false);
  });

  // Every problem at once, before anything is sent; the first one's screen is shown.
  function problems() {
    var found = [];
    questions.forEach(function (question) {
      var dimension = dimensionOf(question);
      var radio = chosen(dimension);
      if (!radio) {
        found.push({ step: question, message: question.getAttribute("data-missing") });
      } else if (radio.classList.contains("negative") && reasonsOf(dimension).length === 0) {
        var reasons = reasonStep(dimension);
        found.push({ step: reasons, message: reasons.getAttribute("data-missing").replace("{level}", levelName(dimension)) });
      }
    });
    return found;
  }

  function showProblems(found) {
    steps.forEach(function (step) { setError(step, null); });
    var list = summary.querySelector("ul");
    list.textContent = "";
    found.forEach(function (problem) {
      setError(problem.step, problem.message);
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + problem.step.id;
      link.textContent = problem.message;
      link.addEventListener("click", function (event) { event.preventDefault(); go(problem.step, true); });
      item.appendChild(link);
      list.appendChild(item);
    });
    show(summary, found.length > 0);
    if (found.length) go(found[0].step, true);
  }

  function finish() {
    var found = problems();
    if (found.length) { showProblems(found); return; }
    show(summary, false);
    if (!kiosk) {
      // The phone posts the form as it is: the server thanks, and a phone rates once.
      form.setAttribute("data-posting", "1");
      form.submit();
      return;
    }
    record();
  }

  // MARK: Kiosk: the rating, the outbox, the thank-you screen

  function newClientID() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var clientID = null;

  function submissionBody() {
    var body = { window: windowCode, channel: "kiosk", client_id: clientID, rated_at: new Date().toISOString(), reasons_by_dimension: {} };
    questions.forEach(function (question) {
      var dimension = dimensionOf(question);
      var radio = chosen(dimension);
      body[dimension] = parseInt(radio.value, 10);
      if (radio.classList.contains("negative")) body.reasons_by_dimension[dimension] = reasonsOf(dimension);
    });
    // Fields other parts of the page add (a pushed visit, say) travel with the rating;
    // the device's token goes in its header when the rating is sent.
    all(form, "input[type=hidden]").forEach(function (input) {
      if (["client_id", "lang", "device_token"].indexOf(input.name) < 0 && input.value) body[input.name] = input.value;
    });
    return body;
  }

  function record() {
    clientID = clientID || newClientID();
    lastClientID = clientID;
    var body = submissionBody();
    outbox.put({ id: clientID, kind: "rating", body: body, createdAt: Date.now(), attempts: 0, nextAt: 0 })
      .then(function () { sync(true); })
      .catch(function () { sendDirectly(body); });
    thank();
  }

  // Without IndexedDB (a private window, a full disk) the rating is still sent, once.
  function sendDirectly(body) {
    post("/api/v1/responses", body).catch(function () {});
  }

  var done = byId("done");
  var thanksTimer = null;

  function thank() {
    survey.classList.add("finished");
    show(form, false);
    show(done, true);
    show(done.querySelector(".add-comment"), true);
    show(done.querySelector(".late-comment"), false);
    show(done.querySelector(".comment-saved"), false);
    done.querySelector("textarea").value = "";
    done.querySelector("h2").focus({ preventScroll: true });
    stopIdle();
    thanksTimer = countdown(done.querySelector(".count"), seconds("data-thanks", 8), function () {
      startOver();
      lockPresses();
    });
  }

  if (done) done.querySelector(".add-comment").addEventListener("click", function () {
    show(done.querySelector(".add-comment"), false);
    show(done.querySelector(".late-comment"), true);
    done.querySelector("textarea").focus();
  });
  if (done) done.querySelector(".send-comment").addEventListener("click", function () {
    var text = done.querySelector("textarea").value.trim();
    if (!text) return;
    var id = clientID;
    outbox.attachComment(id, text).then(function () { sync(true); }, function () {});
    show(done.querySelector(".late-comment"), false);
    show(done.querySelector(".comment-saved"), true);
    thanksTimer.restart();
  });
  // Someone typing a comment is not rushed.
  if (done) ACTIVITY.forEach(function (name) {
    done.addEventListener(name, function () { if (thanksTimer) thanksTimer.restart(); }, { passive: true });
  });

  // A blank form for the next citizen: a new client id, and no visit unless `keepVisit`
  // (one was just pushed for the next citizen).
  function startOver(keepVisit) {
    if (thanksTimer) thanksTimer.stop();
    thanksTimer = null;
    hidePrompt();
    form.reset();
    questions.forEach(function (question) { clearReasons(dimensionOf(question)); setError(question, null); });
    all(form, ".clerk-field").forEach(function (field) { show(field, false); });
    show(summary, false);
    clientID = null;
    trail = [];
    if (keepVisit !== true) forgetVisit();
    survey.classList.remove("finished");
    show(done, false);
    show(form, true);
    go(questions[0], false);
    startIdle();
  }

  function forgetVisit() {
    var field = byId("visit-token");
    if (field) field.value = "";
    show(byId("visit-banner"), false);
  }

  // kiosk-visit.js tells of a visit it has just put on the form: a fresh form for it.
  survey.addEventListener("pingjia:visit", function () { startOver(true); });

  function seconds(attribute, fallback) {
    var value = parseInt(survey.getAttribute(attribute) || "", 10);
    return value > 0 ? value : fallback;
  }

  // MARK: Kiosk: "more time?" before any reset

  var prompt = byId("prompt");
  var idleTimer = null, promptTimer = null;

  function started() { return !!form.querySelector("input:checked") || trail.length > 0; }

  function startIdle() {
    stopIdle();
    idleTimer = setTimeout(function () {
      // A blank first screen has nothing to lose: no prompt, just wait on.
      if (!started()) { startIdle(); return; }
      showPrompt();
    }, seconds("data-idle", 120) * 1000);
  }
  function stopIdle() { if (idleTimer) clearTimeout(idleTimer); idleTimer = null; }

  function showPrompt() {
    show(prompt, true);
    prompt.querySelector("button").focus({ preventScroll: true });
    promptTimer = countdown(prompt.querySelector(".count"), seconds("data-prompt", 30), startOver);
  }
  function hidePrompt() {
    if (promptTimer) promptTimer.stop();
    promptTimer = null;
    show(prompt, false);
  }

  if (kiosk) {
    prompt.querySelector("button").addEventListener("click", function () {
      hidePrompt();
      startIdle();
      if (current) current.focus({ preventScroll: true });
    });
    // Any touch while choosing is a sign someone is there: the wait starts again, and an
    // open prompt stays until its button is pressed (so a stray touch cannot dismiss it
    // without the person seeing that they were asked).
    ACTIVITY.forEach(function (name) {
      form.addEventListener(name, function () { if (!promptTimer && !survey.classList.contains("finished")) startIdle(); }, { passive: true });
    });
  }

  // MARK: Kiosk: the outbox

  var DB_NAME = "pingjia-kiosk", STORE = "outbox";
  var tab = newClientID();
  var outbox = (function () {
    var opened = null;
    function open() {
      if (!opened) {
        opened = new Promise(function (resolve, reject) {
          if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
          var request = window.indexedDB.open(DB_NAME, 1);
          request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
          request.onsuccess = function () { resolve(request.result); };
          request.onerror = function () { reject(request.error); };
        });
      }
      return opened;
    }
    // Runs `work(store)` in one readwrite transaction and resolves with what it returned,
    // once the transaction has committed.
    function transact(work) {
      return open().then(function (db) {
        return new Promise(function (resolve, reject) {
          var transaction = db.transaction(STORE, "readwrite");
          var result;
          transaction.oncomplete = function () { resolve(result); };
          transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
          result = work(transaction.objectStore(STORE));
        });
      });
    }
    function each(store, visit, finished) {
      var cursor = store.openCursor();
      cursor.onsuccess = function () {
        var at = cursor.result;
        if (!at) { if (finished) finished(); return; }
        visit(at.value, at);
        at.continue();
      };
    }
    return {
      put: function (record) { return transact(function (store) { store.put(record); }); },
      // The comment joins its rating while that is still waiting; otherwise it is a
      // message of its own, sent after the rating.
      attachComment: function (id, text) {
        return transact(function (store) {
          var get = store.get(id);
          get.onsuccess = function () {
            var rating = get.result;
            if (rating && !rating.claimUntil) {
              rating.body.comment = text;
              store.put(rating);
            } else {
              store.put({ id: "comment:" + id, kind: "comment", ratingID: id, body: { comment: text }, createdAt: Date.now(), attempts: 0, nextAt: 0 });
            }
          };
        });
      },
      // Claims every record due now that no other tab holds: a readwrite transaction is
      // exclusive, so two tabs never claim the same record. A claim lapses after a minute,
      // so a tab that crashed mid-send leaves nothing stuck.
      claimDue: function (all) {
        var claimed = [];
        var now = Date.now();
        return transact(function (store) {
          each(store, function (record, cursor) {
            if ((!all && record.nextAt > now) || (record.claimUntil && record.claimUntil > now)) return;
            record.claimUntil = now + 60000;
            record.claimBy = tab;
            cursor.update(record);
            claimed.push(record);
          });
        }).then(function () {
          // Ratings before their comments.
          return claimed.sort(function (a, b) { return (a.kind === "rating" ? 0 : 1) - (b.kind === "rating" ? 0 : 1) || a.createdAt - b.createdAt; });
        });
      },
      remove: function (id) { return transact(function (store) { store.delete(id); }); },
      release: function (record, delay) {
        return transact(function (store) {
          var get = store.get(record.id);
          get.onsuccess = function () {
            var stored = get.result;
            if (!stored) return;
            stored.attempts = (stored.attempts || 0) + 1;
            stored.nextAt = Date.now() + delay(stored.attempts);
            stored.claimUntil = 0;
            store.put(stored);
          };
        });
      },
      count: function () {
        return transact(function (store) { return store.count(); }).then(function (request) { return request.result; });
      },
    };
  })();

  // The paired device's token, kept by kiosk-visit.js; the cookie carries it too, but a
  // browser may drop cookies.
  function deviceToken() {
    var field = form.querySelector("input[name=device_token]");
    if (field && field.value) return field.value;
    try { return window.localStorage.getItem("pingjia.deviceToken"); } catch (e) { return null; }
  }

  function post(path, body) {
    var headers = { "Content-Type": "application/json", "Accept-Language": survey.getAttribute("data-lang") || "zh" };
    var token = deviceToken();
    if (token) headers["X-Device-Token"] = token;
    return window.fetch(path, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  }

  // 2 s, 4 s, 8 s … up to 5 minutes, with some jitter so kiosks do not retry in step.
  function backoff(attempts) {
    return Math.min(300000, 2000 * Math.pow(2, Math.min(attempts, 10))) * (0.75 + Math.random() * 0.5);
  }

  // Whether an answer settles a record: stored (201), the same rating stored before
  // (200), or refused for good (4xx other than 408/429). Anything else is tried again.
  function settled(record, status) {
    // A comment may arrive before its rating (which waits for its own retry): its 404 is
    // not final until the rating has had time to arrive.
    if (record.kind === "comment" && status === 404 && (record.attempts || 0) < 20) return false;
    return (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 408 && status !== 429);
  }

  function sendRecord(record) {
    var path = record.kind === "rating" ? "/api/v1/responses" : "/api/v1/responses/" + encodeURIComponent(record.ratingID) + "/comment";
    return post(path, record.body).then(function (reply) {
      return settled(record, reply.status) ? outbox.remove(record.id) : outbox.release(record, backoff);
    }, function () {
      return outbox.release(record, backoff);
    });
  }

  var syncing = false, again = false;
  // `now`: everything waiting is tried at once, whatever its backoff (at start, and when
  // the browser says the network is back).
  function sync(now) {
    if (syncing) { again = again || now === true; return Promise.resolve(); }
    syncing = true;
    function run() {
      return outbox.claimDue(now === true).then(function (records) {
        return records.reduce(function (previous, record) {
          return previous.then(function () { return sendRecord(record); });
        }, Promise.resolve());
      });
    }
    // One tab at a time sends, where the browser offers Web Locks (secure contexts);
    // elsewhere the claims in IndexedDB keep tabs apart.
    var locked = navigator.locks && navigator.locks.request
      ? navigator.locks.request("pingjia-outbox", run)
      : run();
    return Promise.resolve(locked).catch(function () {}).then(function () {
      syncing = false;
      if (again) { again = false; return sync(true); }
      return showPending();
    });
  }

  var pending = byId("pending");
  function showPending() {
    return outbox.count().then(function (count) {
      pending.querySelector(".count").textContent = String(count);
      show(pending, count > 0);
    }, function () {});
  }

  if (kiosk) {
    sync(true);
    setInterval(sync, 5000);
    window.addEventListener("online", function () { sync(true); });
    startIdle();
  }

  go(questions[0], false);
  // For tests and staff tools: the outbox's count, and a way to send now.
  var lastClientID = null;
  window.pingjiaKiosk = {
    sync: sync,
    pending: function () { return outbox.count(); },
    lastClientID: function () { return lastClientID; },
  };
})();
