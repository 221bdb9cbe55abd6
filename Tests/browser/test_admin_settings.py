"""The administrators' pages in real Chromium: the center settings (a change posted from
the page is in force on the kiosk at once; a refused one comes back with the input kept and
the problem in the page's language; no serious accessibility violation), and the A4 print
sheet of QR cards, printed to PDF by Chromium, whose every code opens its window's phone
page with a valid signed link."""

from __future__ import annotations

import base64
import json
import shutil
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import REPO, PingjiaServer, describe_violations, open_page, path_of, run_axe, save_screenshot
from test_staff_login import add_user, sign_in, wait_for_new_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from qr_sheet import TOKEN_QUERY, TOOLS_MISSING, by_window, decode_pdf  # noqa: E402

PUBLIC = "https://pingjia.example.gov.cn"
SCREENSHOTS = REPO / "docs" / "screenshots"


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    """A server whose cards link to a public address, with an administrator and a head."""
    server = PingjiaServer(tmp_path_factory.mktemp("admin"), idle_reset_seconds=3600, thanks_seconds=600, days=1)
    configuration = json.loads(server.config.read_text())
    configuration["server"]["public_base_url"] = PUBLIC
    configuration["cases"] = {"calendar_directory": str(REPO / "deploy" / "calendar")}
    server.config.write_text(json.dumps(configuration, ensure_ascii=False))
    add_user(server, "pageadmin", "admin")
    add_user(server, "pagehead", "head", "--department", "SCJG")
    server.start()
    yield server
    assert server.stop() == 0, server.stderr()


def submit_form(driver, form_selector: str) -> None:
    before = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, f"{form_selector} button[type=submit]").click()
    wait_for_new_page(driver, before)


def test_settings_change_from_the_page_and_refusals_keep_the_input(center, browser):
    sign_in(browser, center, "pageadmin", "browser test password")
    open_page(browser, center.url("/staff/admin/settings?lang=en&year=2026"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Center settings"
    shipped = browser.find_elements(By.CSS_SELECTOR, "table.calendar tbody tr")
    assert shipped and all("Calendar file" in row.text for row in shipped), "the shipped 2026 calendar is listed"
    violations = [v for v in run_axe(browser)["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, describe_violations(violations)
    shot = save_screenshot(browser, "admin-settings")
    if SCREENSHOTS.is_dir():
        shutil.copyfile(shot, SCREENSHOTS / "admin-settings.png")

    box = browser.find_element(By.ID, "reasons-efficiency")
    box.clear()
    box.send_keys("排队太久 | Queue too long\n叫号不准")
    submit_form(browser, "form[action='/staff/admin/settings/reasons']")
    assert path_of(browser).startswith("/staff/admin/settings?saved=reasons")
    assert "Saved" in browser.find_element(By.CSS_SELECTOR, "#reasons .notice").text
    kiosk = urllib.request.urlopen(center.url("/kiosk/W01"), timeout=60).read().decode("utf-8")
    assert 'value="排队太久"' in kiosk and 'value="叫号不准"' in kiosk

    weight = browser.find_element(By.ID, "weight_attitude")
    weight.clear()
    weight.send_keys("0.5")
    submit_form(browser, "form[action='/staff/admin/settings/method']")
    error = browser.find_element(By.CSS_SELECTOR, "#method .error-summary").text
    assert "add up to" in error, error
    assert browser.find_element(By.ID, "weight_attitude").get_attribute("value") == "0.5", "the input is kept"

    field = browser.find_element(By.ID, "calendar_date")
    field.send_keys("2031-10-08")
    browser.find_element(By.CSS_SELECTOR, "#calendar_kind option[value=working_day]").click()
    submit_form(browser, "form[action='/staff/admin/settings/calendar']")
    assert "Saturday or Sunday" in browser.find_element(By.CSS_SELECTOR, "#calendar .error-summary").text

    audit = center.query("SELECT action, subject_id FROM audit_log WHERE action = 'settings.change'")
    # The demo gave the center its English name; the page changed the reasons.
    assert [tuple(row) for row in audit] == [("settings.change", "center.name_en"), ("settings.change", "survey.negative_reasons")]


def test_a_head_may_not_open_the_settings(center, new_browser):
    browser = new_browser()
    sign_in(browser, center, "pagehead", "browser test password")
    open_page(browser, center.url("/staff/admin/settings?lang=en"))
    assert "Only administrators" in browser.find_element(By.TAG_NAME, "body").text
    open_page(browser, center.url("/staff/admin/qr/print"))
    assert not browser.find_elements(By.CSS_SELECTOR, ".card")


@pytest.mark.skipif(TOOLS_MISSING, reason="needs pdftoppm (poppler-utils) and zbarimg (zbar-tools)")
@pytest.mark.parametrize("department", ["", "SCJG"])
def test_the_print_sheet_prints_codes_that_open_their_windows(center, browser, tmp_path, department):
    sign_in(browser, center, "pageadmin", "browser test password")
    open_page(browser, center.url("/staff/admin/qr/print" + (f"?department={department}" if department else "")))
    cards = browser.find_elements(By.CSS_SELECTOR, ".card")
    expected = [row["code"] for row in center.query(
        "SELECT w.code FROM service_window w JOIN department d ON d.id = w.department_id"
        " WHERE w.active = 1 AND (? = '' OR d.code = ?) ORDER BY w.code", (department, department))]
    assert len(cards) == len(expected) > 0
    if department == "SCJG":
        save_screenshot(browser, "qr-print-page")
    # In print, the toolbar goes and no card may break across pages.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert browser.execute_script("return getComputedStyle(document.querySelector('.toolbar')).display") == "none"
    assert browser.execute_script("return getComputedStyle(document.querySelector('.card')).breakInside") == "avoid"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    pdf = tmp_path / "sheet.pdf"
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    pdf.write_bytes(base64.b64decode(printed["data"]))
    decoded = decode_pdf(pdf, tmp_path)
    links = by_window(decoded)
    assert sorted(links) == expected and len(decoded) == len(expected), decoded
    for window, url in links.items():
        parts = urllib.parse.urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == PUBLIC and parts.path == f"/r/{window}"
        assert TOKEN_QUERY.fullmatch(parts.query), url
        page = urllib.request.urlopen(center.url(f"{parts.path}?{parts.query}"), timeout=60).read().decode("utf-8")
        assert f"/r/{window}?{parts.query}" in page, "the phone form keeps the signed link"


def test_an_unknown_department_is_a_clear_404(center, browser):
    sign_in(browser, center, "pageadmin", "browser test password")
    open_page(browser, center.url("/staff/admin/qr/print?department=NOPE&lang=en"))
    assert "NOPE" in browser.find_element(By.TAG_NAME, "body").text
    assert not browser.find_elements(By.CSS_SELECTOR, ".card")
