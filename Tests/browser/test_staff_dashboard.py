"""The staff dashboard in real Chromium: a department head signs in through the form,
sees their department's figures, trend chart and open cases, and a 差评 posted meanwhile
through the API appears on the dashboard without a reload (server-sent events; and the
polling fallback on its own). Screenshots of the dashboard and the feedback list are
saved under /tmp/pingjia-shots/, and also under docs/screenshots/ when
PINGJIA_DOC_SCREENSHOTS=1 (how the README's pictures are made)."""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPO, _start_server, _stop_server, describe_violations, open_page, path_of, run_axe, save_screenshot
from pingjia_process import WAIT
from test_staff_login import PASSWORD, add_user, sign_in

DOC_SHOTS = REPO / "docs" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A center with a year of demo ratings, so the trend chart has twelve months to draw."""
    server = _start_server(tmp_path_factory, "pingjia-year", idle_reset_seconds=3600, thanks_seconds=600, days=370)
    yield server
    _stop_server(server)


def shot(driver, name: str) -> None:
    path = save_screenshot(driver, name)
    if os.environ.get("PINGJIA_DOC_SCREENSHOTS") == "1":
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOC_SHOTS / f"{name}.png")


def post_negative(server, window: str, comment: str) -> int:
    body = json.dumps({"window": window, "attitude": 1, "efficiency": 2, "result": 2, "reasons": ["态度差"],
                       "comment": comment, "channel": "kiosk", "client_id": str(uuid.uuid4())}).encode()
    request = urllib.request.Request(server.url("/api/v1/responses"), data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=WAIT) as reply:
        assert reply.status == 201
        return json.loads(reply.read())["id"]


def arrived_row(driver, response_id: int):
    """Waits for the live row of a response; the bound only stops a hung run."""
    selector = f'#latest-feedback tr.arrived[data-id="{response_id}"]'
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, selector), f"{selector} did not arrive")
    return driver.find_element(By.CSS_SELECTOR, selector)


def test_a_head_sees_their_dashboard_and_a_new_negative_arrives_live(server, browser):
    add_user(server, "dashhead", "head", "--department", "SCJG")
    sign_in(browser, server, "dashhead", PASSWORD)
    assert path_of(browser) == "/staff"
    cards = browser.find_elements(By.CSS_SELECTOR, ".department-card h3")
    assert [card.text for card in cards] == ["市场监管科 (SCJG)"]
    chart = browser.find_element(By.CSS_SELECTOR, ".department-card svg.trend-chart")
    assert chart.get_attribute("role") == "img"
    assert len(browser.find_elements(By.CSS_SELECTOR, ".trend-values td")) == 12
    # The stream is open before anything is posted: the status line says so.
    status = browser.find_element(By.ID, "live-status")
    WebDriverWait(browser, WAIT).until(lambda d: "degraded" not in status.get_attribute("class") and "实时" in status.text,
                                       "the live stream did not open")
    page = browser.find_element(By.TAG_NAME, "html")

    post_negative(server, "W04", "不动产登记科的差评，不应出现")
    mine = post_negative(server, "W01", "窗口人员态度冷淡（实时测试）")
    row = arrived_row(browser, mine)
    assert "窗口人员态度冷淡（实时测试）" in row.text and "差评" in row.text
    assert row.find_element(By.TAG_NAME, "a").get_attribute("href").endswith(f"/staff/feedback/{mine}")
    assert "不动产登记科的差评" not in browser.find_element(By.ID, "latest-feedback").text
    # Still the same document: a reload would have made this element stale (an exception).
    assert page.is_enabled()
    shot(browser, "dashboard")

    result = run_axe(browser)
    assert result["violations"] == [], f"axe on the dashboard:\n{describe_violations(result['violations'])}"

    row.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, WAIT).until(lambda d: path_of(d) == f"/staff/feedback/{mine}")
    assert "窗口人员态度冷淡（实时测试）" in browser.find_element(By.CSS_SELECTOR, ".response-fields").text

    open_page(browser, server.url("/staff/feedback?negative=true"))
    rows = browser.find_elements(By.CSS_SELECTOR, ".feedback-table tbody tr")
    assert rows and rows[0].get_attribute("data-id") == str(mine)
    shot(browser, "feedback-list")
    result = run_axe(browser)
    assert result["violations"] == [], f"axe on the feedback list:\n{describe_violations(result['violations'])}"


def test_without_event_streams_the_dashboard_polls(server, browser):
    add_user(server, "pollhead", "head", "--department", "SCJG")
    sign_in(browser, server, "pollhead", PASSWORD)
    open_page(browser, server.url("/staff?live=poll"))
    status = browser.find_element(By.ID, "live-status")
    WebDriverWait(browser, WAIT).until(lambda d: "degraded" in status.get_attribute("class"), "the page did not fall back")
    mine = post_negative(server, "W02", "轮询测试的差评")
    assert "轮询测试的差评" in arrived_row(browser, mine).text
