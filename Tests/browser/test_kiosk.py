"""The kiosk page /kiosk/{window} with script: one question per screen, in Chinese by default,
tapped with a (emulated) finger."""

import json
import time

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (
    DIMENSIONS, LEVEL_LABELS_ZH, WAIT, checked_levels, choice, current_step, fits_the_screen, last_client_id,
    open_page, overflowing_tiles, radio, rate_all, rect, save_screenshot, set_viewport, tap, tap_level, wait_for_row,
    wait_for_step, wait_for_thanks, wrapped_labels,
)

# 适老化: text of at least 18 pt = 24 CSS px, tap targets of at least 60×60.
MIN_TEXT_PX = 24
MIN_TAP_PX = 60

SIZES = {"1024x600": (1024, 600), "1280x800": (1280, 800), "800x1280": (800, 1280), "360x640": (360, 640)}


def small_texts(driver, minimum: int = MIN_TEXT_PX) -> list[str]:
    """Every visible element with its own text whose font is under `minimum` px."""
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
        """, minimum)


def small_targets(driver, minimum: int = MIN_TAP_PX) -> list[str]:
    """Every visible control (link, button, choice or reason tile, text field) under the minimum."""
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
        """, minimum)


def shown(driver, element_id: str) -> bool:
    return driver.execute_script("const e = document.getElementById(arguments[0]); return !!e && !e.hidden", element_id)


@pytest.mark.parametrize("size", list(SIZES))
def test_a_satisfied_citizen_rates_in_three_taps_without_scrolling(calm_server, browser, size):
    server = calm_server
    width, height = SIZES[size]
    set_viewport(browser, width, height, mobile=width < 700, scale=2 if width < 700 else 1)
    window = server.window("W01")
    open_page(browser, server.url("/kiosk/W01"))
    assert browser.execute_script("return window.innerWidth") == width
    assert browser.execute_script("return window.innerHeight") == height
    assert browser.execute_script("return navigator.maxTouchPoints") > 0

    taps = 0
    for index, dimension in enumerate(DIMENSIONS):
        wait_for_step(browser, f"q-{dimension}")
        step = current_step(browser)
        assert ["服务态度", "办事效率", "办理结果"][index] in step.find_element(By.TAG_NAME, "legend").text
        assert f"第 {index + 1} 题" in step.get_attribute("textContent")
        tiles = step.find_elements(By.CSS_SELECTOR, "label.choice")
        assert [tile.find_element(By.CSS_SELECTOR, ".text").text for tile in tiles] == LEVEL_LABELS_ZH
        # Everything on one screen: nothing to scroll, every choice in view and big enough.
        assert fits_the_screen(browser), f"{size}: question {index + 1} needs scrolling"
        for tile in tiles:
            box = rect(browser, tile)
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (size, tile.text, box)
        assert small_targets(browser) == []
        assert small_texts(browser) == []
        assert wrapped_labels(browser) == []
        assert overflowing_tiles(browser) == []
        # No separate submit button on the way.
        assert not browser.find_element(By.CSS_SELECTOR, "button.submit").is_displayed()
        save_screenshot(browser, f"kiosk-{size}-question-{index + 1}")
        tap_level(browser, dimension, 5)
        taps += 1

    wait_for_thanks(browser)
    assert taps == 3
    assert fits_the_screen(browser), f"{size}: the thank-you screen needs scrolling"
    assert "感谢您的评价" in browser.find_element(By.ID, "done").text
    save_screenshot(browser, f"kiosk-{size}-thanks")
    row = wait_for_row(server, last_client_id(browser))
    assert (row["attitude"], row["efficiency"], row["result"]) == (5, 5, 5)
    assert row["channel"] == "kiosk" and row["window_id"] == window["id"]
    assert row["rated_at"] is not None and row["rated_at"] <= row["created_at"]
    assert json.loads(row["reasons"]) == []


def test_back_is_one_tap_and_keeps_the_answer(server, browser):
    open_page(browser, server.url("/kiosk/W01"))
    assert not browser.find_element(By.CSS_SELECTOR, "button.back").is_displayed(), "nothing to go back to yet"
    tap_level(browser, "attitude", 4)
    wait_for_step(browser, "q-efficiency")
    tap(browser, browser.find_element(By.CSS_SELECTOR, "button.back"))
    wait_for_step(browser, "q-attitude")
    assert radio(browser, "attitude", 4).is_selected()
    # Tapping the same answer again moves on, as a first tap would.
    tap_level(browser, "attitude", 4)
    wait_for_step(browser, "q-efficiency")


