"""The public API against its contract, docs/openapi.json: the document itself, and live
answers of a real `pingjia serve` validated against the schemas it documents.

Tests run in file order on one server: the publication tests come last because they
turn the previous quarter from live into published figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import uuid
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate


OPENAPI_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
RESPONSES = "/api/v1/responses"
INDICATORS = "/api/v1/indicators"
RECHECK = "/api/v1/indicators/recheck"
DIMENSIONS = ("attitude", "efficiency", "result")


def indicators_path(**query) -> str:
    return INDICATORS + "?" + urlencode(query)


def a_submission(**changes) -> dict:
    submission = {
        "window": "W01", "attitude": 5, "efficiency": 4, "result": 5, "channel": "kiosk",
        "client_id": str(uuid.uuid4()), "service_item": "SCJG-01", "staff": "S0101",
    }
    submission.update(changes)
    return submission


# MARK: Periods


def shanghai() -> dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database: China has had no daylight saving since 1991
        return dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def start_millis(self) -> int:
        """The quarter's first instant in Asia/Shanghai, in UTC milliseconds."""
        start = dt.datetime.combine(self.first_day, dt.time(), shanghai())
        return int(start.timestamp() * 1000)

    @property
    def end_millis(self) -> int:
        """The first instant after the quarter, in UTC milliseconds."""
        following = Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        return following.start_millis

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @staticmethod
    def containing(day: dt.date) -> "Quarter":
        return Quarter(day.year, (day.month - 1) // 3 + 1)


def current_quarter() -> Quarter:
    """The quarter of today in the center's zone, Asia/Shanghai."""
    return Quarter.containing(dt.datetime.now(shanghai()).date())


# MARK: Exact recomputation (docs/indicator.md)


def published(value: Fraction) -> Decimal:
    """The exact value rounded once to two decimals, half up (values here are never negative)."""
    hundredths = value * 100
    rounded = (hundredths.numerator * 2 + hundredths.denominator) // (hundredths.denominator * 2)
    return Decimal(rounded) / 100


def as_decimal(number) -> Decimal | None:
    return None if number is None else Decimal(str(number))


def assert_entry_recomputes(entry: dict, method: dict) -> None:
    """Every published figure of an entry follows from its counts, rounded once; the grade
    is read from the published indicator; the status follows the minimum sample."""
    n = entry["n"]
    points = {}
    for dimension in DIMENSIONS:
        summary = entry[dimension]
        counts = summary["counts"]
        assert sum(counts) == summary["n"] == n, f"{entry['code']} {dimension}: counts do not add up to n"
        s = sum(index * count for index, count in enumerate(counts))  # index = score − 1
        points[dimension] = s
        if n == 0:
            assert summary["mean"] is None and summary["score"] is None and summary["satisfied_ci"] is None
            continue
        assert as_decimal(summary["mean"]) == published(Fraction(s + n, n)), f"{entry['code']} {dimension} mean"
        assert as_decimal(summary["score"]) == published(Fraction(25 * s, n)), f"{entry['code']} {dimension} score"
        assert summary["satisfied_share"] == pytest.approx((counts[3] + counts[4]) / n)
        assert summary["dissatisfied_share"] == pytest.approx((counts[0] + counts[1]) / n)
        low, high = summary["satisfied_ci"]
        assert 0 <= low <= summary["satisfied_share"] <= high <= 1
    if n == 0:
        assert entry["indicator"] is None and entry["grade"] is None and entry["status"] == "no_responses"
        return
    parts = method["weight_parts"]
    whole = sum(parts.values())
    composite = Fraction(25 * sum(parts[d] * points[d] for d in DIMENSIONS), whole * n)
    shown = as_decimal(entry["indicator"])
    assert shown == published(composite), f"{entry['code']}: indicator {shown}, exact {float(composite)}"
    assert entry["negative_rate"] == pytest.approx(entry["negative_count"] / n)
    if n < method["minimum_sample"]:
        assert entry["status"] == "insufficient_sample" and entry["grade"] is None
        return
    band = next(b for b in method["bands"] if shown >= as_decimal(b["min"]))
    assert entry["status"] == "graded"
    assert entry["grade"] == {"code": band["code"], "label": band["label"], "label_en": band["label_en"]}, (
        f"{entry['code']}: published indicator {shown} is {band['code']}, the grade says {entry['grade']}")


def assert_ranked(entries: list[dict]) -> None:
    """Highest published indicator first, competition ranks (1, 2, 2, 4), unscored last and unranked."""
    scored = [e for e in entries if e["indicator"] is not None and e["code"]]
    values = [as_decimal(e["indicator"]) for e in scored]
    assert values == sorted(values, reverse=True)
    for index, entry in enumerate(scored):
        expected = index + 1 if index == 0 or values[index] != values[index - 1] else scored[index - 1]["rank"]
        assert entry.get("rank") == expected, f"{entry['code']}: rank {entry.get('rank')}, expected {expected}"
    for entry in entries:
        if entry["indicator"] is None:
            assert "rank" not in entry


def assert_report_consistent(report: dict) -> None:
    method = report["method"]
    for entry in [report["center"], *report["departments"], *report.get("breakdown", {}).get("entries", []),
                  *(point["entry"] for point in report.get("trend", []))]:
        assert_entry_recomputes(entry, method)
    assert report["center"]["code"] == "center" and "rank" not in report["center"]
    if len(report["departments"]) > 1:  # one department keeps its rank among all of them
        assert_ranked(report["departments"])
    if "breakdown" in report:
        assert_ranked(report["breakdown"]["entries"])


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# MARK: The document


def test_document_is_a_valid_openapi_3_1_document(document):
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)


