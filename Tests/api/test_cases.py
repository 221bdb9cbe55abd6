"""The 差评 case API against its contract, on the session's demo server (conftest.py):
every legal and illegal transition over HTTP, who may take which action (403), department
scoping of guessed ids on every case and feedback route (404), CSRF on every change made
with a session, and the audit rows actions and flags leave.

Every case it acts on belongs to a response it created (in SCJG's windows W01–W03, or
BDC's W04), so the other suites see the figures they expect; the responses an upheld
appeal flags are its own too.
"""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.parse
import uuid

import pytest


CASES = "/api/v1/cases"
CASE = "/api/v1/cases/{id}"
ACTIONS = "/api/v1/cases/{id}/actions"
FEEDBACK = "/api/v1/feedback"
FEEDBACK_DETAIL = "/api/v1/feedback/{id}"
STATUS = "/api/v1/feedback/{id}/status"
AUDIT = "/api/v1/audit"
PASSWORD = "case contract password"

# The fields each action takes, valid ones.
FIELDS = {
    "start": {"note": "核实属实"},
    "rectify": {"callback_result": "satisfied", "note": "已整改，电话回访满意"},
    "close": {},
    "assign": {"assignee": "crev"},
    "note": {"note": "已联系窗口负责人"},
    "appeal": {"ruling": "invalid", "reason": "评价与本窗口业务无关"},
    "approve_appeal": {},
    "reject_appeal": {"note": "理由不足"},
    "request_extension": {"days": 3, "reason": "需要外单位配合"},
    "approve_extension": {},
    "reject_extension": {},
}

# How a fresh case is brought into each state (as an admin), and what each state allows
# (docs/cases.md).
SETUP = {
    "new": [],
    "in_progress": ["start"],
    "new+appeal": ["appeal"],
    "in_progress+appeal": ["start", "appeal"],
    "new+extension": ["request_extension"],
    "in_progress+extension": ["start", "request_extension"],
    "rectified": ["start", "rectify"],
    "closed": ["start", "rectify", "close"],
}
ALLOWED = {
    "new": ["start", "assign", "note", "appeal", "request_extension"],
    "in_progress": ["rectify", "assign", "note", "appeal", "request_extension"],
    "new+appeal": ["assign", "note", "approve_appeal", "reject_appeal"],
    "in_progress+appeal": ["assign", "note", "approve_appeal", "reject_appeal"],
    "new+extension": ["start", "assign", "note", "approve_extension", "reject_extension"],
    "in_progress+extension": ["rectify", "assign", "note", "approve_extension", "reject_extension"],
    "rectified": ["close", "note"],
    "closed": ["note"],
}
# (state, pending kind) after each legal action, by the state before it.
AFTER = {
    ("new", "start"): ("in_progress", None), ("new", "appeal"): ("new", "appeal"),
    ("new", "request_extension"): ("new", "extension"),
    ("in_progress", "rectify"): ("rectified", None), ("in_progress", "appeal"): ("in_progress", "appeal"),
    ("in_progress", "request_extension"): ("in_progress", "extension"),
    ("new+appeal", "approve_appeal"): ("closed", None), ("new+appeal", "reject_appeal"): ("new", None),
    ("in_progress+appeal", "approve_appeal"): ("closed", None), ("in_progress+appeal", "reject_appeal"): ("in_progress", None),
    ("new+extension", "start"): ("in_progress", "extension"),
    ("new+extension", "approve_extension"): ("new", None), ("new+extension", "reject_extension"): ("new", None),
    ("in_progress+extension", "rectify"): ("rectified", None),
    ("in_progress+extension", "approve_extension"): ("in_progress", None),
    ("in_progress+extension", "reject_extension"): ("in_progress", None),
    ("rectified", "close"): ("closed", None),
}


def state_of(case: dict) -> tuple[str, str | None]:
    return case["state"], (case["pending"] or {}).get("kind")


def expected_after(state: str, action: str) -> tuple[str, str | None]:
    if (state, action) in AFTER:
        return AFTER[(state, action)]
    stage, _, pending = state.partition("+")
    return stage, pending or None  # assign and note change neither stage nor request


# MARK: Accounts, sessions and keys


