"""The phone page /r/{window}: a citizen who scanned the window's QR code."""

from selenium.webdriver.common.by import By

from conftest import (
    DIMENSIONS, as_phone, current_step, fits_the_screen, open_page, path_of, rect, save_screenshot,
    set_viewport, tap_level, wait_for_step,
)
from selenium.webdriver.support.ui import WebDriverWait

from conftest import WAIT


def test_phone_rates_in_three_taps_one_wide_choice_per_row_and_stores_a_qr_rating(server, browser):
    set_viewport(browser, 360, 640, mobile=True, scale=2)
    window = server.window("W02")
    # The citizen scanned the window's printed code: its signed link.
    signed = server.signed_url("W02")
    open_page(browser, signed)
    assert browser.execute_script("return window.innerWidth") == 360
    assert browser.execute_script("return navigator.maxTouchPoints") > 0
    assert window["name"] in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.TAG_NAME, "main").get_attribute("data-idle") is None, \
        "a citizen's own phone never clears itself"
    cid = browser.find_element(By.CSS_SELECTOR, "input[name=client_id]").get_attribute("value")

    for index, dimension in enumerate(DIMENSIONS):
        wait_for_step(browser, f"q-{dimension}")
        assert fits_the_screen(browser), f"question {index + 1} needs scrolling on the phone"
        tiles = [rect(browser, tile) for tile in current_step(browser).find_elements(By.CSS_SELECTOR, "label.choice")]
        assert len(tiles) == 5
        for above, below in zip(tiles, tiles[1:]):
            assert below["y"] >= above["y"] + above["height"] - 1, "choices must be stacked, one per row"
        for tile in tiles:
            assert tile["height"] >= 60 and tile["x"] >= 0 and tile["x"] + tile["width"] <= 360
        save_screenshot(browser, f"phone-360x640-question-{index + 1}")
        tap_level(browser, dimension, [4, 5, 4][index])

    WebDriverWait(browser, WAIT).until(lambda d: path_of(d).startswith("/r/W02/thanks"), "no thank-you page")
    assert browser.find_element(By.TAG_NAME, "h1").text == "感谢您的评价！"
    # A phone rates a visit once: no way back into the form, but a comment may follow.
    assert not browser.find_elements(By.CSS_SELECTOR, "form.survey-form")
    save_screenshot(browser, "phone-360x640-thanks")
    browser.find_element(By.ID, "late-comment").send_keys("扫码很方便")
    browser.find_element(By.CSS_SELECTOR, "form.late-comment-form button").click()
    WebDriverWait(browser, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".comment-saved"), "no comment receipt")
    row = server.response(cid)
    assert row is not None, "the phone rating was not stored"
    assert row["channel"] == "qr"
    assert row["window_id"] == window["id"]
    assert (row["attitude"], row["efficiency"], row["result"]) == (4, 5, 4)
    assert row["comment"] == "扫码很方便"
