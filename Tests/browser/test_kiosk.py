"""The kiosk page /kiosk/{window}: the tablet at the window, in Chinese by default."""

import json
import time

import pytest

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (
    DIMENSIONS, LEVEL_LABELS_ZH, WAIT, check_mark, checked_levels, choose, client_id, mark_page, open_page,
    overflowing_tiles, path_of, radio, rect, save_screenshot, set_viewport, submit, wait_for_new_page,
    wrapped_labels,
)

# Elder mode (适老化): text of at least 18 pt = 24 CSS px, tap targets of at least 60×60.
MIN_TEXT_PX = 24
MIN_TAP_PX = 60


def small_texts(driver) -> list[str]:
    """Every visible element with its own text whose font is under 24 px."""
    return driver.execute_script(
        """
        const min = arguments[0], small = [];
        for (const element of document.body.querySelectorAll("*")) {
          const own = Array.from(element.childNodes)
            .filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent.trim()).join("");
          if (!own || element.closest("[hidden], head, script, style")) continue;
          const box = element.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) continue;
          const size = parseFloat(getComputedStyle(element).fontSize);
          if (size < min) small.push(`${element.tagName.toLowerCase()}.${element.className} "${own.slice(0, 20)}": ${size}px`);
        }
        return small;
        """, MIN_TEXT_PX)


def small_targets(driver) -> list[str]:
    """Every visible control (link, button, choice tile, reason tile, text field) under 60×60."""
    return driver.execute_script(
        """
        const min = arguments[0], small = [];
        for (const element of document.querySelectorAll(
            "a[href], button, label.choice, label.reason, input[type=text], textarea")) {
          const box = element.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue;  // not shown
          if (box.width < min || box.height < min)
            small.push(`${element.tagName.toLowerCase()}.${element.className} "${element.textContent.trim().slice(0, 20)}": ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
        return small;
        """, MIN_TAP_PX)


def test_kiosk_page_shows_the_window_and_three_questions_in_large_chinese(server, browser):
    window = server.window("W01")
    open_page(browser, server.url("/kiosk/W01"))
    save_screenshot(browser, "kiosk-W01-zh-blank")

    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert window["department_name"] == "市场监管科" and window["name"] == "1号窗口"
    assert window["department_name"] in heading and window["name"] in heading
    assert "请您对刚才的服务作出评价" in browser.find_element(By.CSS_SELECTOR, ".intro").text

    questions = browser.find_elements(By.CSS_SELECTOR, "fieldset.question")
    assert len(questions) == 3
    legends = [question.find_element(By.TAG_NAME, "legend").text for question in questions]
    for legend, label in zip(legends, ["服务态度", "办事效率", "办理结果"]):
        assert label in legend
    for question, dimension in zip(questions, DIMENSIONS):
        tiles = question.find_elements(By.CSS_SELECTOR, "label.choice")
        assert len(tiles) == 5
        texts = [tile.find_element(By.CSS_SELECTOR, ".text").text for tile in tiles]
        assert texts == LEVEL_LABELS_ZH
        values = [tile.find_element(By.TAG_NAME, "input").get_attribute("value") for tile in tiles]
        assert values == ["5", "4", "3", "2", "1"]
        assert all(tile.find_element(By.TAG_NAME, "input").get_attribute("name") == dimension for tile in tiles)
        for tile in tiles:
            assert tile.is_displayed()
    assert checked_levels(browser) == {}
    assert browser.find_element(By.CSS_SELECTOR, "button.submit").text == "提交评价"

    # Big enough to read and to touch.
    for tile in browser.find_elements(By.CSS_SELECTOR, "label.choice"):
        box = rect(browser, tile)
        assert box["width"] >= MIN_TAP_PX and box["height"] >= MIN_TAP_PX, (tile.text, box)
    box = rect(browser, browser.find_element(By.CSS_SELECTOR, "button.submit"))
    assert box["width"] >= MIN_TAP_PX and box["height"] >= MIN_TAP_PX, box
    assert small_targets(browser) == []

    # The words on a tile stay on one line, chosen or not, and nothing sticks out of a tile.
    assert wrapped_labels(browser) == []
    assert overflowing_tiles(browser) == []
    for level in (1, 2, 3, 4, 5):
        choose(browser, "attitude", level)
        assert wrapped_labels(browser) == [], f"with {level} chosen"
        assert "✓" in check_mark(browser, "attitude", level)

    body_size = float(browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)"))
    assert body_size >= MIN_TEXT_PX
    assert small_texts(browser) == []

    # The whole tablet width is used without sideways scrolling.
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width,height", [(1024, 768), (800, 1280)], ids=["small-landscape", "upright"])
def test_kiosk_page_fits_other_tablets(server, browser, width, height):
    """A smaller tablet, and the 1280×800 one held upright: still readable and touchable."""
    set_viewport(browser, width, height)
    open_page(browser, server.url("/kiosk/W01"))
    assert browser.execute_script("return window.innerWidth") == width
    choose(browser, "attitude", 1)
    choose(browser, "efficiency", 3)
    save_screenshot(browser, f"kiosk-W01-zh-{width}x{height}")
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    assert wrapped_labels(browser) == []
    assert overflowing_tiles(browser) == []
    assert small_targets(browser) == []
    assert small_texts(browser) == []