class Staff:
    """Request headers for a signed-in account or an API key."""

    def __init__(self, client, headers: dict[str, str], csrf: str | None = None):
        self.client, self.headers, self.csrf = client, headers, csrf

    def get(self, path: str, **extra):
        return self.client.get(path, headers={**self.headers, **extra})

    def post(self, path: str, document, csrf: bool = True, **extra):
        headers = {**self.headers, **extra}
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        return self.client.post_json(path, document, headers=headers)

    def act(self, case_id: int, action: str, **fields):
        return self.post(ACTIONS.format(id=case_id), {"action": action, **FIELDS[action], **fields})


@pytest.fixture(scope="module")
def staff(server, client) -> dict[str, Staff]:
    accounts = {
        "chead": ("head", "SCJG"), "cbdc": ("head", "BDC"), "crev": ("reviewer", "SCJG"),
        "crev2": ("reviewer", "SCJG"), "cviewer": ("viewer", None), "cboss": ("admin", None),
    }
    people = {}
    for name, (role, department) in accounts.items():
        extra = ["--department", department] if department else []
        server.add_user(name, role, PASSWORD, *extra)
        reply = client.post_json("/api/v1/session", {"username": name, "password": PASSWORD})
        assert reply.status == 200, reply
        cookie = reply.headers["Set-Cookie"].split(";")[0]
        people[name] = Staff(client, {"Cookie": cookie}, reply.json()["csrf_token"])
    people["key"] = Staff(client, {"Authorization": "Bearer " + server.create_key("case-desk", "feedback:read", "cases:write")})
    people["scjg-key"] = Staff(client, {"Authorization": "Bearer " + server.create_key(
        "case-desk-scjg", "feedback:read", "feedback:write", "cases:write", departments=("SCJG",))})
    people["reader-key"] = Staff(client, {"Authorization": f"Bearer {server.feedback_key}"})
    return people


def new_case(client, contract, staff, window: str = "W02") -> dict:
    """A fresh 差评 and its case, found through the API."""
    response = contract.check(client.post_json("/api/v1/responses", {
        "window": window, "attitude": 1, "efficiency": 3, "result": 2, "channel": "kiosk",
        "reasons": ["态度差"], "comment": "等了很久没人理", "client_id": str(uuid.uuid4()),
    }), "/api/v1/responses", "POST", 201)
    page = contract.check(staff["cboss"].get(CASES + "?limit=20"), CASES, "GET", 200)
    found = [c for c in page["entries"] if c["response_id"] == response["id"]]
    assert len(found) == 1, "a 差评 opens exactly one case"
    return found[0]


def case_in(client, contract, staff, state: str) -> dict:
    case = new_case(client, contract, staff)
    for action in SETUP[state]:
        case = contract.check(staff["cboss"].act(case["id"], action), ACTIONS, "POST", 200)
    assert state_of(case) == expected_after(state, "note"), f"could not bring a case to {state}"
    return contract.check(staff["cboss"].get(CASE.format(id=case["id"])), CASE, "GET", 200)


# MARK: Transitions


@pytest.mark.parametrize("state, action", [(s, a) for s, actions in ALLOWED.items() for a in actions])
def test_every_legal_transition(client, contract, staff, state, action):
    case = case_in(client, contract, staff, state)
    after = contract.check(staff["cboss"].act(case["id"], action), ACTIONS, "POST", 200)
    assert state_of(after) == expected_after(state, action)
    assert after["history"][-1]["action"] == action and after["history"][-1]["actor"] == "cboss"
    assert len(after["history"]) == len(SETUP[state]) + 1
    shown = contract.check(staff["cboss"].get(CASE.format(id=case["id"])), CASE, "GET", 200)
    assert shown == after
    if action == "approve_appeal":
        assert after["closed_as"] == "appeal_upheld" and after["upheld_appeal"]["ruling"] == "invalid"
        flagged = staff["cboss"].get(FEEDBACK_DETAIL.format(id=case["response_id"])).json()
        assert flagged["status"] == "invalid", "an upheld appeal flags the response"
    if action == "approve_extension":
        assert after["extension_days"] == 3 and after["deadline"] > case["deadline"]