def test_document_describes_the_whole_public_api(document, contract):
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations == {
        ("/healthz", "get"), ("/api/v1/windows", "get"), (RESPONSES, "post"),
        (INDICATORS, "get"), (RECHECK, "get"), ("/api/v1/openapi.json", "get"),
        ("/api/v1/session", "post"), ("/api/v1/session", "get"), ("/api/v1/session", "delete"),
        ("/api/v1/audit", "get"),
        ("/api/v1/feedback", "get"), ("/api/v1/feedback/{id}", "get"), ("/api/v1/feedback/{id}/status", "post"),
        ("/api/v1/responses/{client_id}/comment", "post"),
        ("/api/v1/cases", "get"), ("/api/v1/cases/{id}", "get"), ("/api/v1/cases/{id}/actions", "post"),
        ("/api/v1/visits", "post"), ("/api/v1/visits/{id}", "get"), ("/api/v1/visits/{id}/qr", "get"),
        ("/kiosk/{window}/visit", "get"), ("/kiosk/{window}/visits/events", "get"), ("/api/v1/devices", "get"), ("/api/v1/devices/pairings", "post"),
        ("/api/v1/devices/{id}", "patch"), ("/api/v1/devices/{id}/revoke", "post"),
        ("/api/v1/admin/settings", "get"), ("/api/v1/admin/settings/reasons", "get"), ("/api/v1/admin/settings/reasons", "put"),
        ("/api/v1/admin/settings/method", "get"), ("/api/v1/admin/settings/method", "put"),
        ("/api/v1/admin/settings/center", "get"), ("/api/v1/admin/settings/center", "put"),
        ("/api/v1/admin/settings/calendar", "get"), ("/api/v1/admin/settings/calendar/{date}", "put"),
        ("/api/v1/admin/settings/calendar/{date}", "delete"),
        ("/api/v1/directory", "get"), ("/api/v1/admin/{kind}", "post"), ("/api/v1/admin/{kind}/{code}", "patch"),
        ("/api/v1/admin/{kind}/{code}/deactivate", "post"), ("/api/v1/admin/{kind}/{code}/reactivate", "post"),
    }
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert scheme["type"] == "http" and scheme["scheme"].lower() == "bearer"
    for path, item in document["paths"].items():
        for method, operation in item.items():
            secured = any(path.startswith(prefix) for prefix in (INDICATORS, "/api/v1/visits", "/api/v1/devices"))
            staff = path.startswith("/api/v1/feedback") or path.startswith("/api/v1/cases")
            assert (operation.get("security") == [{"apiKey": []}]) == secured, f"{method} {path}: security"
            if staff:
                # A key, or a session (whose changes carry the CSRF token).
                session = {"session": []} if method == "get" else {"session": [], "csrf": []}
                assert operation.get("security") == [{"apiKey": []}, session], f"{method} {path}: security"
            if secured or staff:
                assert {"401", "403"} <= operation["responses"].keys()
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    schema = contract.resolve(contract.resolve(response)["content"]["application/json"]["schema"])
                    assert schema["required"] == ["error"], f"{method} {path} {status} is not an error body"
    assert document["paths"][INDICATORS]["get"]["responses"]["200"]["content"].keys() == {"application/json", "text/csv"}
    assert {"200", "201", "400", "413", "415", "422", "503"} <= document["paths"][RESPONSES]["post"]["responses"].keys()


