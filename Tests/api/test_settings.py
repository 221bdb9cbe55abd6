"""The center settings API (/api/v1/admin/settings) against docs/openapi.json, on the real
server of this suite (see conftest.py): every change validated with its documented error,
audited with before and after, refused to anyone but an administrator, and in force at once;
a method change moves the indicator of an unpublished period and leaves a published one
alone; the command line's changes reach the running server within a few seconds.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from pingjia_process import REPO, WAIT, PingjiaProcess

BASE = "/api/v1/admin/settings"
PASSWORD = "settings test password"
INDICATORS = "/api/v1/indicators"


class Staff:
    """A signed-in session: its cookie and CSRF token."""

    def __init__(self, client, username: str):
        reply = client.post_json("/api/v1/session", {"username": username, "password": PASSWORD})
        assert reply.status == 200, reply
        self.client = client
        self.cookie = reply.headers["Set-Cookie"].split(";")[0]
        self.csrf = reply.json()["csrf_token"]

    def headers(self, csrf: bool = True, language: str = "zh") -> dict[str, str]:
        headers = {"Cookie": self.cookie, "Accept-Language": language}
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        return headers

    def get(self, path: str, language: str = "zh"):
        return self.client.get(path, headers=self.headers(csrf=False, language=language))

    def put(self, path: str, document, csrf: bool = True, language: str = "zh"):
        body = json.dumps(document, ensure_ascii=False)
        return self.client.request("PUT", path, body, {"Content-Type": "application/json", **self.headers(csrf, language)})

    def delete(self, path: str):
        return self.client.request("DELETE", path, headers=self.headers())

    def audit(self, limit: int = 20) -> list[dict]:
        reply = self.get(f"/api/v1/audit?limit={limit}")
        assert reply.status == 200, reply
        return reply.json()["entries"]


@pytest.fixture(scope="module")
def accounts(server):
    for name, role, extra in (("setadmin", "admin", []), ("sethead", "head", ["--department", "SCJG"])):
        server.add_user(name, role, PASSWORD, *extra)
    return True


@pytest.fixture(scope="module")
def admin(client, accounts) -> Staff:
    return Staff(client, "setadmin")


@pytest.fixture(scope="module")
def head(client, accounts) -> Staff:
    return Staff(client, "sethead")


@pytest.fixture(scope="module", autouse=True)
def defaults_restored(server, client, accounts):
    """The rest of the suite sees the configuration's settings again afterwards."""
    admin = Staff(client, "setadmin")
    before = admin.get(BASE).json()
    yield
    admin.put(f"{BASE}/reasons", before["reasons"])
    admin.put(f"{BASE}/method", before["method"])
    admin.put(f"{BASE}/center", {"name": before["center"]["name"]})


def month(offset: int) -> str:
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    year, month_number = today.year, today.month - offset
    while month_number < 1:
        year, month_number = year - 1, month_number + 12
    return f"{year}-{month_number:02d}"


def test_the_settings_are_documented_and_say_what_was_changed(admin, contract):
    settings = contract.check(admin.get(BASE), BASE, "get", 200)
    assert settings["center"]["time_zone"] == "Asia/Shanghai"
    assert len(settings["reasons"]["attitude"]) >= 1
    assert settings["method"]["minimum_sample"] >= 1
    for section, name in (("reasons", "ReasonLists"), ("method", "SettingsMethod"), ("center", "CenterInfo")):
        body = contract.check(admin.get(f"{BASE}/{section}"), f"{BASE}/{section}", "get", 200)
        contract.validate_component(body, name)