@pytest.mark.parametrize("state", ALLOWED)
def test_every_illegal_transition_is_409_naming_what_is_allowed(client, contract, staff, state):
    case = case_in(client, contract, staff, state)
    for action in FIELDS:
        if action in ALLOWED[state]:
            continue
        for language, allowed_words in (("zh-CN", "可执行"), ("en", "allowed now")):
            reply = staff["cboss"].post(ACTIONS.format(id=case["id"]), {"action": action, **FIELDS[action]},
                                        **{"Accept-Language": language})
            body = contract.check(reply, ACTIONS, "POST", 409)
            assert body["error"]["code"] == "case_illegal_transition"
            message = body["error"]["message"]
            assert allowed_words in message and action in message, message
            assert all(name in message for name in ALLOWED[state]), message
    assert contract.check(staff["cboss"].get(CASE.format(id=case["id"])), CASE, "GET", 200) == case, "nothing changed"


def test_unreachable_needs_a_recorded_attempt_first(client, contract, staff):
    case = case_in(client, contract, staff, "in_progress")
    refused = contract.check(staff["chead"].act(case["id"], "rectify", callback_result="unreachable"), ACTIONS, "POST", 409)
    assert refused["error"]["code"] == "case_callback_attempt_required"
    contract.check(staff["chead"].act(case["id"], "note", note="电话无人接听", callback_attempt=True), ACTIONS, "POST", 200)
    done = contract.check(staff["chead"].act(case["id"], "rectify", callback_result="unreachable", note="三次未接通"), ACTIONS, "POST", 200)
    assert done["callback"] == {"result": "unreachable", "note": "三次未接通"} and done["callback_attempts"] == 1