def test_document_examples_match_their_schemas(document, contract):
    checked = 0
    for name, schema in document["components"]["schemas"].items():
        for example in schema.get("examples", []):
            contract.validate_component(example, name)
            checked += 1
    for path, item in document["paths"].items():
        for method, operation in item.items():
            bodies = [operation.get("requestBody", {})] + [contract.resolve(r) for r in operation["responses"].values()]
            for body in bodies:
                media = body.get("content", {}).get("application/json")
                if not media:
                    continue
                values = [media["example"]] if "example" in media else []
                values += [example["value"] for example in media.get("examples", {}).values()]
                for value in values:
                    contract.validate(value, media["schema"], f"an example of {method} {path}")
                    checked += 1
    assert checked >= 20
    example = document["paths"][INDICATORS]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert_report_consistent(example)


def test_the_served_document_is_the_file(client, contract):
    reply = client.get("/api/v1/openapi.json")
    contract.check(reply, "/api/v1/openapi.json", "GET", 200)
    assert reply.body == OPENAPI_PATH.read_bytes()


# MARK: Health and windows


def test_healthz(client, contract):
    assert contract.check(client.get("/healthz"), "/healthz", "GET", 200) == {"status": "ok"}


def test_windows(client, contract):
    windows = contract.check(client.get("/api/v1/windows"), "/api/v1/windows", "GET", 200)["windows"]
    codes = [window["code"] for window in windows]
    assert codes[:3] == ["W01", "W02", "W03"] and len(codes) == len(set(codes)) == 20
    assert windows[0]["department"] == {"code": "SCJG", "name": "市场监管科"}


# MARK: Submissions


def test_a_submission_is_created_then_replayed(client, contract):
    submission = a_submission(comment="  工作人员很耐心  ")
    contract.validate_component(submission, "Submission")
    created = contract.check(client.post_json(RESPONSES, submission), RESPONSES, "POST", 201)
    assert created["client_id"] == submission["client_id"]
    assert (created["window"], created["department"], created["channel"]) == ("W01", "SCJG", "kiosk")
    assert (created["attitude"], created["efficiency"], created["result"]) == (5, 4, 5)
    assert created["comment"] == "工作人员很耐心" and created["negative"] is False and created["reasons"] == []
    assert (created["service_item"], created["staff"]) == ("SCJG-01", "S0101")

    # A retry with the same client_id and answers stores nothing and answers the original.
    replayed = contract.check(client.post_json(RESPONSES, submission), RESPONSES, "POST", 200)
    assert replayed == created

    # The same client_id with other answers is a conflict: nothing stored, nothing shown.
    other = dict(submission, attitude=1, reasons=["态度不好"])
    conflict = contract.check(client.post_json(RESPONSES, other), RESPONSES, "POST", 409)
    assert conflict["error"]["code"] == "client_id_conflict"
    assert "工作人员很耐心" not in json.dumps(conflict, ensure_ascii=False)


