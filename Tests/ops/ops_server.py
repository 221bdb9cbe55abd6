"""The server of the operations suite, and its fixture: a demo center with JSON logs, the
access log on, a metrics token and a quick API-key lock-out; each test gets its own folder,
database and server (the tests break databases on purpose). All traffic stays on 127.0.0.1.

This suite has no conftest.py on purpose: the other suites import names from theirs, and
pytest keeps only one module called `conftest` when it runs several suites at once."""

from __future__ import annotations

import http.client
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pingjia_process import REPO, WAIT, PingjiaProcess  # noqa: E402,F401

METRICS_TOKEN = "ops-suite-metrics-token-0123456789"


class OpsServer(PingjiaProcess):
    """A demo center with JSON logs, the access log on and a metrics token."""

    def __init__(self, workdir: Path):
        super().__init__(workdir, {
            "server": {"static_root": str(REPO / "Public")},
            "log": {"format": "json", "level": "info", "access": True},
            "metrics": {"token": METRICS_TOKEN},
            "auth": {"free_failures": 2, "first_delay_seconds": 600},
        })

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def post_json(self, path: str, document, headers: dict[str, str] | None = None):
        return self.request("POST", path, json.dumps(document, ensure_ascii=False).encode(),
                            {"Content-Type": "application/json", **(headers or {})})

    def log_events(self) -> list[dict]:
        """Every line of the server's stderr, each parsed as one JSON object."""
        events = []
        for line in self.stderr().splitlines():
            event = json.loads(line)
            assert isinstance(event, dict), line
            events.append(event)
        return events


@pytest.fixture
def ops(tmp_path):
    server = OpsServer(tmp_path)
    yield server
    if server.process is not None and server.process.poll() is None:
        server.stop()