BAD_BODIES = {
    "no action": (422, "case_invalid_action", {"note": "x"}),
    "unknown action": (422, "case_invalid_action", {"action": "delete"}),
    "action not text": (422, "case_invalid_field", {"action": 3}),
    "rectify without result": (422, "case_invalid_field", {"action": "rectify", "note": "x"}),
    "rectify with a made-up result": (422, "case_invalid_field", {"action": "rectify", "callback_result": "happy", "note": "x"}),
    "rectify without note": (422, "case_field_required", {"action": "rectify", "callback_result": "satisfied"}),
    "note of the wrong type": (422, "case_invalid_field", {"action": "note", "note": ["x"]}),
    "note too long": (422, "case_text_too_long", {"action": "note", "note": "长" * 1001}),
    "appeal without ruling": (422, "case_invalid_field", {"action": "appeal", "reason": "x"}),
    "appeal without reason": (422, "case_field_required", {"action": "appeal", "ruling": "malicious"}),
    "extension without days": (422, "case_invalid_field", {"action": "request_extension", "reason": "x"}),
    "extension days as text": (422, "case_invalid_field", {"action": "request_extension", "days": "3", "reason": "x"}),
    "extension too long": (422, "case_extension_days_out_of_range", {"action": "request_extension", "days": 31, "reason": "x"}),
    "assignee unknown": (422, "case_unknown_assignee", {"action": "assign", "assignee": "nobody"}),
    "assignee of another department": (422, "case_unknown_assignee", {"action": "assign", "assignee": "cbdc"}),
    "attempt flag as text": (422, "case_invalid_field", {"action": "note", "note": "x", "callback_attempt": "yes"}),
    "not an object": (400, "malformed_json", ["start"]),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_a_bad_body_is_refused_with_a_clear_message_and_changes_nothing(client, contract, staff, name):
    status, code, document = BAD_BODIES[name]
    case = case_in(client, contract, staff, "in_progress")
    body = contract.check(staff["chead"].post(ACTIONS.format(id=case["id"]), document), ACTIONS, "POST", status)
    assert body["error"]["code"] == code and body["error"]["message"]
    assert staff["chead"].get(CASE.format(id=case["id"])).json() == case


def test_an_action_must_be_json(client, contract, staff):
    case = case_in(client, contract, staff, "new")
    reply = client.request("POST", ACTIONS.format(id=case["id"]), body="action=start",
                           headers={**staff["chead"].headers, "X-CSRF-Token": staff["chead"].csrf,
                                    "Content-Type": "application/x-www-form-urlencoded"})
    contract.check(reply, ACTIONS, "POST", 415)


def test_the_feedback_detail_carries_its_case_and_the_cases_history(client, contract, staff):
    case = case_in(client, contract, staff, "in_progress")
    detail = contract.check(staff["chead"].get(FEEDBACK_DETAIL.format(id=case["response_id"])), FEEDBACK_DETAIL, "GET", 200)
    assert detail["case"] == case
    positive = contract.check(client.post_json("/api/v1/responses", {
        "window": "W01", "attitude": 5, "efficiency": 4, "result": 5, "channel": "kiosk", "client_id": str(uuid.uuid4()),
    }), "/api/v1/responses", "POST", 201)
    plain = contract.check(staff["chead"].get(FEEDBACK_DETAIL.format(id=positive["id"])), FEEDBACK_DETAIL, "GET", 200)
    assert plain["case"] is None


# MARK: Roles


def test_roles_decide_who_may_act(client, contract, staff):
    case = case_in(client, contract, staff, "new")
    viewer = contract.check(staff["cviewer"].act(case["id"], "start"), ACTIONS, "POST", 403)
    assert viewer["error"]["code"] == "forbidden"
    contract.check(staff["cviewer"].get(CASE.format(id=case["id"])), CASE, "GET", 200)
    reader = contract.check(staff["reader-key"].act(case["id"], "start"), ACTIONS, "POST", 403)
    assert "cases:write" in reader["error"]["message"]
    # A reviewer acts only on cases assigned to them, and never closes or appeals.
    unassigned = contract.check(staff["crev"].act(case["id"], "start"), ACTIONS, "POST", 403)
    assert unassigned["error"]["code"] == "case_action_forbidden"
    contract.check(staff["chead"].act(case["id"], "assign", assignee="crev"), ACTIONS, "POST", 200)
    contract.check(staff["crev2"].act(case["id"], "start"), ACTIONS, "POST", 403)
    contract.check(staff["crev"].act(case["id"], "start"), ACTIONS, "POST", 200)
    contract.check(staff["crev"].act(case["id"], "appeal"), ACTIONS, "POST", 403)
    contract.check(staff["crev"].act(case["id"], "rectify"), ACTIONS, "POST", 200)
    closing = contract.check(staff["crev"].act(case["id"], "close"), ACTIONS, "POST", 403)
    assert closing["error"]["code"] == "case_action_forbidden" and "close" in closing["error"]["message"]
    closed = contract.check(staff["chead"].act(case["id"], "close"), ACTIONS, "POST", 200)
    assert closed["state"] == "closed"
    assert [e["actor"] for e in closed["history"]] == ["chead", "crev", "crev", "chead"]


def test_only_an_admin_rules_on_appeals_and_extensions(client, contract, staff):
    appealed = case_in(client, contract, staff, "new+appeal")
    for action in ("approve_appeal", "reject_appeal"):
        for who in ("chead", "scjg-key"):
            body = contract.check(staff[who].act(appealed["id"], action), ACTIONS, "POST", 403)
            assert body["error"]["code"] == "case_action_forbidden"
    extended = case_in(client, contract, staff, "new+extension")
    contract.check(staff["chead"].act(extended["id"], "approve_extension"), ACTIONS, "POST", 403)
    contract.check(staff["cboss"].act(extended["id"], "approve_extension"), ACTIONS, "POST", 200)


# MARK: Lists and filters


def test_the_list_filters_and_pages_by_keyset(client, contract, staff):
    first = new_case(client, contract, staff)
    second = new_case(client, contract, staff)
    contract.check(staff["chead"].act(second["id"], "assign", assignee="crev2"), ACTIONS, "POST", 200)
    mine = contract.check(staff["chead"].get(CASES + "?assignee=crev2&limit=500"), CASES, "GET", 200)
    assert second["id"] in {c["id"] for c in mine["entries"]} and all(c["assignee"] == "crev2" for c in mine["entries"])
    fresh = contract.check(staff["chead"].get(CASES + "?state=new&overdue=false&limit=500"), CASES, "GET", 200)
    assert first["id"] in {c["id"] for c in fresh["entries"]}
    assert all(c["state"] == "new" and not c["overdue"] for c in fresh["entries"])
    seen, cursor = [], None
    while True:
        page = contract.check(staff["chead"].get(CASES + "?limit=7" + (f"&cursor={cursor}" if cursor else "")), CASES, "GET", 200)
        seen += [c["id"] for c in page["entries"]]
        new_case(client, contract, staff)  # newer cases do not disturb the pages
        cursor = page["next_cursor"]
        if not cursor or len(seen) > 60:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen))


