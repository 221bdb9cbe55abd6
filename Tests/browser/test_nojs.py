"""The pages work with JavaScript switched off: plain HTML forms and CSS."""

import json

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import WAIT, checked_levels, choose, client_id, open_page, path_of, submit


def test_kiosk_form_submits_and_stores_without_javascript(server, new_browser):
    driver = new_browser(javascript=False)
    window = server.window("W01")
    open_page(driver, server.url("/kiosk/W01"))
    # Scripting is off: the <noscript> fallback in the head is parsed into elements (with
    # scripting on it is plain text). The kiosk still clears itself, after a long pause.
    assert driver.find_elements(By.CSS_SELECTOR, "noscript meta[http-equiv=refresh]"), \
        "JavaScript is not off, or the kiosk form lost its <noscript> idle refresh"

    cid = client_id(driver)
    # A 差评 first, without a reason: the server's check works without script too.
    choose(driver, "attitude", 1)
    assert driver.find_element(By.CSS_SELECTOR, "fieldset.reasons").is_displayed()
    choose(driver, "efficiency", 2)
    choose(driver, "result", 1)
    submit(driver)
    assert path_of(driver) == "/kiosk/W01"
    assert driver.find_element(By.CSS_SELECTOR, "div.error-summary").is_displayed()
    assert checked_levels(driver) == {"attitude": 1, "efficiency": 2, "result": 1}
    # survey.js, had it run, would have moved the focus to the error summary.
    assert driver.switch_to.active_element.tag_name == "body"

    driver.find_element(By.CSS_SELECTOR, "label.reason").click()
    driver.find_element(By.ID, "comment").send_keys("没有脚本也能提交")
    submit(driver)
    assert path_of(driver) == "/kiosk/W01/thanks?lang=zh"
    row = server.response(cid)
    assert row is not None, "the form did not store without JavaScript"
    assert row["channel"] == "kiosk" and row["window_id"] == window["id"]
    assert (row["attitude"], row["efficiency"], row["result"]) == (1, 2, 1)
    assert row["is_negative"] == 1 and len(json.loads(row["reasons"])) == 1
    assert row["comment"] == "没有脚本也能提交"

    # Without script the thank-you page still returns to the form, by its <noscript> refresh.
    WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda d: path_of(d) == "/kiosk/W01?lang=zh" and d.execute_script("return document.readyState") == "complete",
        "the thank-you page did not return to the form without JavaScript")
    assert checked_levels(driver) == {}
