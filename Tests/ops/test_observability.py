"""Logs, metrics and the throttle on wrong API keys, as an operator meets them: through
`pingjia serve`'s standard error and its HTTP port."""

from __future__ import annotations

import json
import sqlite3
import time

from ops_server import METRICS_TOKEN, WAIT, ops  # noqa: F401 (ops is a fixture)

COMMENT = "窗口工作人员很耐心-私密"


def a_window(ops) -> str:
    status, _, body = ops.request("GET", "/api/v1/windows")
    assert status == 200
    return json.loads(body)["windows"][0]["code"]


def submission(window: str, client_id: str) -> dict:
    return {"window": window, "attitude": 5, "efficiency": 4, "result": 5, "channel": "qr",
            "client_id": client_id, "comment": COMMENT}


def sample(text: str, series: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line[len(series) + 1:])
    return None


def scrape(ops) -> str:
    status, _, body = ops.request("GET", "/metrics")
    assert status == 200
    return body.decode()


def test_migrate_logs_each_migration_it_applied_once(ops):
    first = ops.try_cli("migrate")
    assert first.returncode == 0, first.stderr
    events = [json.loads(line) for line in first.stderr.splitlines()]
    applied = [e for e in events if e["message"].startswith("Applied")]
    assert len(applied) == 1
    assert applied[0]["level"] == "notice"
    assert applied[0]["migrations"][0] == "v1-collection"
    again = ops.try_cli("migrate")
    assert again.returncode == 0
    assert "Applied" not in again.stderr


def test_every_line_is_one_json_object_from_start_to_stop(ops):
    ops.cli("migrate")
    ops.cli("demo", "--days", "2")
    ops.start()
    window = a_window(ops)
    status, _, _ = ops.post_json("/api/v1/responses", submission(window, "0b9f6a52-8c1e-4d7a-9f3b-2e5d6c7a8b90"))
    assert status == 201
    status, _, _ = ops.request("GET", f"/kiosk/{window}?lang=en")
    assert status == 200
    assert ops.stop() == 0

    events = ops.log_events()
    for event in events:
        assert {"time", "level", "logger", "message"} <= event.keys(), event
    # A warning may come first (no working-day calendar for the year, say); then the start.
    events = [e for e in events if e["level"] != "warning"] if events and events[0]["level"] == "warning" else events
    messages = [e["message"] for e in events]
    assert messages[0] == "Started."
    assert events[0]["port"] == str(ops.port)
    assert "Received a signal to stop." in messages
    assert messages[-1] == "Stopped cleanly."
    requests = [e for e in events if e["message"] == "request"]
    assert {(r["method"], r["route"], r["status"]) for r in requests} >= {
        ("POST", "/api/v1/responses", "201"), ("GET", "/kiosk/{window}", "200")}
    for request in requests:
        assert float(request["duration_ms"]) >= 0
        assert len(request["client"]) == 16
    text = ops.stderr()
    assert COMMENT not in text
    assert "lang=en" not in text
    assert not any("127.0.0.1" in json.dumps(r) for r in requests)


def test_a_failed_write_is_logged_with_its_cause_and_counted(ops):
    ops.cli("migrate")
    ops.cli("demo", "--days", "2")
    ops.start()
    window = a_window(ops)
    # Break the database under the running server: the writer's next commit cannot
    # count the response into a rollup table that no longer exists.
    with sqlite3.connect(ops.db, timeout=30) as db:
        db.execute("DROP TABLE rollup_detail_day")
    status, headers, body = ops.post_json("/api/v1/responses", submission(window, "5c2d8e14-7a3b-4f6e-8d9c-0a1b2c3d4e5f"))
    assert status == 503
    assert json.loads(body)["error"]["code"] == "not_stored"
    # The writer answers the client before it reports the batch, so the counters may
    # trail the 503 by a moment.
    deadline = time.monotonic() + WAIT
    metrics = scrape(ops)
    while sample(metrics, "pingjia_writer_failed_commits_total") != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
        metrics = scrape(ops)
    assert sample(metrics, "pingjia_writer_failed_commits_total") == 1
    assert sample(metrics, "pingjia_responses_refused_total") == 1
    assert sample(metrics, 'pingjia_http_requests_total{route="/api/v1/responses",method="POST",status="503"}') == 1
    ops.stop()

    events = ops.log_events()
    failed = [e for e in events if e["message"].startswith("Writing submissions failed")]
    assert len(failed) == 1, events
    assert failed[0]["level"] == "error"
    assert "no such table: rollup_detail_day" in failed[0]["cause"]
    assert failed[0]["refused"] == "1"
    answered = [e for e in events if e["message"].startswith("Answered 503")]
    assert len(answered) == 1
    assert answered[0]["route"] == "/api/v1/responses"
    assert "no such table" in answered[0]["cause"]
    assert COMMENT not in ops.stderr()


def test_publishing_is_logged(ops):
    ops.cli("migrate")
    ops.cli("demo", "--days", "2")
    done = ops.try_cli("publish", "2026-01")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stderr.splitlines()]
    published = [e for e in events if e["message"] == "Published a period."]
    assert len(published) == 1
    assert published[0]["period"] == "2026-01"
    assert len(published[0]["sha256"]) == 64
    refused = ops.try_cli("publish", "2026-01")
    assert refused.returncode != 0
    assert any(json.loads(line).get("message") == "Publishing failed."
               for line in refused.stderr.splitlines() if line.startswith("{"))


def test_metrics_through_a_proxy_need_the_bearer_token(ops):
    ops.cli("migrate")
    ops.start()
    proxied = {"X-Real-IP": "203.0.113.9", "X-Forwarded-For": "203.0.113.9", "Accept-Language": "en"}
    status, headers, body = ops.request("GET", "/metrics", headers=proxied)
    assert status == 403
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "forbidden"
    status, _, _ = ops.request("GET", "/metrics", headers={**proxied, "Authorization": "Bearer not-the-token-at-all"})
    assert status == 403
    status, headers, body = ops.request("GET", "/metrics", headers={**proxied, "Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    assert "pingjia_database_bytes" in body.decode()


def test_wrong_api_keys_lock_the_client_out(ops):
    ops.cli("migrate")
    key = ops.cli("apikey", "create", "--name", "assessment", "--scope", "indicators:read").strip().splitlines()[-1]
    ops.start()
    client = {"X-Real-IP": "203.0.113.9"}
    path = "/api/v1/indicators?period=2026-01"
    for _ in range(3):
        status, _, _ = ops.request("GET", path, headers={**client, "Authorization": "Bearer pj_wrong0000000000"})
        assert status == 401
    status, headers, body = ops.request("GET", path, headers={**client, "Authorization": f"Bearer {key}", "Accept-Language": "zh-CN"})
    assert status == 429
    assert 0 < int(headers["retry-after"]) <= 600
    error = json.loads(body)["error"]
    assert error["code"] == "too_many_attempts"
    assert "秒后重试" in error["message"]
    ops.stop()
    warnings = [e for e in ops.log_events() if e["level"] == "warning"]
    assert [e["message"] for e in warnings].count("Refused a wrong API key.") == 3
    assert "203.0.113.9" not in ops.stderr()
