"""Staff sign-in in real Chromium: the form posts from the page itself (Chromium sends
Origin and Sec-Fetch-Site, which the server checks), the session cookie carries the person
to /staff, and signing out (a form with the CSRF token) ends it."""

import subprocess

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import open_page, path_of
from pingjia_process import PINGJIA_BIN, WAIT

PASSWORD = "browser test password"


def add_user(server, name: str, role: str, *extra: str) -> None:
    done = subprocess.run(
        [str(PINGJIA_BIN), "user", "add", name, "--role", role, *extra, "--db", str(server.db), "--config", str(server.config)],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 0 or "exists already" in done.stderr, done.stderr


def sign_in(driver, server, name: str, password: str) -> None:
    open_page(driver, server.url("/staff/login?lang=en"))
    driver.find_element(By.ID, "username").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    before = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form.staff-form button[type=submit]").click()
    wait_for_new_page(driver, before)


def wait_for_new_page(driver, before) -> None:
    """Waits until the form's answer replaced the page `before` belongs to."""
    def replaced(d):
        try:
            before.is_enabled()
            return False
        except (StaleElementReferenceException, WebDriverException):
            # Chromium reports a node of the replaced document either as stale or as one
            # that "does not belong to the document"; both mean the answer arrived.
            return d.execute_script("return document.readyState") == "complete"
    WebDriverWait(driver, WAIT).until(replaced, "the form's answer did not arrive")


def test_a_head_signs_in_sees_who_they_are_and_signs_out(server, browser):
    add_user(server, "browserhead", "head", "--department", "SCJG")
    sign_in(browser, server, "browserhead", "wrong password here")
    assert path_of(browser) == "/staff/login"
    assert "The user name or password is wrong." in browser.find_element(By.CSS_SELECTOR, ".error-summary").text

    sign_in(browser, server, "browserhead", PASSWORD)
    assert path_of(browser) == "/staff"
    header = browser.find_element(By.CSS_SELECTOR, ".staff-header")
    assert "browserhead" in header.text
    assert browser.find_element(By.CSS_SELECTOR, "dd.role").text in ("科室负责人", "Department head")
    assert browser.find_element(By.CSS_SELECTOR, "dd.departments").text.endswith("(SCJG)")
    cookie = browser.get_cookie("pingjia_session")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    before = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form.staff-logout button").click()
    wait_for_new_page(browser, before)
    assert path_of(browser) == "/staff/login"
    open_page(browser, server.url("/staff"))
    assert path_of(browser) == "/staff/login"
