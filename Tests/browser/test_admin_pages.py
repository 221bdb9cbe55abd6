"""The administration pages in real Chromium: an administrator adds a department and a
window through the forms (CSRF token, 303 back to the list), a refused change comes back
with its reason, and the new window's kiosk page takes a rating at once. Others get 403.

Only records of its own are added, so the other tests' windows are untouched.
"""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import (
    describe_violations, last_client_id, open_page, path_of, run_axe, save_screenshot, tap_level, wait_for_row,
    wait_for_thanks,
)
from test_staff_login import PASSWORD, add_user, sign_in, wait_for_new_page


def post_form(driver, selector: str) -> None:
    before = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    wait_for_new_page(driver, before)


def fill(driver, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def test_an_admin_adds_a_department_and_a_window_whose_kiosk_then_works(server, new_browser):
    browser = new_browser(languages="en")
    add_user(server, "browseradmin", "admin")
    sign_in(browser, server, "browseradmin", PASSWORD)
    open_page(browser, server.url("/staff"))
    browser.find_element(By.LINK_TEXT, "Administration").click()
    assert path_of(browser) == "/staff/admin"
    browser.find_element(By.PARTIAL_LINK_TEXT, "Departments").click()
    assert path_of(browser) == "/staff/admin/departments?lang=en"

    # A code that is taken: the list again, with the reason, and what was typed kept.
    fill(browser, "new-code", "SCJG")
    fill(browser, "new-name", "重复的科室")
    post_form(browser, ".admin-add button[type=submit]")
    assert "A department with the code “SCJG” exists already" in browser.find_element(By.ID, "admin-error").text
    assert browser.find_element(By.ID, "new-name").get_attribute("value") == "重复的科室"
    violations = run_axe(browser)["violations"]
    assert violations == [], describe_violations(violations)

    fill(browser, "new-code", "LQFW")
    fill(browser, "new-name", "老年人服务科")
    post_form(browser, ".admin-add button[type=submit]")
    assert path_of(browser) == "/staff/admin/departments?lang=en"
    assert "老年人服务科" in browser.find_element(By.ID, "department-LQFW").text

    open_page(browser, server.url("/staff/admin/windows?lang=en"))
    fill(browser, "new-code", "W30")
    fill(browser, "new-name", "敬老窗口")
    Select(browser.find_element(By.ID, "new-department")).select_by_value("LQFW")
    post_form(browser, ".admin-add button[type=submit]")
    row = browser.find_element(By.ID, "window-W30")
    assert "敬老窗口" in row.text and "老年人服务科 (LQFW)" in row.text and "Active" in row.text

    # Renamed through the row's own form.
    row.find_element(By.TAG_NAME, "summary").click()
    fill(browser, "window-W30-name", "敬老服务窗口")
    post_form(browser, "#window-W30 details button[type=submit]")
    assert "敬老服务窗口" in browser.find_element(By.ID, "window-W30").text
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    save_screenshot(browser, "admin-windows")
    violations = run_axe(browser)["violations"]
    assert violations == [], describe_violations(violations)

    # The new window takes ratings on its kiosk at once, counted for its department.
    kiosk = new_browser()
    open_page(kiosk, server.url("/kiosk/W30"))
    assert "老年人服务科" in kiosk.find_element(By.TAG_NAME, "h1").text
    assert "敬老服务窗口" in kiosk.find_element(By.TAG_NAME, "h1").text
    for dimension in ("attitude", "efficiency", "result"):
        tap_level(kiosk, dimension, 5)
    wait_for_thanks(kiosk)
    stored = wait_for_row(server, last_client_id(kiosk))
    assert stored["window_code"] == "W30"
    assert server.window("W30")["department_name"] == "老年人服务科"

    audit = [row["action"] for row in server.query("SELECT action FROM audit_log WHERE actor = 'browseradmin' ORDER BY id")]
    assert audit[-3:] == ["department.add", "window.add", "window.edit"]


def test_the_administration_pages_are_for_admins_only(server, new_browser):
    browser = new_browser(languages="en")
    add_user(server, "browserviewer", "viewer")
    sign_in(browser, server, "browserviewer", PASSWORD)
    for page in ("/staff/admin", "/staff/admin/windows"):
        open_page(browser, server.url(page))
        assert "Only administrators may administer" in browser.find_element(By.TAG_NAME, "h1").text
    # A post without the session's token changes nothing, even from an admin's browser.
    status, _ = server.post("/staff/admin/departments", [("code", "NOPE"), ("name", "x")])
    assert status == 303  # no session: sent to sign in
    assert not server.query("SELECT 1 FROM department WHERE code = 'NOPE'")

