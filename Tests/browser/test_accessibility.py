"""axe-core 4.x (WCAG 2.0 and 2.1, levels A and AA) finds nothing on the citizen pages
and the staff sign-in page.

These run against the `calm_server`, whose kiosk timers are long, so that no page is
replaced by its idle reset or thank-you return while it is photographed and checked.
Each page is photographed first (axe's contrast rule scrolls the page).
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (
    DIMENSIONS, WAIT, as_phone, current_step, describe_violations, mark_page, open_page, path_of, run_axe,
    save_screenshot, tap, tap_level, wait_for_new_page, wait_for_step, wait_for_thanks,
)


def kiosk_question(server, driver):
    open_page(driver, server.url("/kiosk/W01"))
    wait_for_step(driver, "q-attitude")


def kiosk_reasons(server, driver):
    open_page(driver, server.url("/kiosk/W01"))
    tap_level(driver, "attitude", 1)
    wait_for_step(driver, "r-attitude")


def kiosk_reasons_error(server, driver):
    kiosk_reasons(server, driver)
    tap(driver, current_step(driver).find_element(By.CSS_SELECTOR, "button.next"))
    assert current_step(driver).find_element(By.CSS_SELECTOR, ".field-error").is_displayed()


def kiosk_thanks(server, driver):
    open_page(driver, server.url("/kiosk/W01"))
    for dimension in DIMENSIONS:
        tap_level(driver, dimension, 5)
    wait_for_thanks(driver)


def kiosk_server_errors(server, driver):
    """The plain form as the server sends it back with every problem."""
    open_page(driver, server.url("/kiosk/W01"))
    token = mark_page(driver)
    driver.execute_script("document.querySelector('form.survey-form').submit()")
    wait_for_new_page(driver, token, "the form was not posted")
    assert driver.find_element(By.CSS_SELECTOR, "div.error-summary").is_displayed()


def kiosk_form_en(server, driver):
    open_page(driver, server.url("/kiosk/W01?lang=en"))


def kiosk_elder(server, driver):
    open_page(driver, server.url("/kiosk/W01?elder=1"))


def phone_form(server, driver):
    as_phone(driver)
    open_page(driver, server.url("/r/W02"))


def phone_thanks(server, driver):
    as_phone(driver)
    open_page(driver, server.url("/r/W02"))
    for dimension in DIMENSIONS:
        tap_level(driver, dimension, 5)
    WebDriverWait(driver, WAIT).until(lambda d: path_of(d).startswith("/r/W02/thanks"), "no thank-you page")


def not_found(server, driver):
    open_page(driver, server.url("/kiosk/W99"))


def staff_login(server, driver):
    open_page(driver, server.url("/staff/login"))


def staff_login_error(server, driver):
    open_page(driver, server.url("/staff/login"))
    driver.find_element(By.ID, "username").send_keys("nobody")
    driver.find_element(By.ID, "password").send_keys("not a password")
    driver.find_element(By.CSS_SELECTOR, "form.staff-form button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), "no sign-in error shown")


PAGES = {
    "kiosk-question": kiosk_question,
    "kiosk-reasons": kiosk_reasons,
    "kiosk-reasons-error": kiosk_reasons_error,
    "kiosk-thanks": kiosk_thanks,
    "kiosk-server-errors": kiosk_server_errors,
    "kiosk-form-en": kiosk_form_en,
    "kiosk-elder": kiosk_elder,
    "phone-form": phone_form,
    "phone-thanks": phone_thanks,
    "not-found": not_found,
    "staff-login": staff_login,
    "staff-login-error": staff_login_error,
}


@pytest.mark.parametrize("page", list(PAGES))
def test_axe_finds_no_wcag_violation(calm_server, browser, page):
    PAGES[page](calm_server, browser)
    save_screenshot(browser, f"axe-{page}")
    result = run_axe(browser)
    assert result["version"].startswith("4."), f"expected axe-core 4.x, got {result['version']}"
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"axe on {page}:\n{describe_violations(serious)}"
    assert result["violations"] == [], f"axe on {page}:\n{describe_violations(result['violations'])}"


def test_a_choice_is_named_by_its_label_and_nothing_is_invalid_before_an_attempt(calm_server, browser):
    open_page(browser, calm_server.url("/kiosk/W01"))
    assert not browser.find_elements(By.CSS_SELECTOR, "[aria-invalid], :invalid")
    tap_level(browser, "attitude", 5)
    wait_for_step(browser, "q-efficiency")
    tap(browser, browser.find_element(By.CSS_SELECTOR, "button.back"))
    wait_for_step(browser, "q-attitude")
    chosen = browser.find_element(By.CSS_SELECTOR, "input[name=attitude][value='5']")
    assert chosen.is_selected()
    # The check mark shows, but is no part of the name; neither are the stars.
    assert chosen.accessible_name == "非常满意"
    assert browser.find_element(By.CSS_SELECTOR, "input[name=attitude][value='1']").accessible_name == "非常不满意"
    assert not browser.find_elements(By.CSS_SELECTOR, "[aria-invalid]")


def test_the_kiosk_page_weighs_under_60_kb_and_loads_nothing_from_elsewhere(calm_server, browser):
    open_page(browser, calm_server.url("/kiosk/W01"))
    entries = browser.execute_script(
        "return [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]"
        ".map(e => ({name: e.name, size: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize}))")
    assert all(entry["name"].startswith(calm_server.base_url) for entry in entries), entries
    total = sum(entry["encoded"] for entry in entries)
    assert 0 < total < 60 * 1024, entries
    # The scripts (the survey's and the visit's) and the style sheet came compressed.
    static = [entry for entry in entries if "/static/" in entry["name"]]
    assert len(static) == 3, entries
    for entry in static:
        assert entry["encoded"] < entry["decoded"], entry
    print(f"kiosk page weight: {total} bytes over the wire, {sum(e['decoded'] for e in entries)} bytes uncompressed")
