"""The pages work with JavaScript switched off: one plain HTML form and CSS, which never
reloads itself."""

import json
import time

from selenium.webdriver.common.by import By

from conftest import checked_levels, choose, client_id, mark_page, open_page, path_of, submit


def test_kiosk_form_submits_and_stores_without_javascript(server, new_browser):
    driver = new_browser(javascript=False)
    window = server.window("W01")
    open_page(driver, server.url("/kiosk/W01"))
    # Nothing reloads the form behind a person's back, with or without script.
    assert not driver.find_elements(By.CSS_SELECTOR, "meta[http-equiv=refresh]")
    assert not driver.find_elements(By.CSS_SELECTOR, "noscript meta")
    # Nothing reads as invalid before an attempt.
    assert not driver.find_elements(By.CSS_SELECTOR, "[aria-invalid], :invalid")

    cid = client_id(driver)
    # Two 差评 first, without reasons: the server reports both at once, each at its question.
    choose(driver, "attitude", 1)
    assert driver.find_element(By.ID, "r-attitude").is_displayed()
    assert not driver.find_element(By.ID, "r-efficiency").is_displayed()
    choose(driver, "efficiency", 2)
    assert driver.find_element(By.ID, "r-efficiency").is_displayed()
    page = mark_page(driver)
    time.sleep(12)  # longer than the server's idle time: still the same page
    assert driver.execute_script("return window.pingjiaTestPage") == page
    submit(driver)
    assert path_of(driver) == "/kiosk/W01"
    summary = driver.find_element(By.CSS_SELECTOR, "div.error-summary")
    assert summary.is_displayed()
    items = summary.find_elements(By.CSS_SELECTOR, "li")
    assert len(items) == 3, [item.text for item in items]
    assert "服务态度" in items[0].text and "非常不满意" in items[0].text
    assert "办事效率" in items[1].text and "不满意" in items[1].text
    assert "办理结果" in items[2].text
    for dimension in ("attitude", "efficiency"):
        fieldset = driver.find_element(By.ID, f"r-{dimension}")
        assert "has-error" in fieldset.get_attribute("class")
        assert fieldset.get_attribute("aria-describedby") == f"rerr-{dimension}"
    result = driver.find_element(By.ID, "q-result")
    assert result.get_attribute("aria-describedby") == "err-result"
    assert checked_levels(driver) == {"attitude": 1, "efficiency": 2}

    driver.find_element(By.CSS_SELECTOR, "#r-attitude label.reason").click()
    driver.find_element(By.CSS_SELECTOR, "#r-efficiency label.reason.clerk").click()
    driver.find_element(By.ID, "reason-other-efficiency").send_keys("窗口电脑坏了")
    choose(driver, "result", 1)
    driver.find_element(By.CSS_SELECTOR, "#r-result label.reason").click()
    driver.find_element(By.ID, "comment").send_keys("没有脚本也能提交")
    submit(driver)
    assert path_of(driver).startswith("/kiosk/W01/thanks?lang=zh")
    row = server.response(cid)
    assert row is not None, "the form did not store without JavaScript"
    assert row["channel"] == "kiosk" and row["window_id"] == window["id"]
    assert (row["attitude"], row["efficiency"], row["result"]) == (1, 2, 1)
    assert row["is_negative"] == 1 and "窗口电脑坏了" in json.loads(row["reasons"])
    assert row["comment"] == "没有脚本也能提交"