def test_a_negative_submission_with_a_reason(client, contract):
    submission = a_submission(window="W07", attitude=4, efficiency=2, result=3,
                              reasons=["等候时间长", " 等候时间长 ", "来回跑多次"], service_item=None, staff=None)
    del submission["channel"]
    contract.validate_component(submission, "Submission")
    created = contract.check(client.post_json(RESPONSES, submission), RESPONSES, "POST", 201)
    assert created["negative"] is True and created["department"] == "SBFW"
    assert created["reasons"] == ["等候时间长", "来回跑多次"]
    assert created["channel"] == "web" and created["service_item"] is None and created["staff"] is None


def test_a_negative_submission_opens_its_case_in_the_indicators(server, client, contract, auth):
    today = dt.datetime.now(shanghai()).date().isoformat()
    path = indicators_path(period=f"{today}..{today}", department="SBFW")
    before = contract.check(client.get(path, auth), INDICATORS, "GET", 200)
    submission = a_submission(window="W07", attitude=1, efficiency=1, result=1, reasons=["态度不好"],
                              service_item=None, staff=None)
    created = contract.check(client.post_json(RESPONSES, submission), RESPONSES, "POST", 201)
    after = contract.check(client.get(path, auth), INDICATORS, "GET", 200)
    assert after["departments"][0]["cases"]["opened"] == before["departments"][0]["cases"]["opened"] + 1
    assert after["center"]["cases"]["opened"] == before["center"]["cases"]["opened"] + 1
    with sqlite3.connect(server.db) as db:
        (state,) = db.execute('SELECT state FROM "case" WHERE response_id = ?', (created["id"],)).fetchone()
    assert state == "new"


ERROR_CASES = {
    "malformed JSON": (400, "malformed_json", {"Content-Type": "application/json"}, b'{"window": "W01", '),
    "not an object": (400, "malformed_json", {"Content-Type": "application/json"}, b'[1, 2]'),
    "form post": (415, "unsupported_media_type", {"Content-Type": "application/x-www-form-urlencoded"}, b"window=W01"),
    "no content type": (415, "unsupported_media_type", {}, b'{"window": "W01"}'),
    "unknown window": (422, "unknown_window", {"Content-Type": "application/json"},
                       a_submission(window="W99")),
    "score out of range": (422, "invalid_score", {"Content-Type": "application/json"}, a_submission(efficiency=6)),
    "score missing": (422, "missing_score", {"Content-Type": "application/json; charset=utf-8"},
                      {"window": "W01", "attitude": 5, "efficiency": 5}),
    "negative without reason": (422, "reason_required", {"Content-Type": "application/json"},
                                a_submission(result=1)),
    "unknown channel": (422, "unknown_channel", {"Content-Type": "application/json"}, a_submission(channel="sms")),
    "reasons of the wrong type": (422, "invalid_field", {"Content-Type": "application/json"},
                                  a_submission(reasons="等候时间长")),
    "bad client id": (422, "invalid_client_id", {"Content-Type": "application/json"}, a_submission(client_id="short")),
    "staff of another department": (422, "unknown_staff", {"Content-Type": "application/json"},
                                    a_submission(staff="S0201")),
}


@pytest.mark.parametrize("case", ERROR_CASES, ids=list(ERROR_CASES))
def test_a_refused_submission_gets_its_documented_error(client, contract, case):
    status, code, headers, body = ERROR_CASES[case]
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False).encode("utf-8")
    reply = client.request("POST", RESPONSES, body=body, headers=headers)
    error = contract.check(reply, RESPONSES, "POST", status)["error"]
    assert error["code"] == code, f"{case}: {error}"


