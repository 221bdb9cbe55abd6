"""Administration of the directory through the JSON API, against docs/openapi.json: every
operation with its validation errors and audit rows, who may use it, and a window renamed
(through the API and through the command line) while kiosk requests run, none failing.

These tests change the directory, so they run on a server of their own (a demo center with
a few days of ratings), not on the suite's shared one.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.parse

import pytest

from api_http import OPENAPI_PATH, REPO, Client
from pingjia_process import WAIT, PingjiaProcess

DIRECTORY = "/api/v1/directory"
ADD = "/api/v1/admin/{kind}"
EDIT = "/api/v1/admin/{kind}/{code}"
DEACTIVATE = "/api/v1/admin/{kind}/{code}/deactivate"
REACTIVATE = "/api/v1/admin/{kind}/{code}/reactivate"
AUDIT = "/api/v1/audit"
PASSWORD = "directory test password"


class AdminServer(PingjiaProcess):
    def __init__(self, workdir):
        super().__init__(workdir, {"server": {"openapi_path": str(OPENAPI_PATH), "static_root": str(REPO / "Public")}})
        self.cli("migrate")
        self.cli("demo", "--days", "3")
        for name, role, extra in (("chief", "admin", []), ("head", "head", ["--department", "SCJG"]), ("office", "viewer", [])):
            self.add_user(name, role, PASSWORD, *extra)
        self.directory_key = self.key("setup-tool", "directory:write")
        self.feedback_key = self.key("office-reader", "feedback:read")
        self.indicators_key = self.key("assessment", "indicators:read")

    def key(self, name: str, scope: str) -> str:
        return self.cli("apikey", "create", "--name", name, "--scope", scope).strip().splitlines()[-1].strip()

    def start(self) -> None:
        super().start()
        self.client = Client(self.port)


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    server = AdminServer(tmp_path_factory.mktemp("pingjia-admin"))
    server.start()
    yield server
    assert server.stop() == 0, server.stderr()


class Session:
    """A signed-in person: their cookie and CSRF token on every request."""

    def __init__(self, client: Client, username: str):
        reply = client.post_json("/api/v1/session", {"username": username, "password": PASSWORD})
        assert reply.status == 200, reply
        self.client = client
        self.cookie = reply.headers["Set-Cookie"].split(";")[0]
        self.csrf = reply.json()["csrf_token"]

    def headers(self, language: str = "en", csrf: bool = True) -> dict[str, str]:
        headers = {"Cookie": self.cookie, "Accept-Language": language, "Content-Type": "application/json"}
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        return headers

    def send(self, method: str, path: str, document=None, language: str = "en", csrf: bool = True):
        body = None if document is None else json.dumps(document, ensure_ascii=False)
        return self.client.request(method, path, body=body, headers=self.headers(language, csrf))


@pytest.fixture(scope="module")
def chief(admin_server) -> Session:
    return Session(admin_server.client, "chief")


def path(template: str, **values) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", urllib.parse.quote(value))
    return template


def latest_audit(chief: Session, count: int = 1) -> list[dict]:
    reply = chief.send("GET", f"{AUDIT}?limit={count}")
    assert reply.status == 200, reply
    return reply.json()["entries"]


def test_only_admins_and_keys_with_the_scope_may_administer(admin_server, contract):
    client = admin_server.client
    contract.check(client.get(DIRECTORY), DIRECTORY, "get", 401)
    for name in ("head", "office"):
        person = Session(client, name)
        contract.check(person.send("GET", DIRECTORY), DIRECTORY, "get", 403)
        refused = person.send("POST", path(ADD, kind="departments"), {"code": "X1", "name": "x"})
        contract.check(refused, ADD, "post", 403)
    reader = {"Authorization": f"Bearer {admin_server.feedback_key}"}
    contract.check(client.get(DIRECTORY, headers=reader), DIRECTORY, "get", 403)
    key = {"Authorization": f"Bearer {admin_server.directory_key}"}
    whole = contract.check(client.get(DIRECTORY, headers=key), DIRECTORY, "get", 200)
    assert [entry["code"] for entry in whole["departments"]][:2] == ["BDC", "GJJ"]
    assert {"code": "W01", "name": "1号窗口", "name_en": "Window 1", "department": "SCJG", "active": True} in whole["windows"]
    assert client.get("/staff/admin", headers={"Cookie": Session(client, "head").cookie}).status == 403


def test_adding_each_kind_is_answered_201_and_audited(admin_server, chief, contract):
    added = [
        ("departments", {"code": "GAJ", "name": "公安窗口科"}),
        ("windows", {"code": "W21", "name": "21号窗口", "department": "GAJ"}),
        ("items", {"code": "GAJ-01", "name": "出入境证件", "department": "GAJ"}),
        ("staff", {"code": "S0901", "name": "秦川", "department": "GAJ", "window": "W21"}),
    ]
    for kind, record in added:
        body = contract.check(chief.send("POST", path(ADD, kind=kind), record), ADD, "post", 201)
        assert body["effects"] == ["added"]
        assert body["entry"]["code"] == record["code"] and body["entry"]["active"] is True
    entries = latest_audit(chief, 4)
    assert [entry["action"] for entry in entries] == ["staff.add", "item.add", "window.add", "department.add"]
    assert all(entry["actor"] == "chief" and entry["before"] is None for entry in entries)
    assert json.loads(entries[0]["after"]) == {"code": "S0901", "name": "秦川", "department": "GAJ", "window": "W21", "active": True}
    # The new window's kiosk page works at once.
    assert admin_server.client.get("/kiosk/W21").status == 200


@pytest.mark.parametrize("kind, record, status, code", [
    ("windows", {"code": "W 22", "name": "x", "department": "SCJG"}, 422, "invalid_code"),
    ("windows", {"code": "W22", "name": "   ", "department": "SCJG"}, 422, "empty_name"),
    ("windows", {"code": "W22", "name": "长" * 65, "department": "SCJG"}, 422, "name_too_long"),
    ("windows", {"code": "W22", "name": "x", "department": "NOPE"}, 422, "unknown_department"),
    ("windows", {"code": "w01", "name": "x", "department": "SCJG"}, 409, "duplicate_code"),
    ("windows", {"code": "W22", "name": 5, "department": "SCJG"}, 422, "invalid_field"),
    ("staff", {"code": "S0999", "name": "x", "department": "SCJG", "window": "W04"}, 422, "window_in_other_department"),
    ("departments", {"code": "SCJG", "name": "x"}, 409, "duplicate_code"),
])
def test_invalid_additions_are_refused_with_their_code_and_change_nothing(chief, contract, kind, record, status, code):
    before = chief.send("GET", DIRECTORY).json()
    body = contract.check(chief.send("POST", path(ADD, kind=kind), record), ADD, "post", status)
    assert body["error"]["code"] == code
    assert chief.send("GET", DIRECTORY).json() == before


def test_messages_follow_the_language_and_changes_need_the_csrf_token(chief, contract):
    record = {"code": "W22", "name": "x", "department": "NOPE"}
    english = chief.send("POST", path(ADD, kind="windows"), record, language="en").json()["error"]["message"]
    chinese = chief.send("POST", path(ADD, kind="windows"), record, language="zh-CN").json()["error"]["message"]
    assert english == "No department has the code “NOPE”."
    assert chinese == "没有代码为“NOPE”的科室。"
    refused = chief.send("POST", path(ADD, kind="windows"), {"code": "W22", "name": "x", "department": "SCJG"}, csrf=False)
    contract.check(refused, ADD, "post", 403)
    assert chief.send("GET", DIRECTORY).json()["windows"][-1]["code"] != "W22"


def test_renaming_moving_and_recoding_keep_history(admin_server, chief, contract):
    renamed = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W01"), {"name": "综合一号窗口"}), EDIT, "patch", 200)
    assert renamed["effects"] == ["renamed"]
    audit = latest_audit(chief)[0]
    assert audit["action"] == "window.edit" and json.loads(audit["before"])["name"] == "1号窗口"
    assert json.loads(audit["after"])["name"] == "综合一号窗口"

    # W02 has ratings under 市场监管科; moved, they stay there.
    reader = {"Authorization": f"Bearer {admin_server.feedback_key}"}
    before = admin_server.client.get("/api/v1/feedback?window=W02&limit=1000", headers=reader).json()["entries"]
    assert before and {entry["department"] for entry in before} == {"SCJG"}
    moved = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W02"), {"department": "BDC"}), EDIT, "patch", 200)
    assert moved["effects"] == ["moved"] and moved["entry"]["department"] == "BDC"
    after = admin_server.client.get("/api/v1/feedback?window=W02&limit=1000", headers=reader).json()["entries"]
    assert [entry["department"] for entry in after] == [entry["department"] for entry in before]
    stored = admin_server.client.post_json("/api/v1/responses", {"window": "W02", "attitude": 5, "efficiency": 5, "result": 5})
    assert stored.status == 201 and stored.json()["department"] == "BDC"
    # The indicator's window breakdown lists W02 under both departments it has ratings in.
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    period = f"{today - dt.timedelta(days=7)}..{today}"
    assessment = {"Authorization": f"Bearer {admin_server.indicators_key}"}
    for department in ("SCJG", "BDC"):
        report = admin_server.client.get(
            f"/api/v1/indicators?period={period}&department={department}&by=window", headers=assessment)
        assert report.status == 200, report
        assert "W02" in {entry["code"] for entry in report.json()["breakdown"]["entries"]}, department

    in_use = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W01"), {"code": "W01A"}), EDIT, "patch", 409)
    assert in_use["error"]["code"] == "code_in_use"
    recoded = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W21"), {"code": "W21A"}), EDIT, "patch", 200)
    assert recoded["effects"] == ["recoded"]
    contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W404"), {"name": "x"}), EDIT, "patch", 404)
    nothing = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W03"), {}), EDIT, "patch", 422)
    assert nothing["error"]["code"] == "nothing_to_change"
    contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W03"), {"name": "3号窗口"}), EDIT, "patch", 200)


def test_deactivating_never_deletes_and_can_be_undone(admin_server, chief, contract):
    client = admin_server.client
    busy = contract.check(chief.send("POST", path(DEACTIVATE, kind="departments", code="HJGL")), DEACTIVATE, "post", 409)
    assert busy["error"]["code"] == "department_in_use"
    done = contract.check(chief.send("POST", path(DEACTIVATE, kind="windows", code="W15")), DEACTIVATE, "post", 200)
    assert done["effects"] == ["deactivated"] and done["entry"]["active"] is False
    assert latest_audit(chief)[0]["action"] == "window.deactivate"
    assert client.get("/kiosk/W15").status == 404
    assert "W15" not in {window["code"] for window in client.get("/api/v1/windows").json()["windows"]}
    assert any(window["code"] == "W15" for window in chief.send("GET", DIRECTORY).json()["windows"])
    again = contract.check(chief.send("POST", path(DEACTIVATE, kind="windows", code="W15")), DEACTIVATE, "post", 200)
    assert again["effects"] == []
    back = contract.check(chief.send("POST", path(REACTIVATE, kind="windows", code="W15")), REACTIVATE, "post", 200)
    assert back["effects"] == ["reactivated"]
    assert client.get("/kiosk/W15").status == 200
    contract.check(chief.send("POST", path(DEACTIVATE, kind="items", code="NOPE")), DEACTIVATE, "post", 404)


def kiosk_load(client: Client, window: str, stop: threading.Event, names: list[str], failures: list[str]) -> None:
    """GETs the window's kiosk page in a loop, noting the window name each page shows."""
    while not stop.is_set():
        try:
            reply = client.get(f"/kiosk/{window}")
        except Exception as error:  # noqa: BLE001 - any failure counts
            failures.append(repr(error))
            continue
        if reply.status != 200:
            failures.append(f"{reply.status} {reply.body[:200]!r}")
            continue
        text = reply.body.decode("utf-8")
        start = text.index('<span class="name">', text.index('<span class="name">') + 1) + len('<span class="name">')
        names.append(text[start:text.index("</span>", start)])