def test_a_dissatisfied_citizen_gives_reasons_per_question_without_typing(server, browser):
    open_page(browser, server.url("/kiosk/W01"))
    tap_level(browser, "attitude", 2)
    wait_for_step(browser, "r-attitude")
    screen = current_step(browser)
    title = screen.find_element(By.CSS_SELECTOR, "legend").text
    assert "服务态度" in title and "不满意" in title, title
    assert fits_the_screen(browser)
    save_screenshot(browser, "kiosk-1280x800-reasons")
    tiles = screen.find_elements(By.CSS_SELECTOR, "label.reason")
    assert len(tiles) >= 3 and tiles[-1].text == "请工作人员帮我记录"
    assert small_targets(browser) == []

    # Continue without a reason: the error names the question and the level, on this screen.
    tap(browser, screen.find_element(By.CSS_SELECTOR, "button.next"))
    error = screen.find_element(By.CSS_SELECTOR, ".field-error")
    assert error.is_displayed() and "服务态度" in error.text and "不满意" in error.text
    assert error.get_attribute("id") in (screen.get_attribute("aria-describedby") or "")
    save_screenshot(browser, "kiosk-1280x800-reasons-error")
    first = tiles[0].text
    tap(browser, tiles[0])
    tap(browser, screen.find_element(By.CSS_SELECTOR, "button.next"))

    # 非常不满意 on the second question: its own screen, here the clerk writes the reason.
    tap_level(browser, "efficiency", 1)
    wait_for_step(browser, "r-efficiency")
    screen = current_step(browser)
    assert "办事效率" in screen.text and "非常不满意" in screen.text
    tap(browser, screen.find_elements(By.CSS_SELECTOR, "label.reason")[-1])
    field = screen.find_element(By.CSS_SELECTOR, "input[type=text]")
    WebDriverWait(browser, WAIT).until(lambda d: field.is_displayed(), "the clerk's field did not open")
    field.send_keys("排队叫号系统坏了")
    save_screenshot(browser, "kiosk-1280x800-clerk")
    tap(browser, screen.find_element(By.CSS_SELECTOR, "button.next"))

    tap_level(browser, "result", 5)
    wait_for_thanks(browser)
    row = wait_for_row(server, last_client_id(browser))
    assert (row["attitude"], row["efficiency"], row["result"]) == (2, 1, 5)
    assert row["is_negative"] == 1
    assert sorted(json.loads(row["reasons"])) == sorted([first, "排队叫号系统坏了"])


def test_changing_an_answer_to_a_positive_one_clears_its_reasons(server, browser):
    open_page(browser, server.url("/kiosk/W01"))
    tap_level(browser, "attitude", 1)
    wait_for_step(browser, "r-attitude")
    tile = current_step(browser).find_elements(By.CSS_SELECTOR, "label.reason")[0]
    tap(browser, tile)
    assert tile.find_element(By.TAG_NAME, "input").is_selected()
    tap(browser, browser.find_element(By.CSS_SELECTOR, "button.back"))
    tap_level(browser, "attitude", 4)
    wait_for_step(browser, "q-efficiency")
    assert not browser.find_elements(By.CSS_SELECTOR, "input[name=reasons_attitude]:checked")
    tap_level(browser, "efficiency", 5)
    tap_level(browser, "result", 5)
    wait_for_thanks(browser)
    row = wait_for_row(server, last_client_id(browser))
    assert (row["attitude"], row["is_negative"], json.loads(row["reasons"])) == (4, 0, [])


def test_the_thank_you_screen_takes_a_comment_and_offers_no_second_rating(calm_server, browser):
    open_page(browser, calm_server.url("/kiosk/W01"))
    cid = rate_all(browser, 4)
    done = browser.find_element(By.ID, "done")
    # A countdown, and no way back into the rating just given.
    assert int(done.find_element(By.CSS_SELECTOR, ".count").text) > 0
    assert not browser.find_element(By.CSS_SELECTOR, "form.survey-form").is_displayed()
    assert not any(b.is_displayed() for b in browser.find_elements(By.CSS_SELECTOR, "button.back"))
    tap(browser, done.find_element(By.CSS_SELECTOR, "button.add-comment"))
    browser.find_element(By.ID, "late-comment").send_keys("工作人员很耐心")
    save_screenshot(browser, "kiosk-1280x800-comment")
    tap(browser, done.find_element(By.CSS_SELECTOR, "button.send-comment"))
    assert done.find_element(By.CSS_SELECTOR, ".comment-saved").is_displayed()
    WebDriverWait(browser, WAIT).until(lambda d: (calm_server.response(cid) or {"comment": None})["comment"] == "工作人员很耐心",
                                       "the comment did not reach the stored rating")


