"""A department head follows up a 差评 in real Chromium: the case list shows the new case
with its deadline, the case page shows the rating and only the forms the head may use, and
the head takes the case to 已整改 with a callback through those forms (each posts with the
session's CSRF token and comes back to the case with 303)."""

import json
import sqlite3
import urllib.request
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SHOTS, describe_violations, open_page, path_of, run_axe, save_screenshot
from pingjia_process import WAIT
from test_staff_login import PASSWORD, add_user, sign_in, wait_for_new_page


def submit_negative(server, window: str) -> int:
    """A 差评 posted through the API, as a kiosk would; its response id."""
    body = json.dumps({
        "window": window, "attitude": 1, "efficiency": 2, "result": 3, "channel": "kiosk",
        "reasons": ["等候时间长"], "comment": "排队一个小时没人叫号", "client_id": str(uuid.uuid4()),
    }, ensure_ascii=False).encode()
    request = urllib.request.Request(server.url("/api/v1/responses"), data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=WAIT) as reply:
        return json.loads(reply.read())["id"]


def case_of(server, response_id: int) -> int:
    rows = server.query('SELECT id FROM "case" WHERE response_id = ?', (response_id,))
    assert len(rows) == 1, "a 差评 opens its case"
    return rows[0]["id"]


def post_form(driver, action: str, **fields) -> None:
    """Fills the form of one action and sends it; waits for the page it comes back to."""
    form = driver.find_element(By.ID, f"action-{action}")
    for name, value in fields.items():
        element = form.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        elif element.get_attribute("type") == "checkbox":
            if bool(value) != element.is_selected():
                element.click()
        else:
            element.send_keys(value)
    before = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_new_page(driver, before)


def make_overdue(server, case_id: int) -> None:
    """Moves a case's deadline a month back, as if it had been left open that long."""
    connection = sqlite3.connect(server.db, timeout=WAIT)
    try:
        with connection:
            connection.execute('UPDATE "case" SET deadline_day = deadline_day - 30 WHERE id = ?', (case_id,))
    finally:
        connection.close()


def fact(driver, name: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f".case-facts dd.{name}").text


def case_rates(browser, server) -> tuple[str, str]:
    """The head's department card on the dashboard: this month's 整改率 and 回访率."""
    open_page(browser, server.url("/staff"))
    # Read in one go: the page's live feed may redraw parts of it meanwhile.
    cells = browser.execute_script(
        "return Array.from(document.querySelectorAll('.department-card .figure-table tbody tr:first-child td'))"
        ".map(cell => cell.textContent.trim());")
    return cells[3], cells[5]


def test_a_head_takes_a_case_to_rectified_with_a_callback(server, browser):
    add_user(server, "casehead", "head", "--department", "SCJG")
    response_id = submit_negative(server, "W02")
    other = case_of(server, submit_negative(server, "W05"))  # another department's
    late = case_of(server, submit_negative(server, "W01"))
    make_overdue(server, late)
    case_id = case_of(server, response_id)
    sign_in(browser, server, "casehead", PASSWORD)
    rates_before = case_rates(browser, server)

    open_page(browser, server.url("/staff/cases"))
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-case='{case_id}']")
    assert "待核实" in row.text and row.find_element(By.CSS_SELECTOR, ".deadline").text
    assert not browser.find_elements(By.CSS_SELECTOR, f"tr[data-case='{other}']")
    overdue = browser.find_element(By.CSS_SELECTOR, f"tr[data-case='{late}']")
    assert "overdue" in overdue.get_attribute("class") and "⚠ 逾期" in overdue.find_element(By.CSS_SELECTOR, ".deadline").text
    assert "overdue" not in row.get_attribute("class")
    save_screenshot(browser, "staff-cases")
    result = run_axe(browser)
    assert result["violations"] == [], f"axe on the case list:\n{describe_violations(result['violations'])}"

    before = browser.find_element(By.TAG_NAME, "html")
    row.find_element(By.TAG_NAME, "a").click()
    wait_for_new_page(browser, before)
    assert path_of(browser) == f"/staff/cases/{case_id}"
    assert "排队一个小时没人叫号" in browser.find_element(By.CSS_SELECTOR, ".case-response").text
    assert fact(browser, "state") == "待核实"
    # A head may start, assign, note, appeal and ask for more time; not rule on anything.
    forms = {f.get_attribute("id") for f in browser.find_elements(By.CSS_SELECTOR, "form.case-action")}
    assert forms == {"action-start", "action-assign", "action-note", "action-appeal", "action-request_extension"}

    post_form(browser, "start", note="已核实，窗口确有延误")
    assert path_of(browser) == f"/staff/cases/{case_id}"
    assert fact(browser, "state") == "整改中"

    # Unreachable needs a recorded attempt: refused on the page, in the person's language.
    post_form(browser, "rectify", callback_result="unreachable", note="电话未接通")
    assert "回访尝试" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert fact(browser, "state") == "整改中"

    post_form(browser, "rectify", callback_result="satisfied", note="已调整叫号流程，电话回访市民表示满意")
    assert path_of(browser) == f"/staff/cases/{case_id}"
    assert fact(browser, "state") == "已整改"
    assert "满意" in fact(browser, "callback")
    history = browser.find_element(By.CSS_SELECTOR, ".case-history").text
    assert "casehead" in history and "整改中 → 已整改" in history
    assert {f.get_attribute("id") for f in browser.find_elements(By.CSS_SELECTOR, "form.case-action")} == {"action-close", "action-note"}
    save_screenshot(browser, "staff-case")
    result = run_axe(browser)
    assert result["violations"] == [], f"axe on the case page:\n{describe_violations(result['violations'])}"

    stored = server.query('SELECT state, callback_result FROM "case" WHERE id = ?', (case_id,))[0]
    assert (stored["state"], stored["callback_result"]) == ("rectified", "satisfied")
    audited = server.query("SELECT action FROM audit_log WHERE subject_type = 'case' AND subject_id = ? ORDER BY id", (str(case_id),))
    assert [r["action"] for r in audited] == ["case.start", "case.rectify"]

    # The dashboard's 整改率 takes the rectified case in.
    rates_after = case_rates(browser, server)
    assert rates_after[0] != rates_before[0], (rates_before, rates_after)

    open_page(browser, server.url(f"/staff/cases/{other}"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "页面不存在"
    assert SHOTS.joinpath("staff-case.png").is_file()