def test_an_open_case_past_its_deadline_is_overdue(server, client, contract, staff):
    case = new_case(client, contract, staff)
    connection = sqlite3.connect(server.db, timeout=60)
    try:
        with connection:  # as if the case had been left open for a month
            connection.execute('UPDATE "case" SET deadline_day = deadline_day - 30 WHERE id = ?', (case["id"],))
    finally:
        connection.close()
    overdue = contract.check(staff["chead"].get(CASES + "?overdue=true&limit=500"), CASES, "GET", 200)
    assert case["id"] in {c["id"] for c in overdue["entries"]}
    assert all(c["overdue"] and c["state"] in ("new", "in_progress") for c in overdue["entries"])
    others = contract.check(staff["chead"].get(CASES + "?overdue=false&limit=500"), CASES, "GET", 200)
    assert case["id"] not in {c["id"] for c in others["entries"]}
    contract.check(staff["chead"].act(case["id"], "start"), ACTIONS, "POST", 200)
    rectified = contract.check(staff["chead"].act(case["id"], "rectify"), ACTIONS, "POST", 200)
    assert rectified["overdue"] is False, "a rectified case is no longer overdue"


@pytest.mark.parametrize("query, code", [
    ("state=open", "invalid_filter"), ("overdue=maybe", "invalid_filter"), ("limit=0", "invalid_filter"),
    ("limit=501", "invalid_filter"), ("cursor=abc", "invalid_cursor"), ("cursor=-4", "invalid_cursor"),
])
def test_a_bad_list_query_is_400(contract, staff, query, code):
    body = contract.check(staff["chead"].get(CASES + "?" + query), CASES, "GET", 400)
    assert body["error"]["code"] == code


def test_reads_need_a_session_or_a_key(client, contract):
    contract.check(client.get(CASES), CASES, "GET", 401)
    contract.check(client.get(CASE.format(id=1)), CASE, "GET", 401)
    contract.check(client.post_json(ACTIONS.format(id=1), {"action": "start"}), ACTIONS, "POST", 401)


# MARK: Departments: a guessed id is 404 on every route


def test_guessed_ids_of_another_department_are_404_everywhere(client, contract, staff):
    scjg = new_case(client, contract, staff, window="W01")
    bdc = new_case(client, contract, staff, window="W04")
    for who, outside in (("cbdc", scjg), ("scjg-key", bdc)):
        person = staff[who]
        missing = 999_999_999
        for case_id in (outside["id"], missing):
            body = contract.check(person.get(CASE.format(id=case_id)), CASE, "GET", 404)
            assert body["error"]["code"] == "case_not_found"
            body = contract.check(person.act(case_id, "note"), ACTIONS, "POST", 404)
            assert body["error"]["code"] == "case_not_found"
        for response_id in (outside["response_id"], missing):
            contract.check(person.get(FEEDBACK_DETAIL.format(id=response_id)), FEEDBACK_DETAIL, "GET", 404)
            contract.check(person.post(STATUS.format(id=response_id), {"status": "test", "reason": "猜的"}),
                           STATUS, "POST", 404)
        listed = contract.check(person.get(CASES + "?limit=500&department=" + outside["department"]), CASES, "GET", 200)
        assert listed["entries"] == []
        everything = contract.check(person.get(CASES + "?limit=500"), CASES, "GET", 200)
        assert outside["id"] not in {c["id"] for c in everything["entries"]}
        feedback = contract.check(person.get(FEEDBACK + "?limit=1000&negative=true"), FEEDBACK, "GET", 200)
        assert outside["response_id"] not in {e["id"] for e in feedback["entries"]}
    for case in (scjg, bdc):
        shown = staff["cboss"].get(CASE.format(id=case["id"])).json()
        assert shown["history"] == [] and shown["state"] == "new", "nothing changed"
        assert staff["cboss"].get(FEEDBACK_DETAIL.format(id=case["response_id"])).json()["status"] == "valid"