def test_all_very_satisfied_is_stored_and_the_thanks_page_returns_to_a_blank_form(server, browser):
    window = server.window("W01")
    open_page(browser, server.url("/kiosk/W01"))
    cid = client_id(browser)
    assert server.response(cid) is None
    for dimension in DIMENSIONS:
        choose(browser, dimension, 5)
    # Chosen is shown by more than colour: a check mark on the tile, and on no other.
    assert "✓" in check_mark(browser, "attitude", 5)
    assert "✓" not in check_mark(browser, "attitude", 4)
    assert not browser.find_element(By.CSS_SELECTOR, "fieldset.reasons").is_displayed()
    submit(browser)

    assert path_of(browser) == "/kiosk/W01/thanks?lang=zh"
    assert browser.find_element(By.TAG_NAME, "h1").text == "感谢您的评价！"
    row = server.response(cid)
    assert row is not None, "the rating was not stored"
    assert row["channel"] == "kiosk"
    assert row["window_id"] == window["id"] and row["window_code"] == "W01"
    assert row["department_id"] == window["department_id"]
    assert (row["attitude"], row["efficiency"], row["result"]) == (5, 5, 5)
    assert row["is_negative"] == 0
    assert json.loads(row["reasons"]) == []
    assert row["status"] == "valid"
    assert abs(row["created_at"] - time.time() * 1000) < 24 * 3600 * 1000  # UTC milliseconds, today

    # Nobody touches the thank-you page: it goes back to a fresh, blank form by itself.
    WebDriverWait(browser, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda d: path_of(d) in ("/kiosk/W01", "/kiosk/W01?lang=zh")
        and d.execute_script("return document.readyState") == "complete",
        "the thank-you page did not return to the form")
    assert browser.find_element(By.CSS_SELECTOR, "form.survey-form button.submit").is_displayed()
    assert checked_levels(browser) == {}
    assert client_id(browser) != cid
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"