def test_after_a_rating_the_next_form_rests_and_ignores_presses_for_a_moment(server, browser):
    open_page(browser, server.url("/kiosk/W01"))
    first = rate_all(browser, 5)
    # The thank-you screen goes by itself; the next form comes up resting.
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return document.getElementById('survey').classList.contains('resting')"),
        "the next form did not rest")
    assert current_step(browser).get_attribute("id") == "q-attitude"
    # A hand still on the screen: the press is ignored while the form rests.
    tap(browser, choice(browser, "attitude", 1))
    state = browser.execute_script(
        "return {resting: document.getElementById('survey').classList.contains('resting'),"
        " checked: !!document.querySelector('input[name=attitude]:checked'),"
        " step: document.querySelector('.step.current').id}")
    assert state["resting"], "the form stopped resting before the press could be checked"
    assert state == {"resting": True, "checked": False, "step": "q-attitude"}
    # Then it takes presses again, for a new rating.
    assert rate_all(browser, 4) != first


def test_a_pause_asks_first_and_a_person_still_choosing_is_never_reset(server, browser):
    """The server's idle time is 10 s, its prompt counts down 20 s."""
    open_page(browser, server.url("/kiosk/W01"))
    assert browser.find_element(By.ID, "survey").get_attribute("data-idle") == "10"
    tap_level(browser, "attitude", 5)
    wait_for_step(browser, "q-efficiency")
    # Someone who keeps touching for longer than the idle time is never interrupted.
    back = browser.find_element(By.CSS_SELECTOR, "button.back")
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline:
        tap(browser, back)
        tap_level(browser, "attitude", 5)
        assert not shown(browser, "prompt"), "the prompt came while someone was choosing"
        time.sleep(3)
    assert radio(browser, "attitude", 5).is_selected()

    # Then a pause: the question comes, with a countdown of at least 20 s.
    WebDriverWait(browser, WAIT).until(lambda d: shown(d, "prompt"), "no prompt after the idle time")
    prompt = browser.find_element(By.ID, "prompt")
    assert "还需要更多时间吗？" in prompt.text
    assert int(prompt.find_element(By.CSS_SELECTOR, ".count").text) >= 19
    assert prompt.get_attribute("role") == "alertdialog"
    save_screenshot(browser, "kiosk-1280x800-more-time")
    tap(browser, prompt.find_element(By.CSS_SELECTOR, "button"))
    assert not shown(browser, "prompt")
    assert current_step(browser).get_attribute("id") == "q-efficiency"
    assert radio(browser, "attitude", 5).is_selected()

    # Nobody answers the next time: the form starts over, blank.
    WebDriverWait(browser, WAIT).until(lambda d: shown(d, "prompt"), "no second prompt")
    WebDriverWait(browser, WAIT).until(lambda d: not shown(d, "prompt"), "the prompt never ended")
    wait_for_step(browser, "q-attitude")
    assert checked_levels(browser) == {}


def test_elder_mode_has_larger_text_and_targets_and_more_time(server, browser):
    open_page(browser, server.url("/kiosk/W01?elder=1"))
    assert "elder" in browser.find_element(By.TAG_NAME, "body").get_attribute("class")
    survey = browser.find_element(By.ID, "survey")
    assert survey.get_attribute("data-idle") == "20" and survey.get_attribute("data-prompt") == "40"
    assert small_texts(browser, 32) == []
    assert small_targets(browser, 88) == []
    save_screenshot(browser, "kiosk-1280x800-elder")
    tap_level(browser, "attitude", 2)
    wait_for_step(browser, "r-attitude")
    assert small_texts(browser, 32) == []
    assert small_targets(browser, 88) == []


@pytest.mark.parametrize("size", ["1024x600", "1280x800", "800x1280"])
def test_elder_mode_takes_three_taps_without_scrolling_on_a_tablet(calm_server, browser, size):
    width, height = SIZES[size]
    set_viewport(browser, width, height, mobile=False, scale=1)
    open_page(browser, calm_server.url("/kiosk/W01?elder=1"))
    for index, dimension in enumerate(DIMENSIONS):
        wait_for_step(browser, f"q-{dimension}")
        assert fits_the_screen(browser), f"{size}: question {index + 1} needs scrolling in elder mode"
        assert small_texts(browser, 32) == []
        assert small_targets(browser, 88) == []
        assert wrapped_labels(browser) == []
        assert overflowing_tiles(browser) == []
        save_screenshot(browser, f"kiosk-{size}-elder-question-{index + 1}")
        tap_level(browser, dimension, 5)
    wait_for_thanks(browser)
    row = wait_for_row(calm_server, last_client_id(browser))
    assert (row["attitude"], row["efficiency"], row["result"]) == (5, 5, 5)


def test_unknown_window_is_a_404_page(server, browser):
    open_page(browser, server.url("/kiosk/W99"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "页面不存在"
    assert "不存在" in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.CSS_SELECTOR, "form")
    status, _ = server.post("/kiosk/W99", [("attitude", "5"), ("efficiency", "5"), ("result", "5")])
    assert status == 404