# MARK: CSRF


def test_a_change_with_a_session_needs_its_csrf_token(client, contract, staff):
    case = case_in(client, contract, staff, "new")
    head = staff["chead"]
    for token in (None, "0" * 64, staff["cbdc"].csrf):
        extra = {"X-CSRF-Token": token} if token else {}
        reply = head.post(ACTIONS.format(id=case["id"]), {"action": "start"}, csrf=False, **extra)
        body = contract.check(reply, ACTIONS, "POST", 403)
        assert body["error"]["code"] == "csrf_invalid"
        reply = head.post(STATUS.format(id=case["response_id"]), {"status": "test", "reason": "x"}, csrf=False, **extra)
        assert contract.check(reply, STATUS, "POST", 403)["error"]["code"] == "csrf_invalid"
    assert head.get(CASE.format(id=case["id"])).json() == case
    assert head.get(FEEDBACK_DETAIL.format(id=case["response_id"])).json()["status_changes"] == []


# MARK: Sessions on the feedback review


def test_sessions_read_the_feedback_of_their_departments(contract, staff):
    head = contract.check(staff["chead"].get(FEEDBACK + "?limit=200"), FEEDBACK, "GET", 200)
    assert head["entries"] and all(e["department"] == "SCJG" for e in head["entries"])
    viewer = contract.check(staff["cviewer"].get(FEEDBACK + "?limit=200"), FEEDBACK, "GET", 200)
    assert {e["department"] for e in viewer["entries"]} > {"SCJG"}
    reply = staff["chead"].get(FEEDBACK + "?format=csv&negative=true")
    text = contract.check(reply, FEEDBACK, "GET", 200, media="text/csv")
    rows = [line.split(",") for line in text.lstrip("\ufeff").splitlines()[1:]]
    assert rows and all(row[3] == "SCJG" for row in rows)


def test_who_may_flag_and_restore_with_a_session(client, contract, staff):
    case = new_case(client, contract, staff, window="W03")
    path = STATUS.format(id=case["response_id"])
    for who in ("cviewer", "crev"):
        body = contract.check(staff[who].post(path, {"status": "misuse", "reason": "连续按键"}), STATUS, "POST", 403)
        assert body["error"]["code"] == "forbidden"
    flagged = contract.check(staff["chead"].post(path, {"status": "misuse", "reason": "连续按键"}), STATUS, "POST", 200)
    assert flagged["changed"] and flagged["feedback"]["status_changes"][-1]["changed_by"] == "chead"
    restore = contract.check(staff["chead"].post(path, {"status": "valid", "reason": "误标"}), STATUS, "POST", 403)
    assert restore["error"]["code"] == "forbidden"
    restored = contract.check(staff["cboss"].post(path, {"status": "valid", "reason": "误标，恢复"}), STATUS, "POST", 200)
    assert [c["to"] for c in restored["feedback"]["status_changes"]] == ["misuse", "valid"]


# MARK: Audit


def audit_rows(staff, subject_type: str, subject_id: int) -> list[dict]:
    page = staff["cboss"].get(AUDIT + "?limit=1000").json()
    return [e for e in page["entries"] if e["subject_type"] == subject_type and e["subject_id"] == str(subject_id)]


def test_actions_and_flags_leave_audit_rows_with_before_and_after(client, contract, staff):
    case = case_in(client, contract, staff, "new")
    contract.check(staff["chead"].act(case["id"], "start"), ACTIONS, "POST", 200)
    contract.check(staff["key"].act(case["id"], "note"), ACTIONS, "POST", 200)
    contract.check(staff["cboss"].act(case["id"], "appeal", ruling="malicious"), ACTIONS, "POST", 200)
    contract.check(staff["cboss"].act(case["id"], "approve_appeal"), ACTIONS, "POST", 200)
    rows = audit_rows(staff, "case", case["id"])
    assert [(r["actor"], r["action"]) for r in reversed(rows)] == [
        ("chead", "case.start"), ("key:case-desk", "case.note"), ("cboss", "case.appeal"), ("cboss", "case.approve_appeal")]
    start = rows[-1]
    assert json.loads(start["before"])["state"] == "new" and json.loads(start["after"])["state"] == "in_progress"
    assert json.loads(start["after"])["note"] == FIELDS["start"]["note"]
    flags = audit_rows(staff, "response", case["response_id"])
    assert len(flags) == 1 and flags[0]["action"] == "response.status" and flags[0]["actor"] == "cboss"
    assert json.loads(flags[0]["before"]) == {"status": "valid"} and json.loads(flags[0]["after"])["status"] == "misuse"
    # A refused action leaves no row.
    contract.check(staff["chead"].act(case["id"], "start"), ACTIONS, "POST", 409)
    assert len(audit_rows(staff, "case", case["id"])) == 4