def test_only_administrators_and_keys_with_the_scope_may(server, client, admin, head, contract):
    contract.check(client.get(BASE), BASE, "get", 401)
    assert contract.check(head.get(BASE), BASE, "get", 403)["error"]["code"] == "forbidden"
    refused = head.put(f"{BASE}/center", {"name": "科室长改的名字"})
    assert contract.check(refused, f"{BASE}/center", "put", 403)["error"]["code"] in ("forbidden", "csrf_invalid")
    no_token = admin.put(f"{BASE}/center", {"name": "没有令牌"}, csrf=False)
    assert contract.check(no_token, f"{BASE}/center", "put", 403)["error"]["code"] == "csrf_invalid"
    other = {"Authorization": f"Bearer {server.indicators_key}"}
    contract.check(client.get(BASE, headers=other), BASE, "get", 403)
    key = server.create_key("settings-tool", "settings:write")
    reply = client.request("PUT", f"{BASE}/center", json.dumps({"name": "区行政服务中心"}),
                           {"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    contract.check(reply, f"{BASE}/center", "put", 200)
    assert admin.get(f"{BASE}/center").json()["name"] == "区行政服务中心", "refused changes changed nothing"


def test_new_reasons_are_audited_and_on_the_kiosk_page_at_once(client, admin, contract):
    before = admin.get(f"{BASE}/reasons").json()
    lists = {
        "attitude": [{"zh": "说话生硬", "en": "Curt"}, "不耐烦"],
        "efficiency": [{"zh": "排队太久", "en": "Queue too long"}],
        "result": ["材料被退回"],
    }
    reply = admin.put(f"{BASE}/reasons", lists)
    body = contract.check(reply, f"{BASE}/reasons", "put", 200)
    assert body["changed"] is True
    assert body["settings"]["attitude"] == [{"zh": "说话生硬", "en": "Curt"}, {"zh": "不耐烦"}]
    # In force at once, without a restart: the next kiosk page offers them.
    page = client.get("/kiosk/W01").body.decode("utf-8")
    for reason in ("说话生硬", "不耐烦", "排队太久", "材料被退回"):
        assert f'value="{reason}"' in page, reason
    assert 'value="等候时间长"' not in page
    entry = admin.audit()[0]
    assert (entry["action"], entry["subject_type"], entry["subject_id"], entry["actor"]) == (
        "settings.change", "center_setting", "survey.negative_reasons", "setadmin")
    assert json.loads(entry["before"]) == before
    assert json.loads(entry["after"])["efficiency"] == [{"zh": "排队太久", "en": "Queue too long"}]

    again = contract.check(admin.put(f"{BASE}/reasons", lists), f"{BASE}/reasons", "put", 200)
    assert again["changed"] is False
    assert admin.audit()[0]["id"] == entry["id"], "an unchanged value is not audited"

    # A plain list is one list for all three.
    plain = contract.check(admin.put(f"{BASE}/reasons", ["等候时间长", "态度不好"]), f"{BASE}/reasons", "put", 200)
    assert plain["settings"]["attitude"] == plain["settings"]["result"] == [{"zh": "等候时间长"}, {"zh": "态度不好"}]


@pytest.mark.parametrize(("body", "code"), [
    ({"attitude": [], "efficiency": ["a"], "result": ["b"]}, "reason_list_empty"),
    ({"attitude": ["a"], "efficiency": ["b"]}, "missing_setting_member"),
    (["重复", "重复"], "duplicate_reason"),
    ([{"zh": " "}], "blank_reason"),
    ("等候时间长", "invalid_setting"),
])
def test_bad_reasons_are_refused_in_the_users_language_and_change_nothing(admin, contract, body, code):
    before = admin.get(f"{BASE}/reasons").json()
    last = admin.audit(1)[0]["id"]
    chinese = contract.check(admin.put(f"{BASE}/reasons", body), f"{BASE}/reasons", "put", 400)["error"]
    english = contract.check(admin.put(f"{BASE}/reasons", body, language="en"), f"{BASE}/reasons", "put", 400)["error"]
    assert chinese["code"] == english["code"] == code
    assert chinese["message"] != english["message"]
    assert admin.get(f"{BASE}/reasons").json() == before
    assert admin.audit(1)[0]["id"] == last


@pytest.mark.parametrize(("body", "code"), [
    ({"weights": {"attitude": 0.5, "efficiency": 0.3, "result": 0.3}}, "weights_do_not_sum_to_one"),
    ({"weights": {"attitude": -0.1, "efficiency": 0.6, "result": 0.5}}, "negative_weight"),
    ({"bands": [{"code": "a", "label": "甲", "min": 60}, {"code": "b", "label": "乙", "min": 80}, {"code": "c", "label": "丙", "min": 0}]},
     "grade_thresholds_not_descending"),
    ({"bands": [{"code": "a", "label": "甲", "min": 101}, {"code": "c", "label": "丙", "min": 0}]}, "grade_threshold_out_of_range"),
    ({"bands": [{"code": "a", "label": "甲", "min": 50}]}, "lowest_grade_threshold_not_zero"),
    ({"minimum_sample": 0}, "minimum_sample_too_small"),
    ({"minimum": 3}, "unknown_setting_member"),
])
def test_bad_methods_are_refused(admin, contract, body, code):
    last = admin.audit(1)[0]["id"]
    error = contract.check(admin.put(f"{BASE}/method", body, language="en"), f"{BASE}/method", "put", 400)["error"]
    assert error["code"] == code
    assert admin.audit(1)[0]["id"] == last


def test_a_weight_change_moves_unpublished_periods_only(server, client, admin, contract, auth):
    published, live = month(2), month(1)
    server.publish(published)

    def center(period: str) -> dict:
        reply = client.get(INDICATORS + "?" + urlencode({"period": period}), auth)
        assert reply.status == 200, reply
        return reply.json()

    published_before, live_before = center(published), center(live)
    assert published_before["source"]["kind"] == "published" and live_before["source"]["kind"] == "live"
    weights = {"attitude": 0.8, "efficiency": 0.1, "result": 0.1}
    body = contract.check(admin.put(f"{BASE}/method", {"weights": weights, "minimum_sample": 5}), f"{BASE}/method", "put", 200)
    assert body["settings"]["weights"] == weights and body["settings"]["minimum_sample"] == 5
    entry = admin.audit()[0]
    assert entry["subject_id"] == "indicator.method"
    assert json.loads(entry["after"])["weights"] == weights

    published_after, live_after = center(published), center(live)
    assert published_after["center"] == published_before["center"], "a published period keeps its method"
    assert published_after["method"]["weights"] == published_before["method"]["weights"]
    assert live_after["method"]["weights"] == weights
    assert live_after["center"]["indicator"] != live_before["center"]["indicator"]
    assert live_after["center"]["n"] == live_before["center"]["n"]


def test_the_center_name_changes_at_once_and_a_time_zone_change_is_refused(client, admin, contract):
    changed = contract.check(admin.put(f"{BASE}/center", {"name": "东城区政务服务中心"}), f"{BASE}/center", "put", 200)
    assert changed["settings"] == {"name": "东城区政务服务中心", "name_en": "District Administrative Service Center", "time_zone": "Asia/Shanghai"}
    assert "东城区政务服务中心" in client.get("/kiosk/W02").body.decode("utf-8")

    zone = admin.put(f"{BASE}/center", {"name": "改不成的名字", "time_zone": "Asia/Urumqi"}, language="en")
    error = contract.check(zone, f"{BASE}/center", "put", 409)["error"]
    assert error["code"] == "time_zone_needs_rebuild"
    assert "pingjia settings set center.time_zone Asia/Urumqi" in error["message"]
    assert admin.get(f"{BASE}/center").json()["name"] == "东城区政务服务中心", "a refused zone changes no name"
    same = contract.check(admin.put(f"{BASE}/center", {"time_zone": "Asia/Shanghai"}), f"{BASE}/center", "put", 200)
    assert same["changed"] is False
    for document, code in (({"time_zone": "Mars/Olympus"}, "unknown_time_zone"), ({"name": "  "}, "invalid_center_name")):
        assert contract.check(admin.put(f"{BASE}/center", document), f"{BASE}/center", "put", 400)["error"]["code"] == code


def test_the_centers_english_name_is_set_shown_on_english_pages_and_removed(client, admin, contract):
    center = f"{BASE}/center"
    changed = contract.check(admin.put(center, {"name_en": "  Dongcheng Government Service Center "}), center, "put", 200)
    assert changed["changed"] is True and changed["settings"]["name_en"] == "Dongcheng Government Service Center"
    entry = admin.audit()[0]
    assert (entry["action"], entry["subject_id"]) == ("settings.change", "center.name_en")
    english = client.get("/kiosk/W02?lang=en").body.decode("utf-8")
    assert '<p class="center">Dongcheng Government Service Center</p>' in english
    assert '<p class="center">Dongcheng Government Service Center</p>' not in client.get("/kiosk/W02?lang=zh").body.decode("utf-8")

    for language, message in (("en", "The center's English name may have at most 100 characters."), ("zh", "中心英文名称最多 100 个字符。")):
        refused = admin.put(center, {"name": "不会改的名字", "name_en": "x" * 101}, language=language)
        error = contract.check(refused, center, "put", 400)["error"]
        assert error["code"] == "invalid_center_name_en" and error["message"] == message
    assert admin.get(center).json()["name"] != "不会改的名字", "a refused English name changes no name"
    assert contract.check(admin.put(center, {"name_en": 7}), center, "put", 400)["error"]["code"] == "invalid_center_name_en"

    # Leaving name_en out keeps it; null (or a blank text) removes it, and the Chinese name is marked.
    kept = contract.check(admin.put(center, {"time_zone": "Asia/Shanghai"}), center, "put", 200)
    assert kept["settings"]["name_en"] == "Dongcheng Government Service Center"
    removed = contract.check(admin.put(center, {"name_en": None}), center, "put", 200)
    assert removed["changed"] is True and removed["settings"]["name_en"] is None
    name = removed["settings"]["name"]
    assert f'<p class="center" lang="zh-CN">{name}</p>' in client.get("/kiosk/W02?lang=en").body.decode("utf-8")
    assert contract.check(admin.put(center, {"name_en": " "}), center, "put", 200)["changed"] is False
    contract.check(admin.put(center, {"name_en": "District Administrative Service Center"}), center, "put", 200)


def test_calendar_days_are_added_refused_and_removed(admin, contract):
    year = 2031
    path = f"{BASE}/calendar?year={year}"
    assert contract.check(admin.get(path), f"{BASE}/calendar", "get", 200)["days"] == []
    weekday = admin.put(f"{BASE}/calendar/2031-10-08", {"kind": "working_day"}, language="en")
    error = contract.check(weekday, f"{BASE}/calendar/{{date}}", "put", 400)["error"]
    assert error["code"] == "make_up_day_not_on_weekend" and "2031-10-08" in error["message"]
    for bad, code in (("2031-02-30", "invalid_date"), ("next-monday", "invalid_date")):
        reply = admin.put(f"{BASE}/calendar/{bad}", {"kind": "holiday"})
        assert contract.check(reply, f"{BASE}/calendar/{{date}}", "put", 400)["error"]["code"] == code
    assert contract.check(admin.put(f"{BASE}/calendar/2031-10-01", {"kind": "tuesday"}), f"{BASE}/calendar/{{date}}", "put", 400)["error"]["code"] == "invalid_kind"

    added = contract.check(admin.put(f"{BASE}/calendar/2031-10-01", {"kind": "holiday", "note": "国庆节"}), f"{BASE}/calendar/{{date}}", "put", 200)
    assert added == {"date": "2031-10-01", "kind": "holiday", "changed": True}
    contract.check(admin.put(f"{BASE}/calendar/2031-10-11", {"kind": "working_day"}), f"{BASE}/calendar/{{date}}", "put", 200)
    days = contract.check(admin.get(path), f"{BASE}/calendar", "get", 200)["days"]
    assert [(d["date"], d["kind"], d["source"], d["note"]) for d in days] == [
        ("2031-10-01", "holiday", "admin", "国庆节"), ("2031-10-11", "working_day", "admin", None)]
    entry = admin.audit()[0]
    assert (entry["action"], entry["subject_id"]) == ("calendar.change", "2031-10-11")
    assert json.loads(entry["before"])["kind"] == "ordinary" and json.loads(entry["after"])["kind"] == "working_day"

    removed = contract.check(admin.delete(f"{BASE}/calendar/2031-10-01"), f"{BASE}/calendar/{{date}}", "delete", 200)
    assert removed == {"date": "2031-10-01", "kind": "ordinary", "changed": True}
    assert [d["date"] for d in admin.get(path).json()["days"]] == ["2031-10-11"]


def test_the_command_line_changes_a_running_server_within_seconds(server, client, admin):
    server.cli("settings", "set", "center.name", "命令行改的中心")
    deadline = time.monotonic() + 30
    while "命令行改的中心" not in client.get("/kiosk/W03").body.decode("utf-8"):
        assert time.monotonic() < deadline, "the running server did not pick up the change"
        time.sleep(0.2)
    assert admin.audit()[0]["actor"].startswith("cli:")

    refused = server.try_cli("settings", "set", "indicator.minimum_sample", "0")
    assert refused.returncode != 0 and "minimum" in refused.stderr.lower()
    refused = server.try_cli("settings", "set", "indicator.weights", '{"attitude": 1, "efficiency": 1, "result": 1}')
    assert refused.returncode != 0 and "1" in refused.stderr
    # The zone needs the server stopped: the database is locked while it runs.
    refused = server.try_cli("settings", "set", "center.time_zone", "Asia/Urumqi")
    assert refused.returncode != 0 and "in use" in refused.stderr
    refused = server.try_cli("settings", "set", "center.time_zone", "Mars/Olympus")
    assert refused.returncode != 0 and "Mars/Olympus" in refused.stderr

    server.cli("calendar", "add", "2032-01-01", "--holiday", "--note", "元旦")
    assert "2032-01-01\tholiday\tadmin" in server.cli("calendar", "list", "--year", "2032")
    refused = server.try_cli("calendar", "add", "2032-01-07", "--working-day")
    assert refused.returncode != 0 and "2032-01-07" in refused.stderr
    server.cli("calendar", "remove", "2032-01-01")
    assert "2032-01-01" not in server.cli("calendar", "list", "--year", "2032")
    shown = json.loads(server.cli("settings", "show"))
    assert shown["center"]["name"] == "命令行改的中心"
    server.cli("settings", "set", "center.name_en", "Center from the command line")
    assert json.loads(server.cli("settings", "show"))["center"]["name_en"] == "Center from the command line"
    refused = server.try_cli("settings", "set", "center.name_en", "x" * 101)
    assert refused.returncode != 0 and "at most 100 characters" in refused.stderr
    server.cli("settings", "set", "center.name_en", "")
    assert json.loads(server.cli("settings", "show"))["center"]["name_en"] is None


def test_the_time_zone_changes_with_the_server_stopped_and_rebuilds_the_rollups(tmp_path):
    """Its own small center: the zone is stored with rollups rebuilt for it, and the
    server starts in it although the configuration file still names Asia/Shanghai."""
    center = PingjiaProcess(tmp_path, {"center": {"time_zone": "Asia/Shanghai"}, "server": {"static_root": str(REPO / "Public")}})
    center.cli("migrate")
    center.cli("demo", "--days", "3")
    unknown = center.try_cli("settings", "set", "center.time_zone", "GMT+8")
    assert unknown.returncode != 0 and "IANA" in unknown.stderr
    center.cli("settings", "set", "center.time_zone", "Asia/Urumqi")
    assert json.loads(center.cli("settings", "show"))["center"]["time_zone"] == "Asia/Urumqi"
    assert "Checked" in center.cli("verify")
    center.start()
    try:
        health = http.client.HTTPConnection("127.0.0.1", center.port, timeout=WAIT)
        health.request("GET", "/healthz")
        assert health.getresponse().status == 200
    finally:
        assert center.stop() == 0, center.stderr()
    audit = center.cli("audit", "--limit", "5")
    assert "center.time_zone" in audit and "Asia/Urumqi" in audit


def test_the_settings_page_redirects_after_a_change_and_answers_a_refusal_in_the_users_language(client, admin, head):
    def post(staff: Staff, path: str, fields: dict, csrf: bool = True, language: str = "en"):
        if csrf:
            fields = {**fields, "csrf_token": staff.csrf}
        return client.request("POST", path, urlencode(fields), {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": staff.cookie, "Accept-Language": language})

    page = admin.get("/staff/admin/settings", language="en")
    html = page.body.decode("utf-8")
    assert page.status == 200 and "<style" not in html and " style=" not in html and "<script>" not in html, "the CSP allows no inline style or script"
    done = post(admin, "/staff/admin/settings/center", {"name": "页面改的中心", "time_zone": "Asia/Shanghai"})
    assert done.status == 303 and done.headers["Location"].startswith("/staff/admin/settings?saved=center")
    assert admin.get(f"{BASE}/center").json()["name"] == "页面改的中心"
    english = post(admin, "/staff/admin/settings/center", {"name": "页面改的中心", "name_en": " Center named on the page ", "time_zone": "Asia/Shanghai"})
    assert english.status == 303 and admin.get(f"{BASE}/center").json()["name_en"] == "Center named on the page"
    assert 'name="name_en" type="text" lang="en" value="Center named on the page"' in admin.get("/staff/admin/settings").body.decode("utf-8")
    too_long = post(admin, "/staff/admin/settings/center", {"name": "页面改的中心", "name_en": "x" * 101, "time_zone": "Asia/Shanghai"})
    assert too_long.status == 400 and "English name may have at most 100" in too_long.body.decode("utf-8")
    assert f'value="{"x" * 101}"' in too_long.body.decode("utf-8"), "what was typed is kept"

    blank = post(admin, "/staff/admin/settings/center", {"name": " ", "time_zone": "Asia/Shanghai"})
    assert blank.status == 400 and "must not be blank" in blank.body.decode("utf-8")
    chinese = post(admin, "/staff/admin/settings/center", {"name": " ", "time_zone": "Asia/Shanghai"}, language="zh")
    assert chinese.status == 400 and "中心名称不能为空" in chinese.body.decode("utf-8")
    zone = post(admin, "/staff/admin/settings/center", {"name": "页面改的中心", "time_zone": "Europe/Paris"})
    assert zone.status == 409 and "Europe/Paris" in zone.body.decode("utf-8")
    assert 'value="Europe/Paris"' in zone.body.decode("utf-8"), "what was typed is kept"

    assert post(admin, "/staff/admin/settings/center", {"name": "无令牌"}, csrf=False).status == 403
    assert post(head, "/staff/admin/settings/center", {"name": "科室长"}).status == 403
    assert admin.get(f"{BASE}/center").json()["name"] == "页面改的中心"
    assert client.get("/staff/admin/settings").status == 303, "no session: to the sign-in page"
