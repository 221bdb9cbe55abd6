"""A kiosk tablet paired in real Chromium follows its window's visits (一次一评): a visit
pushed by the queue system's API appears on the kiosk without a reload, and the rating
made there is stored bound to that visit. It arrives through the event stream where the
browser has EventSource, and through the long poll where it has not, or where the stream
is refused or cannot connect."""

import json
import urllib.request

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import WAIT, fits_the_screen, open_page, path_of, save_screenshot, tap_level, wait_for_thanks


def create_visit(server, key: str, **body) -> dict:
    request = urllib.request.Request(
        server.url("/api/v1/visits"), data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=WAIT) as reply:
        assert reply.status == 201
        return json.loads(reply.read())


# Before any page script: notes which way the page listens, and for the long-poll case
# takes EventSource away, as an old browser lacks it.
RECORDER = """
window.__kiosk = {streams: [], polls: []};
if (window.EventSource) {
  var NativeEventSource = window.EventSource;
  window.EventSource = function (url, options) {
    window.__kiosk.streams.push(String(url));
    return new NativeEventSource(url, options);
  };
  window.EventSource.prototype = NativeEventSource.prototype;
}
var nativeOpen = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url) {
  if (/\\/visit\\?/.test(String(url))) window.__kiosk.polls.push(String(url));
  return nativeOpen.apply(this, arguments);
};
"""
WITHOUT_EVENT_SOURCE = "delete window.EventSource;"


@pytest.mark.parametrize("way, window", [
    ("stream", "W03"), ("long poll", "W02"), ("refused stream", "W01"), ("failing stream", "W04"),
])
def test_a_paired_kiosk_rates_the_visit_pushed_to_it(server, browser, way, window):
    source = (WITHOUT_EVENT_SOURCE if way == "long poll" else "") + RECORDER
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
    key = server.cli("apikey", "create", "--name", f"queue-{window}", "--scope", "visits:write").strip().splitlines()[-1]
    code = server.cli("device", "pair", "--window", window, "--name", f"{window} 平板").strip().splitlines()[-1]

    open_page(browser, server.url("/kiosk/pair"))
    browser.find_element(By.ID, "pairing-code").send_keys(code)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, WAIT).until(lambda d: path_of(d).startswith(f"/kiosk/{window}"), "pairing did not lead to the kiosk")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return document.readyState") == "complete" and not d.find_elements(By.CSS_SELECTOR, ".device-notice"),
        "the paired kiosk still says it is not paired")
    token = browser.execute_script("return window.localStorage.getItem('pingjia.deviceToken')")
    assert token and len(token) == 64
    if way == "failing stream":
        # The stream cannot connect at all (as through a proxy that drops it): the kiosk
        # gives it up and long-polls.
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/visits/events*"]})
        open_page(browser, server.url(f"/kiosk/{window}"))
        WebDriverWait(browser, WAIT).until(
            lambda d: d.execute_script("return window.__kiosk.polls.length") > 0, "the kiosk never gave up its failing stream")
    if way == "refused stream":
        # The cookie is lost: the stream, which only the cookie can authenticate, is refused,
        # and the long poll carries the token kept in local storage.
        browser.delete_cookie("pingjia_device")
        open_page(browser, server.url(f"/kiosk/{window}"))
        WebDriverWait(browser, WAIT).until(
            lambda d: d.execute_script("return window.__kiosk.polls.length") > 0, "the kiosk without its cookie found no way to listen")
    assert "#" not in browser.current_url, "the device token stays in the address"
    banner = browser.find_element(By.ID, "visit-banner")
    assert not banner.is_displayed()

    visit = create_visit(server, key, ticket="A088", window=window)
    WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.ID, "visit-banner").is_displayed(), "the visit never reached the kiosk")
    assert "A088" in browser.find_element(By.ID, "visit-banner").text
    # The banner shares the header's row with the language link: the question still fits.
    assert fits_the_screen(browser)
    if way == "stream":
        save_screenshot(browser, "kiosk-1280x800-visit")
    assert browser.find_element(By.ID, "visit-token").get_attribute("value") == visit["visit_token"]
    heard = browser.execute_script("return window.__kiosk")
    if way == "stream":
        assert heard["streams"] == [f"/kiosk/{window}/visits/events?after=0"] and heard["polls"] == [], heard
    elif way in ("refused stream", "failing stream"):
        assert heard["streams"] == [f"/kiosk/{window}/visits/events?after=0"] and heard["polls"], heard
    else:
        assert heard["streams"] == [] and heard["polls"] and all(url.startswith(f"/kiosk/{window}/visit?") for url in heard["polls"]), heard

    for dimension in ("attitude", "efficiency", "result"):
        tap_level(browser, dimension, 5)
    wait_for_thanks(browser)

    def bound(_):
        return server.query(
            "SELECT vr.visit_id, w.code AS window_code, r.attitude, r.provenance FROM visit_rating vr"
            " JOIN response r ON r.id = vr.response_id JOIN service_window w ON w.id = r.window_id WHERE vr.visit_id = ?",
            (visit["id"],))
    WebDriverWait(browser, WAIT).until(bound, "the rating did not arrive bound to the visit")
    assert [(row["window_code"], row["attitude"], row["provenance"]) for row in bound(None)] == [(window, 5, "visit")]

    # When the thank-you screen has gone, the next citizen's form carries no visit until
    # the next one is pushed.
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return document.getElementById('visit-token').value") == ""
        and not d.find_element(By.ID, "visit-banner").is_displayed(), "the visit stayed on the next form")