def test_a_session_flag_is_audited(client, contract, staff):
    case = new_case(client, contract, staff, window="W02")
    contract.check(staff["chead"].post(STATUS.format(id=case["response_id"]), {"status": "test", "reason": "安装调试"}),
                   STATUS, "POST", 200)
    rows = audit_rows(staff, "response", case["response_id"])
    assert [(r["actor"], json.loads(r["after"])) for r in rows] == [("chead", {"status": "test", "reason": "安装调试"})]
    contract.check(staff["cboss"].post(STATUS.format(id=case["response_id"]), {"status": "valid", "reason": "测试结束"}),
                   STATUS, "POST", 200)


# MARK: The pages' scoping and CSRF (no browser)


def form_post(client, path: str, person: Staff, fields: dict[str, str]):
    return client.request("POST", path, body=urllib.parse.urlencode(fields),
                          headers={**person.headers, "Content-Type": "application/x-www-form-urlencoded"})


def test_case_pages_are_scoped_and_their_forms_need_the_token(client, contract, staff):
    case = new_case(client, contract, staff, window="W01")
    page = f"/staff/cases/{case['id']}"
    assert client.get(page, headers=staff["chead"].headers).status == 200
    assert client.get(page, headers=staff["cbdc"].headers).status == 404
    assert client.get("/staff/cases/999999999", headers=staff["chead"].headers).status == 404
    listing = client.get("/staff/cases?state=new", headers=staff["cbdc"].headers)
    assert listing.status == 200 and f'data-case="{case["id"]}"' not in listing.body.decode()
    refused = form_post(client, page + "/actions", staff["cbdc"], {"action": "start", "csrf_token": staff["cbdc"].csrf})
    assert refused.status == 404
    for token in ("", "0" * 64):
        reply = form_post(client, page + "/actions", staff["chead"], {"action": "start", "csrf_token": token})
        assert reply.status == 403
    assert staff["chead"].get(CASE.format(id=case["id"])).json()["history"] == []
    done = form_post(client, page + "/actions", staff["chead"], {"action": "start", "csrf_token": staff["chead"].csrf})
    assert done.status == 303 and done.headers["Location"] == page
    illegal = form_post(client, page + "/actions", staff["chead"], {"action": "close", "csrf_token": staff["chead"].csrf})
    assert illegal.status == 409 and "可执行" in illegal.body.decode()
    english = form_post(client, page + "/actions?lang=en", staff["chead"], {"action": "close", "csrf_token": staff["chead"].csrf})
    text = english.body.decode()
    assert english.status == 409 and "allowed now: rectify, assign, note, appeal, request_extension" in text
    assert 'lang="en"' in text and 'action="/staff/cases/%d/actions?lang=en"' % case["id"] in text
    assert client.get(page).status == 303, "signed out: to the sign-in page"


def test_the_case_list_page_pages_by_keyset_and_keeps_its_filters(client, contract, staff):
    for _ in range(3):
        new_case(client, contract, staff, window="W03")
    seen, path = [], "/staff/cases?state=new&limit=2"
    for _ in range(3):
        reply = client.get(path, headers=staff["chead"].headers)
        assert reply.status == 200
        html = reply.body.decode()
        ids = [int(n) for n in re.findall(r'data-case="(\d+)"', html)]
        assert len(ids) == 2 and ids == sorted(ids, reverse=True)
        seen += ids
        match = re.search(r'<a href="([^"]+)" rel="next">', html)
        assert match, "a next page"
        path = match.group(1).replace("&amp;", "&")
        assert "state=new" in path and "limit=2" in path and "cursor=" in path
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 6