def test_error_messages_follow_accept_language(client, contract):
    body = a_submission(window="W99")
    chinese = contract.check(client.post_json(RESPONSES, body), RESPONSES, "POST", 422)["error"]["message"]
    english = contract.check(client.post_json(RESPONSES, body, {"Accept-Language": "en-US,en;q=0.9"}),
                             RESPONSES, "POST", 422)["error"]["message"]
    assert "窗口" in chinese and "window" in english


def oversized_body() -> bytes:
    """A submission one byte over the default server.max_body_bytes (65536)."""
    head = b'{"window":"W01","attitude":5,"efficiency":5,"result":5,"comment":"'
    return head + b"a" * (65537 - len(head) - 2) + b'"}'


@pytest.mark.parametrize("transfer", ["content-length", "chunked"])
def test_an_oversized_body_gets_413(client, contract, transfer):
    body = oversized_body()
    assert len(body) == 65537
    headers = {"Content-Type": "application/json"}
    if transfer == "chunked":
        reply = client.request("POST", RESPONSES, headers=headers,
                               chunks=[body[i:i + 8192] for i in range(0, len(body), 8192)])
    else:
        reply = client.request("POST", RESPONSES, body=body, headers=headers)
    assert reply.status == 413, reply
    contract.check(reply, RESPONSES, "POST", 413)


# MARK: Indicators: authentication


def test_indicators_without_a_key_get_401_with_a_bearer_challenge(client, contract):
    for headers in [{}, {"Authorization": "Bearer pj_not-a-key"}, {"Authorization": "Basic dXNlcjpwYXNz"}]:
        reply = client.get(indicators_path(period=current_quarter().code), headers)
        error = contract.check(reply, INDICATORS, "GET", 401)["error"]
        assert error["code"] == "unauthorized"
        assert reply.headers["WWW-Authenticate"].lower().startswith("bearer"), reply.headers
    reply = client.get(RECHECK + "?period=" + current_quarter().previous.code)
    contract.check(reply, RECHECK, "GET", 401)


def test_indicators_with_a_key_of_another_scope_get_403(client, contract, server):
    headers = {"Authorization": f"Bearer {server.other_key}"}
    error = contract.check(client.get(indicators_path(period=current_quarter().code), headers), INDICATORS, "GET", 403)["error"]
    assert error["code"] == "forbidden"
    contract.check(client.get(RECHECK + "?period=" + current_quarter().code, headers), RECHECK, "GET", 403)


# MARK: Indicators: the current quarter, live


QUERIES = {
    "plain": {},
    "one department": {"department": "SCJG"},
    "by window, whole center": {"by": "window"},
    "by window": {"department": "BDC", "by": "window"},
    "by staff": {"department": "SCJG", "by": "staff"},
    "by item": {"department": "SBFW", "by": "item"},
    "trend": {"trend": "4"},
    "everything": {"department": "GJJ", "by": "item", "trend": "2", "format": "json"},
}


