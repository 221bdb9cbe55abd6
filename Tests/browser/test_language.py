"""English pages: by ?lang=en, and by the browser's Accept-Language alone. Whatever has no
translation (here the demo's 差评 reasons; names without an English name, see
test_english_names.py) is marked lang="zh", so a screen reader reads it in Chinese."""

import re

from selenium.webdriver.common.by import By

from conftest import (
    DIMENSIONS, LEVEL_LABELS_EN, current_step, last_client_id, open_page, path_of, save_screenshot, tap,
    tap_level, wait_for_row, wait_for_step, wait_for_thanks,
)


def chinese_outside_lang_zh(driver) -> list[str]:
    """Every piece of text (shown or not) with Chinese characters and no lang="zh…" around it."""
    return driver.execute_script(
        r"""
        const found = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const node = walker.currentNode, text = node.textContent;
          if (!/[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]/.test(text)) continue;
          if (node.parentElement.closest("script, style")) continue;
          const marked = node.parentElement.closest("[lang]");
          if (!marked || !marked.getAttribute("lang").toLowerCase().startsWith("zh")) found.push(text.trim());
        }
        for (const element of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
          for (const name of ["aria-label", "title", "placeholder", "alt"]) {
            const value = element.getAttribute(name) || "";
            if (/[\u3400-\u9fff]/.test(value) && !(element.closest("[lang]")?.getAttribute("lang") || "").startsWith("zh")) found.push(value);
          }
        }
        return found;
        """)


def assert_english_form(driver):
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    legends = [legend.get_attribute("textContent") for legend in driver.find_elements(By.CSS_SELECTOR, "fieldset.question legend")]
    assert len(legends) == 3
    for legend, label in zip(legends, ["Service attitude", "Efficiency", "Result"]):
        assert label in legend
    for question in driver.find_elements(By.CSS_SELECTOR, "fieldset.question"):
        texts = [text.get_attribute("textContent") for text in question.find_elements(By.CSS_SELECTOR, "label.choice .text")]
        assert texts == LEVEL_LABELS_EN
    assert chinese_outside_lang_zh(driver) == []
    # The way back to Chinese is offered, marked as Chinese.
    switch = driver.find_element(By.CSS_SELECTOR, ".lang a")
    assert switch.text == "中文" and switch.get_attribute("lang") == "zh-CN"


def test_english_has_no_untranslated_text_outside_lang_zh_on_any_screen(calm_server, browser):
    server = calm_server
    open_page(browser, server.url("/kiosk/W01?lang=en"))
    assert_english_form(browser)
    assert browser.find_element(By.CSS_SELECTOR, "input[name=lang]").get_attribute("value") == "en"
    save_screenshot(browser, "kiosk-1280x800-en-question-1")
    tap_level(browser, "attitude", 2)
    wait_for_step(browser, "r-attitude")
    title = current_step(browser).find_element(By.TAG_NAME, "legend").text
    assert "Dissatisfied" in title and "Service attitude" in title
    # A reason with an English text shows it; one without shows its Chinese, marked.
    for reason in current_step(browser).find_elements(By.CSS_SELECTOR, "label.reason span"):
        if re.search("[\u3400-\u9fff]", reason.text):
            assert reason.get_attribute("lang") == "zh-CN", reason.text
    save_screenshot(browser, "kiosk-1280x800-en-reasons")
    assert chinese_outside_lang_zh(browser) == []
    tap(browser, current_step(browser).find_elements(By.CSS_SELECTOR, "label.reason")[0])
    tap(browser, current_step(browser).find_element(By.CSS_SELECTOR, "button.next"))
    tap_level(browser, "efficiency", 4)
    tap_level(browser, "result", 4)
    wait_for_thanks(browser)
    assert "Thank you" in browser.find_element(By.ID, "done").text
    assert chinese_outside_lang_zh(browser) == []
    save_screenshot(browser, "kiosk-1280x800-en-thanks")

    browser.find_element(By.CSS_SELECTOR, ".lang a").click()
    assert path_of(browser) == "/kiosk/W01?lang=zh"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"


def test_an_english_browser_gets_english_without_asking(server, new_browser):
    driver = new_browser(languages="en-US,en")
    assert driver.execute_script("return navigator.languages[0]").startswith("en")
    open_page(driver, server.url("/kiosk/W01"))
    assert path_of(driver) == "/kiosk/W01"
    assert_english_form(driver)
    for dimension in DIMENSIONS:
        tap_level(driver, dimension, 4)
    wait_for_thanks(driver)
    row = wait_for_row(server, last_client_id(driver))
    assert row["channel"] == "kiosk"
    assert (row["attitude"], row["efficiency"], row["result"]) == (4, 4, 4)