def run_under_load(admin_server, rename, expected: str) -> list[str]:
    """Runs `rename` while four threads load the kiosk page of W05; returns the names seen
    after it, asserting that no request failed and the new name appeared."""
    stop = threading.Event()
    names: list[str] = []
    failures: list[str] = []
    threads = [threading.Thread(target=kiosk_load, args=(admin_server.client, "W05", stop, names, failures)) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        while len(names) < 20 and not failures:
            time.sleep(0.05)
        seen_before = len(names)
        rename()
        deadline = time.monotonic() + WAIT
        while expected not in names[seen_before:] and time.monotonic() < deadline and not failures:
            time.sleep(0.05)
        # Keep loading a little after the change too.
        settled = len(names)
        while len(names) < settled + 20 and not failures and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(WAIT)
    assert not failures, failures[:5]
    assert expected in names, f"the new name never appeared; last names: {names[-5:]}"
    # Once a page showed the new name, no later request showed the old one.
    first = names.index(expected)
    assert set(names[first + 40:]) <= {expected}, set(names[first:])
    return names


def test_a_window_renamed_through_the_api_under_load(admin_server, chief):
    def rename():
        assert chief.send("PATCH", path(EDIT, kind="windows", code="W05"), {"name": "五号综合窗口"}).status == 200
    names = run_under_load(admin_server, rename, "五号综合窗口")
    assert names[0] == "5号窗口"


def test_a_window_renamed_on_the_command_line_reaches_the_running_server_under_load(admin_server):
    def rename():
        output = admin_server.cli("window", "edit", "W05", "--name", "五号窗口（命令行）")
        assert "renamed" in output
    run_under_load(admin_server, rename, "五号窗口（命令行）")
    audit = admin_server.cli("audit", "--limit", "1")
    assert "window.edit" in audit and "\tcli:" in audit


def test_an_english_name_is_set_shown_and_cleared_through_the_api(admin_server, chief, contract):
    client = admin_server.client
    added = contract.check(chief.send("POST", path(ADD, kind="windows"),
                                      {"code": "W31", "name": "31号窗口", "name_en": "  Window 31 ", "department": "SCJG"}), ADD, "post", 201)
    assert added["entry"]["name_en"] == "Window 31"
    assert json.loads(latest_audit(chief)[0]["after"])["name_en"] == "Window 31"
    page = client.get("/kiosk/W31?lang=en").body.decode("utf-8")
    assert '<span class="name">Window 31</span>' in page and '<span class="name">Market Regulation</span>' in page
    assert '<span class="name">31号窗口</span>' in client.get("/kiosk/W31?lang=zh").body.decode("utf-8")

    # Leaving name_en out keeps it; null or an empty text removes it.
    renamed = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W31"), {"name": "三十一号窗口"}), EDIT, "patch", 200)
    assert renamed["entry"]["name_en"] == "Window 31" and renamed["effects"] == ["renamed"]
    cleared = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W31"), {"name_en": None}), EDIT, "patch", 200)
    assert cleared["entry"]["name_en"] is None and cleared["effects"] == ["translated"]
    audit = latest_audit(chief)[0]
    assert json.loads(audit["before"])["name_en"] == "Window 31" and json.loads(audit["after"])["name_en"] is None
    page = client.get("/kiosk/W31?lang=en").body.decode("utf-8")
    assert '<span class="name" lang="zh-CN">三十一号窗口</span>' in page
    again = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W31"), {"name_en": "Window 31"}), EDIT, "patch", 200)
    assert again["effects"] == ["translated"]
    empty = contract.check(chief.send("PATCH", path(EDIT, kind="windows", code="W31"), {"name_en": ""}), EDIT, "patch", 200)
    assert empty["entry"]["name_en"] is None
    whole = chief.send("GET", DIRECTORY).json()
    assert {"code": "W31", "name": "三十一号窗口", "name_en": None, "department": "SCJG", "active": True} in whole["windows"]
    assert all("name_en" not in member for member in whole["staff"]), "staff names have no translation"


@pytest.mark.parametrize("language, message", [
    ("en", "The department’s English name may have at most 64 characters."),
    ("zh-CN", "科室英文名称最多 64 个字符。"),
])
def test_a_too_long_english_name_is_refused_in_the_users_language(chief, contract, language, message):
    before = chief.send("GET", DIRECTORY).json()
    edit = chief.send("PATCH", path(EDIT, kind="departments", code="SCJG"), {"name_en": "x" * 65}, language=language)
    body = contract.check(edit, EDIT, "patch", 422)
    assert body["error"] == {**body["error"], "code": "name_en_too_long", "message": message}
    add = chief.send("POST", path(ADD, kind="items"), {"code": "SCJG-99", "name": "x", "name_en": 5, "department": "SCJG"}, language=language)
    assert contract.check(add, ADD, "post", 422)["error"]["code"] == "invalid_field"
    assert chief.send("GET", DIRECTORY).json() == before


def test_the_admin_pages_show_and_change_the_english_name(admin_server, chief):
    client = admin_server.client

    def post(target: str, fields: dict, language: str = "en"):
        body = urllib.parse.urlencode({**fields, "csrf_token": chief.csrf, "lang": language})
        return client.request("POST", target, body=body, headers={
            "Cookie": chief.cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": language})

    page = client.get("/staff/admin/items?lang=en", headers={"Cookie": chief.cookie}).body.decode("utf-8")
    assert 'name="name_en"' in page and "English name (optional)" in page
    assert '<td class="name-en" lang="en">Business licence registration</td>' in page
    staff = client.get("/staff/admin/staff?lang=en", headers={"Cookie": chief.cookie}).body.decode("utf-8")
    assert 'name="name_en"' not in staff, "staff names have no English name"

    done = post("/staff/admin/items/SCJG-01", {"code": "SCJG-01", "name": "营业执照设立登记", "name_en": " New business licence ", "department": "SCJG"})
    assert done.status == 303
    assert latest_audit(chief)[0]["action"] == "item.edit"
    items = chief.send("GET", DIRECTORY).json()["items"]
    assert next(item for item in items if item["code"] == "SCJG-01")["name_en"] == "New business licence"
    cleared = post("/staff/admin/items/SCJG-01", {"code": "SCJG-01", "name": "营业执照设立登记", "name_en": "", "department": "SCJG"})
    assert cleared.status == 303
    items = chief.send("GET", DIRECTORY).json()["items"]
    assert next(item for item in items if item["code"] == "SCJG-01")["name_en"] is None

    refused = post("/staff/admin/departments", {"code": "XYZ", "name": "新科室", "name_en": "x" * 65}, language="zh")
    text = refused.body.decode("utf-8")
    assert refused.status == 422 and "科室英文名称最多 64 个字符。" in text
    assert 'value="' + "x" * 65 + '"' in text, "the add form keeps what was typed"
