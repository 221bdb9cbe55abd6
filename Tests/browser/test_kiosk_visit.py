"""A kiosk tablet paired in real Chromium follows its window's visits (一次一评): a visit
pushed by the queue system's API appears on the kiosk without a reload, and the rating
made there is stored bound to that visit."""

import json
import urllib.request

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


def test_a_paired_kiosk_rates_the_visit_pushed_to_it(server, browser):
    key = server.cli("apikey", "create", "--name", "queue-browser", "--scope", "visits:write").strip().splitlines()[-1]
    code = server.cli("device", "pair", "--window", "W03", "--name", "3号窗口平板").strip().splitlines()[-1]

    open_page(browser, server.url("/kiosk/pair"))
    browser.find_element(By.ID, "pairing-code").send_keys(code)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, WAIT).until(lambda d: path_of(d).startswith("/kiosk/W03"), "pairing did not lead to the kiosk")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return document.readyState") == "complete" and not d.find_elements(By.CSS_SELECTOR, ".device-notice"),
        "the paired kiosk still says it is not paired")
    token = browser.execute_script("return window.localStorage.getItem('pingjia.deviceToken')")
    assert token and len(token) == 64
    assert "#" not in browser.current_url, "the device token stays in the address"
    banner = browser.find_element(By.ID, "visit-banner")
    assert not banner.is_displayed()

    visit = create_visit(server, key, ticket="A088", window="W03")
    WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.ID, "visit-banner").is_displayed(), "the visit never reached the kiosk")
    assert "A088" in browser.find_element(By.ID, "visit-banner").text
    # The banner shares the header's row with the language link: the question still fits.
    assert fits_the_screen(browser)
    save_screenshot(browser, "kiosk-1280x800-visit")
    assert browser.find_element(By.ID, "visit-token").get_attribute("value") == visit["visit_token"]

    for dimension in ("attitude", "efficiency", "result"):
        tap_level(browser, dimension, 5)
    wait_for_thanks(browser)

    def bound(_):
        return server.query(
            "SELECT vr.visit_id, w.code AS window_code, r.attitude, r.provenance FROM visit_rating vr"
            " JOIN response r ON r.id = vr.response_id JOIN service_window w ON w.id = r.window_id WHERE vr.visit_id = ?",
            (visit["id"],))
    WebDriverWait(browser, WAIT).until(bound, "the rating did not arrive bound to the visit")
    assert [(row["window_code"], row["attitude"], row["provenance"]) for row in bound(None)] == [("W03", 5, "visit")]

    # When the thank-you screen has gone, the next citizen's form carries no visit until
    # the next one is pushed.
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return document.getElementById('visit-token').value") == ""
        and not d.find_element(By.ID, "visit-banner").is_displayed(), "the visit stayed on the next form")
