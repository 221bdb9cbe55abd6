"""The feedback review's API against its contract: filters, keyset paging, Chinese search,
department-limited keys (404 for a guessed id), flagging and restoring, and the CSV export.

Runs on the session's demo server (conftest.py). Every response it flags is one it
created, and it restores each, so the indicator tests see the figures they expect.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from urllib.parse import urlencode

import pytest

FEEDBACK = "/api/v1/feedback"
DETAIL = "/api/v1/feedback/{id}"
STATUS = "/api/v1/feedback/{id}/status"
SCJG_WINDOWS = {"W01", "W02", "W03"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def listing(**query) -> str:
    return FEEDBACK + ("?" + urlencode(query) if query else "")


def submit(client, contract, **changes) -> dict:
    submission = {"window": "W01", "attitude": 5, "efficiency": 5, "result": 5, "channel": "kiosk",
                  "client_id": str(uuid.uuid4())}
    submission.update(changes)
    return contract.check(client.post_json("/api/v1/responses", submission), "/api/v1/responses", "POST", 201)


@pytest.fixture(scope="module")
def reader(server) -> dict[str, str]:
    return bearer(server.feedback_key)


@pytest.fixture(scope="module")
def writer(server) -> dict[str, str]:
    return bearer(server.feedback_writer_key)


@pytest.fixture(scope="module")
def scjg(server) -> dict[str, str]:
    return bearer(server.scjg_key)


@pytest.fixture(scope="module")
def commented(client, contract) -> dict:
    """Responses of this module with comments, in two departments."""
    return {
        "rude": submit(client, contract, window="W01", attitude=1, efficiency=3, result=2,
                       reasons=["态度差"], comment="窗口工作人员态度冷淡，解释不清楚"),
        "kind": submit(client, contract, window="W04", comment="服务态度好，办事快"),
        "short": submit(client, contract, window="W05", comment="快"),
    }


# MARK: Authorization


def test_the_review_needs_a_key_with_its_scope(client, contract, auth):
    contract.check(client.get(FEEDBACK), FEEDBACK, "GET", 401)
    contract.check(client.get(FEEDBACK, headers=auth), FEEDBACK, "GET", 403)


def test_flagging_needs_the_write_scope(client, contract, reader, commented):
    path = STATUS.format(id=commented["kind"]["id"])
    reply = client.post_json(path, {"status": "test", "reason": "试"}, headers=reader)
    body = contract.check(reply, STATUS, "POST", 403)
    assert "feedback:write" in body["error"]["message"]


# MARK: Listing and paging


def test_a_page_newest_first_and_its_cursor(client, contract, reader, commented):
    first = contract.check(client.get(listing(limit=5), headers=reader), FEEDBACK, "GET", 200)
    assert len(first["entries"]) == 5 and first["next_cursor"]
    keys = [(e["created_at"], e["id"]) for e in first["entries"]]
    assert keys == sorted(keys, reverse=True)
    assert first["entries"][0]["id"] == commented["short"]["id"], "the newest response comes first"


def test_paging_while_responses_arrive_neither_repeats_nor_skips(client, contract, reader):
    # The last three days of one window: a hundred-odd demo rows, and today's new ones.
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    period = f"{today - dt.timedelta(days=2)}..{today}"
    before = [e["id"] for e in contract.check(
        client.get(listing(limit=1000, window="W07", period=period), headers=reader), FEEDBACK, "GET", 200)["entries"]]
    assert 37 < len(before) < 1000
    seen, cursor = [], None
    while True:
        query = {"limit": 37, "window": "W07", "period": period}
        if cursor:
            query["cursor"] = cursor
        page = contract.check(client.get(listing(**query), headers=reader), FEEDBACK, "GET", 200)
        seen += [e["id"] for e in page["entries"]]
        submit(client, contract, window="W07")  # a newer response of the same department
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)), "no row repeats"
    assert seen == before[:len(seen)] and set(seen) == set(before), "no row is skipped"


@pytest.mark.parametrize("query, check", [
    ({"negative": "true"}, lambda e: e["negative"]),
    ({"department": "BDC"}, lambda e: e["department"] == "BDC"),
    ({"window": "W04"}, lambda e: e["window"] == "W04"),
    ({"channel": "qr"}, lambda e: e["channel"] == "qr"),
    ({"level": "1"}, lambda e: 1 in (e["attitude"], e["efficiency"], e["result"])),
    ({"level": "efficiency:2"}, lambda e: e["efficiency"] == 2),
    ({"has_comment": "true"}, lambda e: e["comment"]),
    ({"has_comment": "false"}, lambda e: not e["comment"]),
    ({"status": "valid"}, lambda e: e["status"] == "valid"),
    ({"service_item": "BDC-01"}, lambda e: e["service_item"] == "BDC-01"),
], ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else "")
def test_each_filter(client, contract, reader, query, check):
    body = contract.check(client.get(listing(limit=200, **query), headers=reader), FEEDBACK, "GET", 200)
    assert body["entries"], f"the demo center has rows for {query}"
    assert all(check(e) for e in body["entries"]), query


def test_a_period_is_local_days_in_the_centers_zone(client, contract, reader):
    body = contract.check(client.get(listing(period="2000-01", limit=10), headers=reader), FEEDBACK, "GET", 200)
    assert body == {"entries": [], "next_cursor": None}


BAD_QUERIES = {
    "channel": ({"channel": "sms"}, "invalid_filter"),
    "level": ({"level": "attitude:9"}, "invalid_filter"),
    "negative": ({"negative": "yes"}, "invalid_filter"),
    "status": ({"status": "valid,deleted"}, "invalid_filter"),
    "limit": ({"limit": "0"}, "invalid_filter"),
    "limit too large": ({"limit": "1001"}, "invalid_filter"),
    "cursor": ({"cursor": "bm90IGEgY3Vyc29y"}, "invalid_cursor"),
    "format": ({"format": "xml"}, "invalid_format"),
    "period": ({"period": "2026-13"}, "period_month_out_of_range"),
    "q too long": ({"q": "长" * 101}, "invalid_filter"),
}


@pytest.mark.parametrize("case", BAD_QUERIES)
def test_a_bad_query_gets_400_naming_what_is_wrong(client, contract, reader, case):
    query, code = BAD_QUERIES[case]
    body = contract.check(client.get(listing(**query), headers=reader), FEEDBACK, "GET", 400)
    assert body["error"]["code"] == code


def test_errors_follow_accept_language(client, contract, reader):
    zh = contract.check(client.get(listing(channel="sms"), headers={**reader, "Accept-Language": "zh-CN"}), FEEDBACK, "GET", 400)
    en = contract.check(client.get(listing(channel="sms"), headers={**reader, "Accept-Language": "en"}), FEEDBACK, "GET", 400)
    assert "channel" in zh["error"]["message"] and "参数" in zh["error"]["message"]
    assert en["error"]["message"].startswith("The value of channel")


# MARK: Search


def test_a_two_character_chinese_word_is_found(client, contract, reader, commented):
    body = contract.check(client.get(listing(q="态度", limit=1000), headers=reader), FEEDBACK, "GET", 200)
    ids = {e["id"] for e in body["entries"]}
    assert {commented["rude"]["id"], commented["kind"]["id"]} <= ids
    assert all("态度" in e["comment"] for e in body["entries"])


def test_longer_phrases_use_the_index_and_combine_with_filters(client, contract, reader, commented):
    body = contract.check(client.get(listing(q="态度冷淡", negative="true"), headers=reader), FEEDBACK, "GET", 200)
    assert [e["id"] for e in body["entries"]] == [commented["rude"]["id"]]
    one = contract.check(client.get(listing(q="快", window="W05"), headers=reader), FEEDBACK, "GET", 200)
    assert commented["short"]["id"] in {e["id"] for e in one["entries"]}


@pytest.mark.parametrize("text", ['"', '" OR "', "态度 NEAR(", "*", "comment:态度", "%", "_", "'; DROP TABLE response; --"])
def test_search_syntax_is_taken_literally(client, contract, reader, text):
    body = contract.check(client.get(listing(q=text), headers=reader), FEEDBACK, "GET", 200)
    assert all(text.strip() in (e["comment"] or "") for e in body["entries"])


# MARK: Detail and department-limited keys


def test_the_detail_holds_everything_stored(client, contract, reader, commented):
    rude = commented["rude"]
    body = contract.check(client.get(DETAIL.format(id=rude["id"]), headers=reader), DETAIL, "GET", 200)
    assert body["client_id"] == rude["client_id"] and body["comment"] == rude["comment"]
    assert body["department"] == "SCJG" and body["department_name"] == "市场监管科"
    assert body["reasons"] == ["态度差"] and body["status"] == "valid" and body["status_changes"] == []


def test_a_key_limited_to_a_department_sees_only_it(client, contract, scjg, commented):
    body = contract.check(client.get(listing(limit=1000), headers=scjg), FEEDBACK, "GET", 200)
    assert body["entries"] and all(e["department"] == "SCJG" and e["window"] in SCJG_WINDOWS for e in body["entries"])
    other = contract.check(client.get(listing(department="BDC"), headers=scjg), FEEDBACK, "GET", 200)
    assert other["entries"] == []
    searched = contract.check(client.get(listing(q="态度"), headers=scjg), FEEDBACK, "GET", 200)
    assert commented["kind"]["id"] not in {e["id"] for e in searched["entries"]}


def test_a_guessed_id_outside_the_keys_departments_is_404_like_a_missing_one(client, contract, scjg, commented):
    outside = client.get(DETAIL.format(id=commented["kind"]["id"]), headers=scjg)
    missing = client.get(DETAIL.format(id=999_999_999), headers=scjg)
    contract.check(outside, DETAIL, "GET", 404)
    contract.check(missing, DETAIL, "GET", 404)
    assert outside.json()["error"]["code"] == missing.json()["error"]["code"] == "feedback_not_found"
    flag = client.post_json(STATUS.format(id=commented["kind"]["id"]), {"status": "misuse", "reason": "猜的编号"}, headers=scjg)
    contract.check(flag, STATUS, "POST", 404)
    assert contract.check(client.get(DETAIL.format(id=commented["kind"]["id"]), headers=scjg), DETAIL, "GET", 404)
    for path in ("/api/v1/feedback/abc", "/api/v1/feedback/0", "/api/v1/feedback/-1"):
        assert client.get(path, headers=scjg).status == 404


# MARK: Flag and restore


def test_flag_then_restore_is_audited_and_changes_the_figures(client, contract, writer, reader, commented):
    rude = commented["rude"]
    path = STATUS.format(id=rude["id"])
    flagged = contract.check(client.post_json(path, {"status": "misuse", "reason": "同一人连续按键"}, headers=writer), STATUS, "POST", 200)
    assert flagged["changed"] is True and flagged["feedback"]["status"] == "misuse"
    assert flagged["feedback"]["status_changes"][-1]["changed_by"] == "key:hotline"
    again = contract.check(client.post_json(path, {"status": "misuse", "reason": "再次"}, headers=writer), STATUS, "POST", 200)
    assert again["changed"] is False and len(again["feedback"]["status_changes"]) == 1
    listed = contract.check(client.get(listing(status="misuse", window="W01"), headers=reader), FEEDBACK, "GET", 200)
    assert rude["id"] in {e["id"] for e in listed["entries"]}
    restored = contract.check(client.post_json(path, {"status": "valid", "reason": "申诉复核：恢复"}, headers=writer), STATUS, "POST", 200)
    assert [c["to"] for c in restored["feedback"]["status_changes"]] == ["misuse", "valid"]


STATUS_ERRORS = {
    "unknown status": (422, "invalid_status", {"status": "deleted", "reason": "x"}),
    "no reason": (422, "status_reason_required", {"status": "test"}),
    "blank reason": (422, "status_reason_required", {"status": "test", "reason": "   "}),
    "not an object": (400, "malformed_json", [1]),
}


@pytest.mark.parametrize("case", STATUS_ERRORS)
def test_a_bad_status_change_changes_nothing(client, contract, writer, commented, case):
    status, code, document = STATUS_ERRORS[case]
    path = STATUS.format(id=commented["kind"]["id"])
    body = contract.check(client.post_json(path, document, headers=writer), STATUS, "POST", status)
    assert body["error"]["code"] == code
    assert client.get(DETAIL.format(id=commented["kind"]["id"]), headers=writer).json()["status_changes"] == []


def test_a_status_change_must_be_json(client, contract, writer, commented):
    reply = client.request("POST", STATUS.format(id=commented["kind"]["id"]), body="status=test",
                           headers={**writer, "Content-Type": "application/x-www-form-urlencoded"})
    contract.check(reply, STATUS, "POST", 415)


# MARK: CSV


@pytest.mark.parametrize("how", ["format", "accept"])
def test_the_csv_export_is_the_filtered_list(client, contract, scjg, how):
    query = {"negative": "true"}
    headers = dict(scjg)
    if how == "format":
        query["format"] = "csv"
    else:
        headers["Accept"] = "text/csv"
    reply = client.get(listing(**query), headers=headers)
    text = contract.check(reply, FEEDBACK, "GET", 200, media="text/csv")
    assert reply.body.startswith(b"\xef\xbb\xbf"), "a byte order mark for Excel"
    assert reply.headers.get("Transfer-Encoding") == "chunked" and reply.headers.get("Content-Length") is None
    assert "attachment" in reply.headers.get("Content-Disposition", "")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["id", "created_at", "local_day", "department"]
    ids, cursor = [], None
    while True:
        page_query = {"negative": "true", "limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = client.get(listing(**page_query), headers=scjg).json()
        ids += [str(e["id"]) for e in page["entries"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [row[0] for row in rows[1:]] == ids
    assert all(row[3] == "SCJG" and row[11] == "1" for row in rows[1:])


def test_csv_cells_cannot_become_formulas(client, contract, reader):
    formula = "=HYPERLINK(\"http://example.invalid\")"
    created = submit(client, contract, window="W10", comment=formula)
    reply = client.get(listing(format="csv", window="W10", has_comment="true"), headers=reader)
    rows = list(csv.reader(io.StringIO(reply.body.decode("utf-8").lstrip("\ufeff"))))
    row = next(r for r in rows if r[0] == str(created["id"]))
    assert row[13] == "'" + formula
