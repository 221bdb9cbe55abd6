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
    DIMENSIONS, WAIT, as_phone, choose, describe_violations, open_page, path_of, run_axe,
    save_screenshot, submit,
)


def kiosk_form(server, driver):
    open_page(driver, server.url("/kiosk/W01"))


def kiosk_error(server, driver):
    open_page(driver, server.url("/kiosk/W01"))
    choose(driver, "attitude", 1)
    choose(driver, "efficiency", 5)
    choose(driver, "result", 5)
    submit(driver)
    assert driver.find_element(By.CSS_SELECTOR, "div.error-summary").is_displayed()


def kiosk_thanks(server, driver):
    open_page(driver, server.url("/kiosk/W01"))
    for dimension in DIMENSIONS:
        choose(driver, dimension, 5)
    submit(driver)
    assert path_of(driver) == "/kiosk/W01/thanks?lang=zh"


def kiosk_form_en(server, driver):
    open_page(driver, server.url("/kiosk/W01?lang=en"))


def phone_form(server, driver):
    as_phone(driver)
    open_page(driver, server.url("/r/W02"))


def phone_error(server, driver):
    as_phone(driver)
    open_page(driver, server.url("/r/W02"))
    choose(driver, "attitude", 2)
    submit(driver)
    assert driver.find_element(By.CSS_SELECTOR, "div.error-summary").is_displayed()


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
    "kiosk-form": kiosk_form,
    "kiosk-error": kiosk_error,
    "kiosk-thanks": kiosk_thanks,
    "kiosk-form-en": kiosk_form_en,
    "phone-form": phone_form,
    "phone-error": phone_error,
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
    assert result["violations"] == [], f"axe on {page}:\n{describe_violations(result['violations'])}"