@pytest.mark.parametrize("name", QUERIES, ids=list(QUERIES))
def test_indicators_of_the_current_quarter(client, contract, auth, name):
    query = QUERIES[name]
    quarter = current_quarter()
    report = contract.check(client.get(indicators_path(period=quarter.code, **query), auth), INDICATORS, "GET", 200)

    period = report["period"]
    assert (period["code"], period["kind"], period["time_zone"]) == (quarter.code, "quarter", "Asia/Shanghai")
    assert period["first_day"] == quarter.first_day.isoformat()
    start = dt.datetime.combine(quarter.first_day, dt.time(), shanghai())
    assert period["start"] == utc_text(start)
    assert report["source"]["kind"] == "live" and "late" not in report

    assert report["center"]["n"] > 0, "the demo's 120 days should reach into the current quarter"
    if "department" in query:
        assert [d["code"] for d in report["departments"]] == [query["department"]]
        whole = contract.check(client.get(indicators_path(period=quarter.code), auth), INDICATORS, "GET", 200)
        assert report["departments"] == [d for d in whole["departments"] if d["code"] == query["department"]]
    else:
        assert len(report["departments"]) == 8
        assert sum(d["n"] for d in report["departments"]) == report["center"]["n"]
    if "by" in query:
        breakdown = report["breakdown"]
        assert breakdown["by"] == query["by"] and breakdown["department"] == query.get("department")
        assert breakdown["entries"]
        if "department" in query:
            assert sum(e["n"] for e in breakdown["entries"]) == report["departments"][0]["n"]
    else:
        assert "breakdown" not in report
    if "trend" in query:
        trend = report["trend"]
        assert len(trend) == int(query["trend"])
        assert trend[-1]["period"]["code"] == quarter.code
        starts = [point["period"]["start"] for point in trend]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        assert trend[-1]["entry"]["n"] == (report["departments"][0] if "department" in query else report["center"])["n"]
    else:
        assert "trend" not in report
    assert_report_consistent(report)


@pytest.mark.parametrize("period, kind", [
    ("2026-11", "month"), ("2026-H2", "half"), ("2026", "year"), ("2026-10-01..2026-10-15", "range"),
    (" 2026-q4 ", "quarter"), ("２０２６－Ｑ４", "quarter"),
])
def test_indicators_accept_every_period_form(client, contract, auth, period, kind):
    report = contract.check(client.get(INDICATORS + "?period=" + quote(period), auth), INDICATORS, "GET", 200)
    assert report["period"]["kind"] == kind
    assert_report_consistent(report)


BAD_QUERIES = {
    "no period": ({}, "period_required"),
    "empty period": ({"period": ""}, "period_required"),
    "quarter 5": ({"period": "2026-Q5"}, "period_quarter_out_of_range"),
    "month 13": ({"period": "2026-13"}, "period_month_out_of_range"),
    "half 3": ({"period": "2026-H3"}, "period_half_out_of_range"),
    "February 30": ({"period": "2026-02-30"}, "period_invalid_date"),
    "reversed range": ({"period": "2026-10-15..2026-10-01"}, "period_reversed_range"),
    "nonsense": ({"period": "last quarter"}, "period_unrecognized"),
    "bad breakdown": ({"period": "2026-Q4", "by": "floor"}, "invalid_breakdown"),
    "bad trend": ({"period": "2026-Q4", "trend": "61"}, "invalid_trend"),
    "bad format": ({"period": "2026-Q4", "format": "xml"}, "invalid_format"),
    "staff without department": ({"period": "2026-Q4", "by": "staff"}, "department_required"),
    "unknown department": ({"period": "2026-Q4", "department": "NOPE"}, "unknown_department"),
}


@pytest.mark.parametrize("case", BAD_QUERIES, ids=list(BAD_QUERIES))
def test_a_bad_indicator_query_gets_400(client, contract, auth, case):
    query, code = BAD_QUERIES[case]
    error = contract.check(client.get(indicators_path(**query), auth), INDICATORS, "GET", 400)["error"]
    assert error["code"] == code


def test_recheck_of_a_bad_or_unpublished_period(client, contract, auth):
    error = contract.check(client.get(RECHECK + "?period=2026-Q5", auth), RECHECK, "GET", 400)["error"]
    assert error["code"] == "period_quarter_out_of_range"
    assert contract.check(client.get(RECHECK, auth), RECHECK, "GET", 400)["error"]["code"] == "period_required"
    error = contract.check(client.get(RECHECK + "?period=2019-Q1", auth), RECHECK, "GET", 404)["error"]
    assert error["code"] == "not_published"


# MARK: JSON and CSV agree


def csv_rows(reply) -> list[dict]:
    assert reply.body.startswith(b"\xef\xbb\xbf"), "the CSV must start with the UTF-8 byte order mark"
    text = reply.body[3:].decode("utf-8")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


