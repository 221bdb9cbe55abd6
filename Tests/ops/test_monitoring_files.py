"""deploy/prometheus-alerts.yml and deploy/grafana-pingjia.json: valid, and speaking of
metrics that the real server exports under those names."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from ops_server import REPO, WAIT, ops  # noqa: F401 (ops is a fixture)

ALERTS = REPO / "deploy" / "prometheus-alerts.yml"
ALERT_TESTS = REPO / "deploy" / "prometheus-alerts.test.yml"
DASHBOARD = REPO / "deploy" / "grafana-pingjia.json"
METRIC = re.compile(r"\b(pingjia_[a-z_]+)")
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def promtool(*arguments: str) -> subprocess.CompletedProcess:
    tool = shutil.which("promtool")
    assert tool, "promtool is missing: run deploy/install-packages.sh --test"
    return subprocess.run([tool, *arguments], cwd=REPO / "deploy", capture_output=True, text=True, timeout=WAIT)


def test_the_alert_rules_are_valid_and_fire_when_they_should():
    checked = promtool("check", "rules", ALERTS.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = promtool("test", "rules", ALERT_TESTS.name)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def exported_names(ops) -> set[str]:
    ops.cli("migrate")
    ops.cli("demo", "--days", "1")
    ops.start()
    _, _, body = ops.request("GET", "/api/v1/windows")
    window = json.loads(body)["windows"][0]["code"]
    status, _, _ = ops.post_json("/api/v1/responses", {"window": window, "attitude": 5, "efficiency": 5, "result": 5})
    assert status == 201
    status, _, body = ops.request("GET", "/metrics")
    assert status == 200
    names = set()
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def test_the_dashboard_and_the_alerts_use_only_exported_metrics(ops):
    exported = exported_names(ops)
    dashboard = json.loads(DASHBOARD.read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert expressions
    used = set(METRIC.findall("\n".join(expressions)) + METRIC.findall(ALERTS.read_text()))
    assert used
    for name in used:
        # A histogram's own name (in a description) stands for its _bucket, _sum and _count.
        assert name in exported or all(name + suffix in exported for suffix in HISTOGRAM_SUFFIXES), f"{name} is used by the dashboard or the alerts but /metrics has no such series"
    # Each panel has a unique id, a place and a data source.
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    assert all(panel["datasource"]["uid"] == "${datasource}" for panel in dashboard["panels"])
