"""The phone page /r/{window}: a citizen who scanned the window's QR code."""

from selenium.webdriver.common.by import By

from conftest import (
    as_phone, check_mark, checked_levels, choose, client_id, open_page, path_of, rect,
    overflowing_tiles, save_screenshot, submit, wrapped_labels,
)


def test_phone_page_has_one_wide_choice_per_row_and_stores_a_qr_rating(server, browser):
    as_phone(browser)
    window = server.window("W02")
    # The citizen scanned the window's printed code: its signed link.
    signed = server.signed_url("W02")
    open_page(browser, signed)
    assert browser.execute_script("return window.innerWidth") == 390
    assert browser.execute_script("return navigator.maxTouchPoints") > 0
    assert window["name"] in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.TAG_NAME, "main").get_attribute("data-idle-reset") is None, \
        "a citizen's own phone never clears itself"
    save_screenshot(browser, "phone-W02-zh-blank")

    # Nothing sticks out sideways on a narrow phone.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    for question in browser.find_elements(By.CSS_SELECTOR, "fieldset.question"):
        row = rect(browser, question.find_element(By.CSS_SELECTOR, ".choices"))
        tiles = [rect(browser, tile) for tile in question.find_elements(By.CSS_SELECTOR, "label.choice")]
        assert len(tiles) == 5
        for above, below in zip(tiles, tiles[1:]):
            assert below["y"] >= above["y"] + above["height"] - 1, "choices must be stacked, one per row"
        for tile in tiles:
            assert tile["width"] >= 0.95 * row["width"], (tile, row)
            assert tile["x"] >= 0 and tile["x"] + tile["width"] <= 390
            assert tile["height"] >= 60
    # Every tile holds its whole label (nothing sticks out).
    assert overflowing_tiles(browser) == []
    # No Chinese label wraps onto a second line, whichever answer is chosen.
    assert wrapped_labels(browser) == []
    for level in (1, 2, 3, 4, 5):
        choose(browser, "result", level)
        assert wrapped_labels(browser) == [], f"with {level} chosen"
    box = rect(browser, browser.find_element(By.CSS_SELECTOR, "button.submit"))
    assert box["width"] >= 60 and box["height"] >= 60

    cid = client_id(browser)
    # Sent with a question unanswered: the error page keeps the one-column layout.
    choose(browser, "attitude", 4)
    assert "efficiency" not in checked_levels(browser)
    before = checked_levels(browser)
    submit(browser)
    assert path_of(browser) == signed.removeprefix(server.base_url), "the form posts back to the signed link"
    assert browser.find_element(By.CSS_SELECTOR, "div.error-summary").is_displayed()
    assert checked_levels(browser) == before
    assert client_id(browser) == cid
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    flagged = browser.find_element(By.CSS_SELECTOR, "fieldset.question.has-error")
    flagged_name = flagged.find_element(By.CSS_SELECTOR, "input[type=radio]").get_attribute("name")
    for level in (1, 2, 3, 4, 5):
        choose(browser, flagged_name, level)
        assert wrapped_labels(browser) == [], f"with {flagged_name}={level} chosen on the error page"
        assert overflowing_tiles(browser) == []
    save_screenshot(browser, "phone-W02-zh-error")

    choose(browser, "efficiency", 5)
    choose(browser, "result", 4)
    assert checked_levels(browser) == {"attitude": 4, "efficiency": 5, "result": 4}
    # Chosen is shown by a check mark too, not by colour alone.
    assert "✓" in check_mark(browser, "attitude", 4)
    assert "✓" not in check_mark(browser, "attitude", 5)
    save_screenshot(browser, "phone-W02-zh-chosen")
    submit(browser)

    assert path_of(browser) == "/r/W02/thanks?lang=zh"
    assert browser.find_element(By.TAG_NAME, "h1").text == "感谢您的评价！"
    save_screenshot(browser, "phone-W02-zh-thanks")
    row = server.response(cid)
    assert row is not None, "the phone rating was not stored"
    assert row["channel"] == "qr"
    assert row["window_id"] == window["id"] and row["window_code"] == "W02"
    assert (row["attitude"], row["efficiency"], row["result"]) == (4, 5, 4)
    assert row["is_negative"] == 0