def assert_csv_row_matches(row: dict, entry: dict) -> None:
    assert int(row["n"]) == entry["n"], f"{entry['code']}: n"
    assert (as_decimal(row["indicator"]) if row["indicator"] else None) == as_decimal(entry["indicator"]), f"{entry['code']}: indicator"
    assert row["indicator"] == ("" if entry["indicator"] is None else f"{as_decimal(entry['indicator']):.2f}")
    assert row["grade"] == (entry["grade"]["label"] if entry["grade"] else ""), f"{entry['code']}: grade"
    assert row["status"] == entry["status"]
    assert row["rank"] == str(entry.get("rank", ""))
    for dimension in DIMENSIONS:
        assert [int(row[f"{dimension}_count_{k}"]) for k in range(1, 6)] == entry[dimension]["counts"]
    cases = entry.get("cases")
    if cases is None:
        assert row["case_opened"] == "", f"{entry['code']}: case figures only on center and department rows"
        return
    for name in ("opened", "rectified_or_closed", "due", "rectified_on_time", "needing_callback", "callbacks_made", "rectified"):
        assert int(row[f"case_{name}"]) == cases[name], f"{entry['code']}: case_{name}"
    for name in ("rectification_rate", "on_time_rate", "callback_rate", "mean_working_days_to_rectify"):
        value = cases[name]
        assert (row[f"case_{name}"] == "") if value is None else abs(float(row[f"case_{name}"]) - value) < 1e-9


@pytest.mark.parametrize("how", ["format=csv", "Accept: text/csv"])
def test_json_and_csv_agree(client, contract, auth, how):
    quarter = current_quarter().code
    report = contract.check(client.get(indicators_path(period=quarter, by="window"), auth), INDICATORS, "GET", 200)
    if how == "format=csv":
        reply = client.get(indicators_path(period=quarter, by="window", format="csv"), auth)
    else:
        reply = client.get(indicators_path(period=quarter, by="window"), {**auth, "Accept": "text/csv"})
    contract.check(reply, INDICATORS, "GET", 200, media="text/csv")
    assert reply.headers["Content-Disposition"] == f'attachment; filename="pingjia-{quarter}.csv"'
    rows = csv_rows(reply)
    assert all(row["period"] == quarter and row["published"] == "" for row in rows)

    center = [row for row in rows if row["level"] == "center"]
    assert len(center) == 1 and center[0]["code"] == "center"
    assert_csv_row_matches(center[0], report["center"])
    departments = {row["code"]: row for row in rows if row["level"] == "department"}
    assert departments.keys() == {d["code"] for d in report["departments"]}
    for entry in report["departments"]:
        assert departments[entry["code"]]["department"] == entry["code"]
        assert_csv_row_matches(departments[entry["code"]], entry)
    windows = {row["code"]: row for row in rows if row["level"] == "window"}
    assert windows.keys() == {e["code"] for e in report["breakdown"]["entries"]}
    for entry in report["breakdown"]["entries"]:
        assert_csv_row_matches(windows[entry["code"]], entry)


# MARK: Publication (公示): these run last, they turn periods into published ones


def figures(report: dict) -> dict:
    return {"center": report["center"], "departments": report["departments"]}


