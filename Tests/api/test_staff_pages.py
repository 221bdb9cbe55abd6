"""The staff's daily pages on the real server of this suite (see conftest.py): the live
差评 stream (server-sent events) and its polling fallback, both limited to the head's
department, and the feedback pages (a guessed id of another department is 404; a flag
form without its CSRF token is 403 and changes nothing).

A head of 市场监管科 (SCJG: windows W01–W03) and 差评 posted at W01 (theirs) and W04
(不动产登记科's).
"""

from __future__ import annotations

import uuid

import pytest

from api_http import EventStream

PASSWORD = "pages test password"


@pytest.fixture(scope="module")
def head(server):
    """The session cookie and CSRF token of a head of SCJG."""
    server.add_user("pageshead", "head", PASSWORD, "--department", "SCJG")
    reply = server.client.post_json("/api/v1/session", {"username": "pageshead", "password": PASSWORD})
    assert reply.status == 200, reply
    return {"cookie": reply.headers["Set-Cookie"].split(";")[0], "csrf": reply.json()["csrf_token"]}


def negative(client, window: str, comment: str) -> int:
    reply = client.post_json("/api/v1/responses", {
        "window": window, "attitude": 1, "efficiency": 2, "result": 3, "reasons": ["态度差"],
        "comment": comment, "channel": "kiosk", "client_id": str(uuid.uuid4())})
    assert reply.status == 201, reply
    return reply.json()["id"]


def test_the_stream_sends_a_new_negative_of_the_heads_department_and_not_anothers(server, client, head):
    stream = EventStream(server.port, "/staff/events", {"Cookie": head["cookie"]})
    try:
        assert stream.head.startswith("HTTP/1.1 200")
        assert "content-type: text/event-stream; charset=utf-8" in stream.head.lower()
        opening = stream.until(b"id: ")
        assert b"retry: " in opening
        stream.until(b"\n\n")
        theirs = negative(client, "W04", "不动产的差评")
        mine = negative(client, "W01", "市场监管的差评")
        received = stream.until("市场监管的差评".encode()).decode()
        assert f"id: {mine}\nevent: negative\ndata: " in received
        assert f"id: {theirs}\n" not in received and "不动产的差评" not in received
        assert f'"url":"/staff/feedback/{mine}"' in received
    finally:
        stream.close()


def test_a_reconnection_gets_what_it_missed_after_its_last_event_id(server, client, head):
    before = negative(client, "W02", "断线之前")
    missed = negative(client, "W03", "断线期间")
    stream = EventStream(server.port, "/staff/events", {"Cookie": head["cookie"], "Last-Event-ID": str(before)})
    try:
        received = stream.until("断线期间".encode()).decode()
        assert f"id: {missed}\nevent: negative\n" in received
        assert f"id: {before}\nevent" not in received
    finally:
        stream.close()


def test_polling_returns_the_departments_new_negatives_only(client, head):
    cookie = {"Cookie": head["cookie"], "Accept": "application/json"}
    start = client.get("/staff/events", headers=cookie)
    assert start.status == 200 and start.media_type == "application/json"
    since = start.json()["last_id"]
    assert start.json()["events"] == []
    theirs = negative(client, "W05", "别的科室")
    mine = negative(client, "W02", "本科室")
    poll = client.get(f"/staff/events?since={since}", headers=cookie).json()
    assert [event["id"] for event in poll["events"]] == [mine]
    assert theirs not in [event["id"] for event in poll["events"]]
    assert poll["events"][0]["comment"] == "本科室" and poll["events"][0]["url"] == f"/staff/feedback/{mine}"
    assert poll["last_id"] >= mine
    again = client.get(f"/staff/events?since={poll['last_id']}", headers=cookie).json()
    assert again["events"] == []
    assert client.get("/staff/events?since=abc", headers=cookie).status == 400


def test_the_events_need_a_session(client):
    assert client.get("/staff/events").status == 401
    assert client.get("/staff/events", headers={"Accept": "text/event-stream"}).status == 401


def test_a_guessed_id_of_another_department_is_not_found(client, head):
    mine = negative(client, "W01", "本科室详情")
    theirs = negative(client, "W06", "他科室详情")
    cookie = {"Cookie": head["cookie"]}
    own = client.get(f"/staff/feedback/{mine}", headers=cookie)
    assert own.status == 200 and "本科室详情" in own.body.decode()
    other = client.get(f"/staff/feedback/{theirs}", headers=cookie)
    assert other.status == 404 and "他科室详情" not in other.body.decode()
    listing = client.get("/staff/feedback?negative=true&department=BDC", headers=cookie)
    assert listing.status == 200 and "他科室详情" not in listing.body.decode()
    export = client.get("/staff/feedback.csv?negative=true", headers=cookie)
    assert export.status == 200 and export.body.startswith("\ufeff".encode())
    assert "本科室详情" in export.body.decode() and "他科室详情" not in export.body.decode()


def test_a_flag_form_without_its_csrf_token_is_refused_and_changes_nothing(server, client, head):
    mine = negative(client, "W01", "不能被伪造标记")
    form = {"Cookie": head["cookie"], "Content-Type": "application/x-www-form-urlencoded"}
    refused = client.request("POST", f"/staff/feedback/{mine}/status", "status=test&reason=forged", form)
    assert refused.status == 403
    wrong = client.request("POST", f"/staff/feedback/{mine}/status", "status=test&reason=forged&csrf_token=" + "0" * 64, form)
    assert wrong.status == 403
    detail = client.get(f"/api/v1/feedback/{mine}", headers={"Authorization": f"Bearer {server.feedback_key}"}).json()
    assert detail["status"] == "valid" and detail["status_changes"] == []