def test_negative_rating_asks_for_a_reason_and_keeps_the_choices(server, browser):
    open_page(browser, server.url("/kiosk/W01"))
    cid = client_id(browser)
    reasons = browser.find_element(By.CSS_SELECTOR, "fieldset.reasons")
    assert not reasons.is_displayed()
    choose(browser, "attitude", 4)
    assert not reasons.is_displayed(), "满意 is no 差评: no reasons asked"
    choose(browser, "attitude", 2)
    assert reasons.is_displayed(), "不满意 must bring up the reasons"
    choose(browser, "attitude", 5)
    assert not reasons.is_displayed()
    choose(browser, "attitude", 1)
    assert reasons.is_displayed(), "非常不满意 must bring up the reasons"
    choose(browser, "attitude", 2)
    choose(browser, "efficiency", 5)
    choose(browser, "result", 3)
    save_screenshot(browser, "kiosk-W01-zh-negative-chosen")

    # Submitted with no reason: the same page, an alert at the top, nothing lost.
    submit(browser)
    assert path_of(browser) == "/kiosk/W01"
    summary = browser.find_element(By.CSS_SELECTOR, "div.error-summary")
    assert summary.is_displayed()
    assert summary.get_attribute("role") == "alert"
    assert summary.text.strip()
    assert browser.find_element(By.CSS_SELECTOR, "fieldset.reasons").is_displayed()
    assert "has-error" in browser.find_element(By.CSS_SELECTOR, "fieldset.reasons").get_attribute("class")
    assert checked_levels(browser) == {"attitude": 2, "efficiency": 5, "result": 3}
    assert client_id(browser) == cid
    assert server.response(cid) is None
    save_screenshot(browser, "kiosk-W01-zh-error")
    # Every reason tile can be touched.
    for tile in browser.find_elements(By.CSS_SELECTOR, "label.reason"):
        box = rect(browser, tile)
        assert box["width"] >= 60 and box["height"] >= 60, (tile.text, box)

    # The server answered 422 (checked without a browser, which hides status codes).
    status, body = server.post("/kiosk/W01", [
        ("attitude", "2"), ("efficiency", "5"), ("result", "3"), ("lang", "zh"),
        ("client_id", "00000000-0000-4000-8000-000000000422")])
    assert status == 422 and "error-summary" in body

    tiles = browser.find_elements(By.CSS_SELECTOR, "label.reason")
    assert tiles, "no reasons offered"
    first_reason = tiles[0].text.strip()
    tiles[0].click()
    assert tiles[0].find_element(By.TAG_NAME, "input").is_selected()
    other = "窗口排队叫号不清楚"
    browser.find_element(By.ID, "reason-other").send_keys(other)
    submit(browser)

    assert path_of(browser) == "/kiosk/W01/thanks?lang=zh"
    row = server.response(cid)
    assert row is not None, "the 差评 was not stored"
    assert (row["attitude"], row["efficiency"], row["result"]) == (2, 5, 3)
    assert row["is_negative"] == 1
    assert row["channel"] == "kiosk" and row["window_code"] == "W01"
    stored = json.loads(row["reasons"])
    assert first_reason in stored and other in stored


def test_an_idle_kiosk_clears_itself_but_not_while_someone_is_choosing(server, browser):
    open_page(browser, server.url("/kiosk/W01"))
    cid = client_id(browser)
    first_page = mark_page(browser)

    # A citizen who keeps touching for longer than the idle time keeps their answers.
    # (One touch every 2 s against a 10 s idle time: this checks behaviour, not speed.)
    levels = [5, 4, 3, 4, 5, 4, 3, 4]
    for level in levels:
        choose(browser, "attitude", level)
        time.sleep(2)
    assert browser.execute_script("return window.pingjiaTestPage") == first_page, "the form was cleared while in use"
    assert checked_levels(browser) == {"attitude": levels[-1]}

    # Then they walk away: after 10 s without a touch the form starts afresh.
    wait_for_new_page(browser, first_page, "the idle kiosk did not clear itself")
    assert browser.find_element(By.CSS_SELECTOR, "form.survey-form button.submit").is_displayed()
    assert path_of(browser) in ("/kiosk/W01", "/kiosk/W01?lang=zh")
    assert checked_levels(browser) == {}
    assert not radio(browser, "attitude", levels[-1]).is_selected()
    assert client_id(browser) != cid
    assert server.response(cid) is None, "an abandoned form must not be stored"


def test_unknown_window_is_a_404_page(server, browser):
    open_page(browser, server.url("/kiosk/W99"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "页面不存在"
    assert "不存在" in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.CSS_SELECTOR, "form")
    status, _ = server.post("/kiosk/W99", [("attitude", "5"), ("efficiency", "5"), ("result", "5")])
    assert status == 404
