"""English pages: by ?lang=en, and by the browser's Accept-Language alone."""

from selenium.webdriver.common.by import By

from conftest import LEVEL_LABELS_EN, choose, client_id, open_page, path_of, save_screenshot, submit


def assert_english_form(driver):
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    legends = [legend.text for legend in driver.find_elements(By.CSS_SELECTOR, "fieldset.question legend")]
    assert len(legends) == 3
    for legend, label in zip(legends, ["Service attitude", "Efficiency", "Result"]):
        assert label in legend
    for question in driver.find_elements(By.CSS_SELECTOR, "fieldset.question"):
        assert [text.text for text in question.find_elements(By.CSS_SELECTOR, "label.choice .text")] == LEVEL_LABELS_EN
    assert driver.find_element(By.CSS_SELECTOR, "button.submit").text == "Submit"
    assert "Please rate" in driver.find_element(By.CSS_SELECTOR, ".intro").text
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "满意" not in page, "Chinese level labels left on the English page"
    # The way back to Chinese is offered, marked as Chinese.
    switch = driver.find_element(By.CSS_SELECTOR, ".lang a")
    assert switch.text == "中文" and switch.get_attribute("lang") == "zh-CN"


def test_lang_query_gives_english_and_the_switch_goes_back_to_chinese(server, browser):
    open_page(browser, server.url("/kiosk/W01?lang=en"))
    assert_english_form(browser)
    assert browser.find_element(By.CSS_SELECTOR, "input[name=lang]").get_attribute("value") == "en"
    assert browser.find_element(By.ID, "survey").get_attribute("data-reset-url") == "/kiosk/W01?lang=en"
    save_screenshot(browser, "kiosk-W01-en-blank")

    browser.find_element(By.CSS_SELECTOR, ".lang a").click()
    assert path_of(browser) == "/kiosk/W01?lang=zh"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert browser.find_element(By.CSS_SELECTOR, "button.submit").text == "提交评价"


def test_an_english_browser_gets_english_without_asking(server, new_browser):
    driver = new_browser(languages="en-US,en")
    assert driver.execute_script("return navigator.languages[0]").startswith("en")
    open_page(driver, server.url("/kiosk/W01"))
    assert path_of(driver) == "/kiosk/W01"
    assert_english_form(driver)

    cid = client_id(driver)
    for dimension in ("attitude", "efficiency", "result"):
        choose(driver, dimension, 4)
    submit(driver)
    assert path_of(driver) == "/kiosk/W01/thanks?lang=en"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert driver.find_element(By.TAG_NAME, "h1").text == "Thank you for your feedback!"
    row = server.response(cid)
    assert row is not None and row["channel"] == "kiosk"
    assert (row["attitude"], row["efficiency"], row["result"]) == (4, 4, 4)
