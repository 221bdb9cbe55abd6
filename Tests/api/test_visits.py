"""Visits (一次一评) and kiosk devices against docs/openapi.json, on the real server of this
suite (see conftest.py): pairing a tablet over HTTP, a revoked tablet, `POST /api/v1/visits`
(its key, scope and refusals), a visit's one rating (409 for a second, 200 for a replay),
the kiosk's long poll and its event stream, and the visit figures in the indicator
report's JSON and CSV.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
import uuid
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from api_http import Client, EventStream
from pingjia_process import REPO, WAIT, PingjiaProcess
from test_openapi import csv_rows

VISITS = "/api/v1/visits"
RESPONSES = "/api/v1/responses"
INDICATORS = "/api/v1/indicators"
PAIRINGS = "/api/v1/devices/pairings"
DEVICES = "/api/v1/devices"
POLL = "/kiosk/{window}/visit"
STREAM = "/kiosk/{window}/visits/events"


@pytest.fixture(scope="module")
def keys(server) -> dict[str, dict[str, str]]:
    def bearer(key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}
    return {
        "visits": bearer(server.create_key("queue-system", "visits:write")),
        "devices": bearer(server.create_key("kiosk-admin", "devices:write")),
        "indicators": bearer(server.indicators_key),
        "directory": bearer(server.create_key("setup-tool", "directory:write")),
    }


def create_visit(client, contract, keys, **body) -> dict:
    reply = client.post_json(VISITS, body, keys["visits"])
    return contract.check(reply, VISITS, "post", 201)


def rating(**changes) -> dict:
    return {"attitude": 5, "efficiency": 5, "result": 4, "client_id": str(uuid.uuid4()), **changes}


def this_month() -> str:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")


def pair(client, contract, keys, window: str) -> str:
    """Pairs a tablet with `window` through the API and the tablet's form; its device token."""
    code = contract.check(client.post_json(PAIRINGS, {"window": window, "name": f"tablet {window}"}, keys["devices"]), PAIRINGS, "post", 201)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code["code"])
    typed = code["code"].lower().replace("-", " ")
    reply = client.request("POST", "/kiosk/pair", f"code={typed}", {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 303, reply
    cookie = reply.headers["Set-Cookie"]
    attributes = [part.strip() for part in cookie.split(";")]
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= set(attributes), cookie
    assert any(part.startswith("Max-Age=") and int(part[8:]) > 86400 * 300 for part in attributes), cookie
    token = attributes[0].split("=", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert reply.headers["Location"].startswith(f"/kiosk/{window}?") and reply.headers["Location"].endswith(f"#device={token}")
    return token


# MARK: Devices


def test_a_tablet_pairs_once_with_its_code(client, contract, keys):
    code = contract.check(client.post_json(PAIRINGS, {"window": "W04"}, keys["devices"]), PAIRINGS, "post", 201)["code"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.request("POST", "/kiosk/pair", f"code={code}", form).status == 303
    again = client.request("POST", "/kiosk/pair", f"code={code}", form)
    assert again.status == 422 and "Set-Cookie" not in again.headers
    assert "配对码不正确、已使用或已过期" in again.body.decode("utf-8")
    cross_site = client.request("POST", "/kiosk/pair", "code=ABCDEFGH", {**form, "Sec-Fetch-Site": "cross-site"})
    assert cross_site.status == 403 and "Set-Cookie" not in cross_site.headers
    listed = contract.check(client.get(DEVICES, keys["devices"]), DEVICES, "get", 200)["devices"]
    assert [d["window"] for d in listed].count("W04") == 1


def test_pairing_needs_devices_write(client, contract, keys):
    contract.check(client.post_json(PAIRINGS, {"window": "W01"}), PAIRINGS, "post", 401)
    contract.check(client.post_json(PAIRINGS, {"window": "W01"}, keys["visits"]), PAIRINGS, "post", 403)
    contract.check(client.post_json(PAIRINGS, {"window": "W99"}, keys["devices"]), PAIRINGS, "post", 422)
    contract.check(client.get(DEVICES, keys["indicators"]), DEVICES, "get", 403)


def test_a_paired_tablet_polls_and_a_revoked_one_is_unverified(client, contract, keys):
    token = pair(client, contract, keys, "W05")
    cookie = {"Cookie": f"pingjia_device={token}"}
    page = client.get("/kiosk/W05", cookie).body.decode("utf-8")
    assert 'class="device-notice"' not in page and 'data-visit-poll="/kiosk/W05/visit"' in page
    assert 'class="device-notice"' in client.get("/kiosk/W05").body.decode("utf-8")
    assert client.get(POLL.format(window="W05"), cookie).status == 204
    assert client.get(POLL.format(window="W05"), {"X-Device-Token": token}).status == 204
    contract.check(client.get(POLL.format(window="W06"), cookie), POLL, "get", 403)
    contract.check(client.get(POLL.format(window="W05")), POLL, "get", 403)

    device = next(d for d in contract.check(client.get(DEVICES, keys["devices"]), DEVICES, "get", 200)["devices"] if d["window"] == "W05")
    assert device["status"] == "active" and device["last_seen_at"] is not None
    renamed = contract.check(client.request("PATCH", f"{DEVICES}/{device['id']}", '{"name": "大厅 5 号"}',
                                            {**keys["devices"], "Content-Type": "application/json"}), "/api/v1/devices/{id}", "patch", 200)
    assert renamed["name"] == "大厅 5 号"
    revoked = contract.check(client.request("POST", f"{DEVICES}/{device['id']}/revoke", headers=keys["devices"]),
                             "/api/v1/devices/{id}/revoke", "post", 200)
    assert revoked["status"] == "revoked" and revoked["revoked_at"]
    contract.check(client.request("POST", f"{DEVICES}/99999/revoke", headers=keys["devices"]), "/api/v1/devices/{id}/revoke", "post", 404)

    # Revoked: the form still takes ratings, shows the notice, and the tablet gets no visits.
    assert 'class="device-notice"' in client.get("/kiosk/W05", cookie).body.decode("utf-8")
    contract.check(client.get(POLL.format(window="W05"), cookie), POLL, "get", 403)
    stored = client.post_json(RESPONSES, rating(window="W05"), {"X-Device-Token": token})
    contract.check(stored, RESPONSES, "post", 201)


# MARK: Visits


def test_a_visit_needs_a_key_with_visits_write(client, contract, keys):
    body = {"ticket": "T-1", "window": "W01"}
    contract.check(client.post_json(VISITS, body), VISITS, "post", 401)
    contract.check(client.post_json(VISITS, body, keys["indicators"]), VISITS, "post", 403)
    contract.check(client.post_json(VISITS, body, {"Authorization": "Bearer pj_not-a-key"}), VISITS, "post", 401)


@pytest.mark.parametrize("body, code", [
    ({"ticket": "", "window": "W01"}, "invalid_ticket"),
    ({"ticket": "T-2"}, "missing_window"),
    ({"ticket": "T-2", "window": "W99"}, "unknown_window"),
    ({"ticket": "T-2", "window": "W01", "staff": "S0301"}, "unknown_staff"),
    ({"ticket": "T-2", "window": "W01", "started_at": "2026-11-27 09:00"}, "invalid_time"),
    ({"ticket": "T-2", "window": "W01", "started_at": "2026-11-27T09:30:00+08:00", "ended_at": "2026-11-27T09:00:00+08:00"}, "invalid_time"),
    ({"ticket": 7, "window": "W01"}, "invalid_field"),
])
def test_a_refused_visit_gets_422(client, contract, keys, body, code):
    assert contract.check(client.post_json(VISITS, body, keys["visits"]), VISITS, "post", 422)["error"]["code"] == code


def test_a_visit_takes_one_rating(client, contract, keys):
    visit = create_visit(client, contract, keys, ticket="A023", window="W02", staff="S0102",
                         started_at="2026-11-27T09:00:00+08:00", ended_at="2026-11-27T09:12:00+08:00")
    assert visit["window"] == "W02" and visit["rating_url"].startswith("/r/W02?v=")
    token = visit["visit_token"]
    mismatch = client.post_json(RESPONSES, rating(visit_token=token, window="W03"))
    assert contract.check(mismatch, RESPONSES, "post", 422)["error"]["code"] == "visit_window_mismatch"
    first = rating(visit_token=token)
    stored = contract.check(client.post_json(RESPONSES, first), RESPONSES, "post", 201)
    assert stored["window"] == "W02" and stored["staff"] == "S0102"
    replay = contract.check(client.post_json(RESPONSES, first), RESPONSES, "post", 200)
    assert replay["id"] == stored["id"]
    second = contract.check(client.post_json(RESPONSES, rating(visit_token=token, attitude=1, efficiency=1, result=1, reasons=["态度不好"])),
                            RESPONSES, "post", 409)
    assert second["error"]["code"] == "visit_already_rated"
    english = client.post_json(RESPONSES, rating(visit_token=token), {"Accept-Language": "en"}).json()
    assert english["error"]["message"].startswith("This visit has been rated already")
    unknown = client.post_json(RESPONSES, rating(visit_token="0" * 64))
    assert contract.check(unknown, RESPONSES, "post", 422)["error"]["code"] == "invalid_visit_token"
    shown = contract.check(client.get(f"{VISITS}/{visit['id']}", keys["visits"]), "/api/v1/visits/{id}", "get", 200)
    assert shown["state"] == "rated" and shown["response_id"] == stored["id"] and shown["ticket"] == "A023"
    contract.check(client.get(f"{VISITS}/{visit['id']}", keys["indicators"]), "/api/v1/visits/{id}", "get", 403)
    contract.check(client.get(f"{VISITS}/99999", keys["visits"]), "/api/v1/visits/{id}", "get", 404)
    qr = client.get(f"{VISITS}/{visit['id']}/qr", keys["visits"])
    assert qr.status == 200 and qr.media_type == "image/svg+xml" and qr.body.startswith(b"<svg")


def test_the_visit_link_opens_the_phone_form_bound_to_it(client, contract, keys):
    visit = create_visit(client, contract, keys, ticket="B-7", window="W03")
    page = client.get(visit["rating_url"])
    assert page.status == 200 and "B-7" in page.body.decode("utf-8")
    action = re.search(r'<form method="post" action="([^"]+)"', page.body.decode("utf-8")).group(1).replace("&amp;", "&")
    client_id = re.search(r'name="client_id" value="([^"]+)"', page.body.decode("utf-8")).group(1)
    form = urlencode({"client_id": client_id, "attitude": 5, "efficiency": 5, "result": 5})
    posted = client.request("POST", action, form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert posted.status == 303, posted
    shown = client.get(f"{VISITS}/{visit['id']}", keys["visits"]).json()
    assert shown["state"] == "rated"
    assert client.get(visit["rating_url"]).status == 409
    tampered = visit["rating_url"][:-1] + ("0" if visit["rating_url"][-1] != "0" else "1")
    assert client.get(tampered).status == 410


def test_the_kiosk_is_told_of_a_visit(client, contract, keys):
    token = pair(client, contract, keys, "W07")
    cookie = {"Cookie": f"pingjia_device={token}"}
    visit = create_visit(client, contract, keys, ticket="K-1", window="W07")
    offered = contract.check(client.get(POLL.format(window="W07") + "?wait=1", cookie), POLL, "get", 200)["visit"]
    assert offered["id"] == visit["id"] and offered["ticket"] == "K-1" and offered["visit_token"] == visit["visit_token"]
    page = client.get("/kiosk/W07", cookie).body.decode("utf-8")
    client_id = re.search(r'name="client_id" value="([^"]+)"', page).group(1)
    form = urlencode({"client_id": client_id, "attitude": 5, "efficiency": 4, "result": 5, "visit_token": offered["visit_token"]})
    assert client.request("POST", "/kiosk/W07", form, {**cookie, "Content-Type": "application/x-www-form-urlencoded"}).status == 303
    assert client.get(f"{VISITS}/{visit['id']}", keys["visits"]).json()["state"] == "rated"
    # Rated: no longer offered.
    assert client.get(POLL.format(window="W07") + "?after=0", cookie).status == 204


# MARK: The kiosk's event stream


def next_event(stream: EventStream) -> dict[str, str]:
    """The next event of a stream (its fields), skipping comments and heartbeats."""
    while True:
        block = stream.until(b"\n\n").decode("utf-8")
        fields = dict(line.split(": ", 1) for line in block.strip("\n").split("\n") if line and not line.startswith(":"))
        if "event" in fields:
            return fields


def test_the_kiosk_stream_sends_each_visit_closed_at_its_window(client, contract, keys, sessions):
    token = pair(client, contract, keys, "W12")
    cookie = {"Cookie": f"pingjia_device={token}"}
    stream = EventStream(client.port, STREAM.format(window="W12"), cookie)
    try:
        assert stream.head.startswith("HTTP/1.1 200")
        assert "content-type: text/event-stream; charset=utf-8" in stream.head.lower()
        assert b"retry: " in stream.until(b"id: 0\n\n")
        # Another window's visit is not sent: the stream's first event is its own window's.
        create_visit(client, contract, keys, ticket="X-1", window="W13")
        first = create_visit(client, contract, keys, ticket="E-1", window="W12")
        event = next_event(stream)
        assert (event["id"], event["event"]) == (str(first["id"]), "visit")
        # The same payload as the long poll's.
        polled = contract.check(client.get(POLL.format(window="W12") + "?after=0", cookie), POLL, "get", 200)
        assert json.loads(event["data"]) == polled
        assert polled["visit"]["visit_token"] == first["visit_token"] and polled["visit"]["ticket"] == "E-1"

        # The staff's finish button (办结) reaches the kiosk the same way.
        admin, csrf = sessions["admin"]
        assert form_post(client, "/staff/visits", {"window": "W12", "ticket": "E-2", "csrf_token": csrf}, admin).status == 201
        event = next_event(stream)
        second = json.loads(event["data"])["visit"]
        assert second["ticket"] == "E-2" and event["id"] == str(second["id"]) and second["id"] > first["id"]
    finally:
        stream.close()

    # A reconnection after E-1 first gets E-2, still offered; one after E-2 gets only what comes next.
    behind = EventStream(client.port, STREAM.format(window="W12"), {**cookie, "Last-Event-ID": str(first["id"])})
    try:
        assert json.loads(next_event(behind)["data"])["visit"]["ticket"] == "E-2"
    finally:
        behind.close()
    current = EventStream(client.port, STREAM.format(window="W12") + f"?after={second['id']}", {"X-Device-Token": token})
    try:
        third = create_visit(client, contract, keys, ticket="E-3", window="W12")
        assert next_event(current)["id"] == str(third["id"])
    finally:
        current.close()


def test_the_kiosk_stream_is_refused_as_the_long_poll_is(client, contract, keys):
    token = pair(client, contract, keys, "W14")
    cookie = {"Cookie": f"pingjia_device={token}", "Accept": "text/event-stream"}
    path = STREAM.format(window="W14")
    assert contract.check(client.get(path), STREAM, "get", 403)["error"]["code"] == "device_not_paired"
    contract.check(client.get(STREAM.format(window="W15"), cookie), STREAM, "get", 403)
    contract.check(client.get(STREAM.format(window="W99"), cookie), STREAM, "get", 404)
    english = client.get(path, {"Accept-Language": "en"}).json()
    assert english["error"]["message"] == client.get(POLL.format(window="W14"), {"Accept-Language": "en"}).json()["error"]["message"]
    device = next(d for d in client.get(DEVICES, keys["devices"]).json()["devices"] if d["window"] == "W14" and d["status"] == "active")
    client.request("POST", f"{DEVICES}/{device['id']}/revoke", headers=keys["devices"])
    contract.check(client.get(path, cookie), STREAM, "get", 403)
    contract.check(client.get(POLL.format(window="W14"), cookie), POLL, "get", 403)


def test_kiosk_streams_are_capped_end_when_revoked_and_at_shutdown(tmp_path):
    """Past `visits.kiosk_streams` a stream gets 503 with Retry-After and the long poll still
    answers; a revoked tablet's open stream ends at the next heartbeat; shutdown ends the
    rest and exits 0."""
    server = PingjiaProcess(tmp_path, {
        "visits": {"kiosk_streams": 1, "kiosk_heartbeat_seconds": 1},
        "server": {"static_root": str(REPO / "Public")},
    })
    server.cli("migrate")
    server.cli("demo", "--days", "1")
    codes = {window: server.cli("device", "pair", "--window", window).strip().splitlines()[-1] for window in ("W01", "W02")}
    key = {"Authorization": "Bearer " + server.cli("apikey", "create", "--name", "admin", "--scope", "devices:write").strip().splitlines()[-1]}
    server.start()
    streams = []
    try:
        local = Client(server.port)
        cookies = {}
        for window, code in codes.items():
            reply = local.request("POST", "/kiosk/pair", f"code={code}", {"Content-Type": "application/x-www-form-urlencoded"})
            cookies[window] = {"Cookie": reply.headers["Set-Cookie"].split(";")[0]}
        first = EventStream(server.port, STREAM.format(window="W01"), cookies["W01"])
        streams.append(first)
        assert first.head.startswith("HTTP/1.1 200")
        refused = local.get(STREAM.format(window="W02"), {**cookies["W02"], "Accept": "text/event-stream"})
        assert refused.status == 503 and int(refused.headers["Retry-After"]) > 0
        assert refused.json()["error"]["code"] == "too_many_streams"
        assert local.get(POLL.format(window="W02"), cookies["W02"]).status == 204

        device = next(d for d in local.get(DEVICES, key).json()["devices"] if d["window"] == "W01")
        assert local.request("POST", f"{DEVICES}/{device['id']}/revoke", headers=key).status == 200
        first.ends()

        # Its place is free once the server has let the stream go.
        deadline = time.monotonic() + WAIT
        while True:
            second = EventStream(server.port, STREAM.format(window="W02"), cookies["W02"])
            streams.append(second)
            if second.head.startswith("HTTP/1.1 200"):
                break
            assert time.monotonic() < deadline, second.head
            time.sleep(0.1)
        second.until(b"id: 0\n\n")
        status = server.stop()
        second.ends()
        assert second.complete, "shutdown ended the stream with its last chunk"
        assert status == 0, server.stderr()
    finally:
        server.stop()
        for stream in streams:
            stream.close()


# MARK: Indicators


def test_visit_figures_are_in_the_indicators(client, contract, keys):
    # The demo's windows have visits of their own: two windows added to 社保 (SBFW) now have
    # none. At W21 two visits of 10 minutes and one rated; at W22 none.
    for code in ("W21", "W22"):
        added = client.post_json("/api/v1/admin/windows", {"code": code, "name": f"{code} 窗口", "department": "SBFW"}, keys["directory"])
        assert added.status == 201, added
    for ticket in ("R-1", "R-2"):
        create_visit(client, contract, keys, ticket=ticket, window="W21",
                     started_at="2026-11-27T09:00:00+08:00", ended_at="2026-11-27T09:10:00+08:00")
    rated = create_visit(client, contract, keys, ticket="R-3", window="W21",
                         started_at="2026-11-27T10:00:00+08:00", ended_at="2026-11-27T10:10:00+08:00")
    contract.check(client.post_json(RESPONSES, rating(visit_token=rated["visit_token"])), RESPONSES, "post", 201)
    path = f"{INDICATORS}?" + urlencode({"period": this_month(), "by": "window", "department": "SBFW"})
    report = contract.check(client.get(path, keys["indicators"]), INDICATORS, "get", 200)
    center = report["center"]
    assert center["visits"] >= 3 and 0 < center["response_rate"] <= 1
    assert center["response_rate"] == center["rated_visits"] / center["visits"]
    window = next(e for e in report["breakdown"]["entries"] if e["code"] == "W21")
    assert (window["visits"], window["rated_visits"]) == (3, 1)
    assert window["response_rate"] == pytest.approx(1 / 3)
    assert window["people_served_per_day"] == 3 and window["mean_handling_minutes"] == 10
    # No visit at W22: its entry carries no visit members.
    assert "visits" not in next(e for e in report["breakdown"]["entries"] if e["code"] == "W22")

    reply = client.get(path + "&format=csv", keys["indicators"])
    contract.check(reply, INDICATORS, "get", 200, media="text/csv")
    rows = {(row["level"], row["code"]): row for row in csv_rows(reply)}
    row = rows[("window", "W21")]
    assert (row["visits"], row["rated_visits"]) == ("3", "1")
    assert float(row["response_rate"]) == pytest.approx(1 / 3) and float(row["mean_handling_minutes"]) == 10
    assert float(rows[("center", "center")]["response_rate"]) == pytest.approx(center["response_rate"])
    assert rows[("window", "W22")]["visits"] == ""


# MARK: The staff pages


PASSWORD = "visits test password"


@pytest.fixture(scope="module")
def sessions(server, client) -> dict[str, tuple[dict[str, str], str]]:
    """An admin and a department head (SCJG) signed in: their cookie headers and CSRF tokens."""
    signed_in = {}
    for name, role, extra in (("visits-admin", "admin", []), ("visits-head", "head", ["--department", "SCJG"])):
        server.add_user(name, role, PASSWORD, *extra)
        reply = client.post_json("/api/v1/session", {"username": name, "password": PASSWORD})
        assert reply.status == 200, reply
        signed_in[role] = ({"Cookie": reply.headers["Set-Cookie"].split(";")[0]}, reply.json()["csrf_token"])
    return signed_in


def form_post(client, path: str, fields: dict, headers: dict[str, str]):
    return client.request("POST", path, urlencode(fields), {**headers, "Content-Type": "application/x-www-form-urlencoded"})


def test_the_finish_button_records_a_visit_for_the_staffs_own_windows(client, sessions):
    cookie, csrf = sessions["head"]
    page = client.get("/staff/visits", cookie)
    assert page.status == 200 and 'value="W01"' in page.body.decode("utf-8") and 'value="W04"' not in page.body.decode("utf-8")
    assert form_post(client, "/staff/visits", {"window": "W01", "ticket": "S-1"}, cookie).status == 403
    done = form_post(client, "/staff/visits", {"window": "W01", "ticket": "S-1", "csrf_token": csrf}, cookie)
    body = done.body.decode("utf-8")
    assert done.status == 201 and "S-1" in body and "<svg" in body and "/r/W01?v=" in body
    other = form_post(client, "/staff/visits", {"window": "W04", "ticket": "S-2", "csrf_token": csrf}, cookie)
    assert other.status == 422


def test_only_admins_manage_devices_on_the_staff_pages(client, sessions):
    head, head_csrf = sessions["head"]
    assert client.get("/staff/devices", head).status == 403
    admin, csrf = sessions["admin"]
    assert client.get("/staff/devices", admin).status == 200
    assert form_post(client, "/staff/devices/pair", {"window": "W09"}, admin).status == 403
    made = form_post(client, "/staff/devices/pair", {"window": "W09", "name": "9号", "csrf_token": csrf}, admin)
    assert made.status == 200
    code = re.search(r'id="pairing-code">([A-Z0-9-]+)<', made.body.decode("utf-8")).group(1)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code)


# MARK: Shutdown


def test_shutdown_answers_the_kiosks_held_polls(tmp_path):
    """The server cannot stop while a poll is held: shutdown answers it first, and exits 0."""
    server = PingjiaProcess(tmp_path, {
        "visits": {"long_poll_seconds": 120}, "server": {"request_timeout_seconds": 300, "static_root": str(REPO / "Public")},
    })
    server.cli("migrate")
    server.cli("demo", "--days", "1")
    code = server.cli("device", "pair", "--window", "W01").strip().splitlines()[-1]
    server.start()
    try:
        local = Client(server.port)
        reply = local.request("POST", "/kiosk/pair", f"code={code}", {"Content-Type": "application/x-www-form-urlencoded"})
        cookie = {"Cookie": reply.headers["Set-Cookie"].split(";")[0]}
        answered = []
        poll = threading.Thread(target=lambda: answered.append(local.get("/kiosk/W01/visit?wait=1", cookie).status))
        poll.start()
        # Held for two minutes unless something answers it; give it a moment to arrive.
        time.sleep(1)
        assert not answered, "the poll was answered before any visit or shutdown"
    finally:
        status = server.stop()
    poll.join(WAIT)
    assert answered == [204]
    assert status == 0, server.stderr()


# MARK: The command line


def test_the_device_and_visit_commands(server, client, contract, keys, tmp_path):
    printed = server.cli("device", "pair", "--window", "W10", "--name", "10号").strip().splitlines()
    assert printed[0].startswith("Pairing code for W10") and re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", printed[-1])
    reply = client.request("POST", "/kiosk/pair", f"code={printed[-1]}", {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 303
    listed = [line.split("\t") for line in server.cli("device", "list").strip().splitlines()]
    row = next(fields for fields in listed if fields[1] == "W10")
    assert row[2] == "10号" and row[5] == "active"
    assert "now named 前台" in server.cli("device", "rename", row[0], "前台")
    assert "Revoked tablet" in server.cli("device", "revoke", row[0])
    assert next(fields for fields in (line.split("\t") for line in server.cli("device", "list").strip().splitlines())
                if fields[0] == row[0])[5] == "revoked"
    assert server.try_cli("device", "revoke", "99999").returncode != 0

    visit = create_visit(client, contract, keys, ticket="CLI-1", window="W10")
    url = server.cli("visit", "url", str(visit["id"])).strip()
    assert url.startswith("/r/W10?v=") and client.get(url).status == 200
    assert "ticket CLI-1" in server.cli("visit", "show", str(visit["id"])) and "\topen" in server.cli("visit", "show", str(visit["id"]))
    png = tmp_path / "visit.png"
    server.cli("visit", "qr", str(visit["id"]), "--out", str(png))
    assert png.read_bytes().startswith(b"\x89PNG")
    assert server.cli("visit", "qr", str(visit["id"])).lstrip().startswith("<svg")