def test_a_published_period_reports_its_frozen_figures(server, client, contract, auth):
    previous = current_quarter().previous.code
    before = contract.check(client.get(indicators_path(period=previous), auth), INDICATORS, "GET", 200)
    assert before["source"]["kind"] == "live" and before["center"]["n"] > 0

    content_hash = server.publish(previous)
    report = contract.check(client.get(indicators_path(period=previous), auth), INDICATORS, "GET", 200)
    source = report["source"]
    assert source["kind"] == "published" and source["content_hash"] == content_hash
    assert figures(report) == figures(before), "publishing must not change the figures"
    assert report["late"]["responses"] == 0 and report["late"]["departments"] == []
    assert_report_consistent(report)

    one = contract.check(client.get(indicators_path(period=previous, department="BDC"), auth), INDICATORS, "GET", 200)
    assert one["source"] == source and one["departments"] == [d for d in report["departments"] if d["code"] == "BDC"]

    rows = csv_rows(client.get(indicators_path(period=previous, format="csv"), auth))
    assert {row["published"] for row in rows} == {source["published_at"]}

    recheck = contract.check(client.get(RECHECK + "?period=" + previous, auth), RECHECK, "GET", 200)
    assert recheck["period"]["code"] == previous
    assert (recheck["content_hash"], recheck["published_at"]) == (content_hash, source["published_at"])
    assert recheck["intact"] is True and recheck["matches"] is True and recheck["differences"] == []


def test_a_period_that_has_not_ended_cannot_be_published(server):
    quarter = current_quarter().code
    done = server.try_cli("publish", quarter)
    assert done.returncode != 0
    assert "尚未结束" in done.stderr or "can be published" in done.stderr


def test_changes_after_publication_are_reported_late_not_in_the_published_figures(server, client, contract, auth):
    previous = current_quarter().previous
    published = contract.check(client.get(indicators_path(period=previous.code), auth), INDICATORS, "GET", 200)
    assert published["source"]["kind"] == "published", "the previous test published this quarter"
    scjg_before = next(d for d in published["departments"] if d["code"] == "SCJG")

    # A response of that quarter is found to be misuse after publication (an audited exclusion).
    with sqlite3.connect(server.db) as db:
        (response_id,) = db.execute(
            "SELECT r.id FROM response r JOIN department d ON d.id = r.department_id"
            " WHERE d.code = 'SCJG' AND r.status = 'valid' AND r.created_at >= ? AND r.created_at < ? LIMIT 1",
            (previous.start_millis, previous.end_millis)).fetchone()
    server.cli("status", str(response_id), "misuse", "--reason", "公示后发现误触")

    after = contract.check(client.get(indicators_path(period=previous.code), auth), INDICATORS, "GET", 200)
    assert after["source"] == published["source"]
    assert figures(after) == figures(published), "the published figures must not change"
    late = after["late"]
    assert late["responses"] == -1
    scjg = next(d for d in late["departments"] if d["code"] == "SCJG")
    assert scjg["published_n"] == scjg_before["n"] and scjg["difference"] == -1
    assert_report_consistent(after)

    recheck = contract.check(client.get(RECHECK + "?period=" + previous.code, auth), RECHECK, "GET", 200)
    assert recheck["intact"] is True and recheck["matches"] is False
    assert {d["code"] for d in recheck["differences"]} == {"center", "SCJG"}

    server.cli("status", str(response_id), "valid", "--reason", "复核后恢复")
    restored = contract.check(client.get(RECHECK + "?period=" + previous.code, auth), RECHECK, "GET", 200)
    assert restored["matches"] is True and restored["differences"] == []


def test_a_comment_after_the_rating_matches_the_document(client, contract):
    client_id = str(uuid.uuid4())
    stored = client.request("POST", RESPONSES, body=json.dumps(a_submission(client_id=client_id), ensure_ascii=False).encode(),
                            headers={"Content-Type": "application/json"})
    assert contract.check(stored, RESPONSES, "POST", 201)["rated_at"]
    path = f"/api/v1/responses/{client_id}/comment"
    template = "/api/v1/responses/{client_id}/comment"
    body = json.dumps({"comment": "工作人员很耐心"}, ensure_ascii=False).encode()
    attached = client.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    assert contract.check(attached, template, "POST", 200)["comment"] == "工作人员很耐心"
    other = client.request("POST", path, body=json.dumps({"comment": "再说一句"}, ensure_ascii=False).encode(),
                           headers={"Content-Type": "application/json"})
    assert contract.check(other, template, "POST", 409)["error"]["code"] == "comment_closed"
