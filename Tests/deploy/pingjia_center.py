"""Shared helpers for the deployment tests: a migrated demo center
served by the real `pingjia serve`, and a client that rates windows over HTTP."""

from __future__ import annotations

import http.client
import json
import sqlite3
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pingjia_process import REPO, WAIT, PingjiaProcess  # noqa: E402,F401


def make_center(workdir: Path, configuration: dict | None = None, days: int = 3) -> PingjiaProcess:
    """A migrated demo center (windows W01…W20) in `workdir`, not yet serving."""
    workdir.mkdir(parents=True, exist_ok=True)
    configuration = dict(configuration or {})
    configuration.setdefault("server", {}).setdefault("static_root", str(REPO / "Public"))
    # The load tests post from one address far faster than people do: no rate limit here
    # (Tests/EndToEndTests/TrustTests.swift tests the limits).
    configuration.setdefault("limits", {name: {"ratings": 0} for name in ("address", "anonymous_api_refused")})
    center = PingjiaProcess(workdir, configuration)
    center.cli("migrate")
    center.cli("demo", "--days", str(days))
    return center


def rating(client_id: str | None = None, window: str = "W01") -> dict:
    return {"window": window, "attitude": 5, "efficiency": 4, "result": 5,
            "comment": "好", "client_id": client_id or f"t-{uuid.uuid4().hex}"}


class Rater:
    """One keep-alive connection posting ratings to POST /api/v1/responses."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.port = port
        self.host = host
        self.connection: http.client.HTTPConnection | None = None

    def post(self, document: dict, headers: dict | None = None) -> tuple[int, dict, str]:
        body = json.dumps(document, ensure_ascii=False).encode()
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=WAIT)
            try:
                self.connection.request("POST", "/api/v1/responses", body=body,
                                        headers={"Content-Type": "application/json", **(headers or {})})
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, dict(response.getheaders()), text
            except (ConnectionError, http.client.HTTPException):
                # A closed keep-alive connection: try once on a fresh one (a replay of the
                # same client_id is stored once, so the retry is safe).
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Load:
    """Threads rating as fast as they can; records when each 201 arrived (monotonic)."""

    def __init__(self, port: int, threads: int = 4):
        self.port = port
        self.acknowledged: list[tuple[str, float]] = []
        self.refused: list[tuple[int, str]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def _run(self, n: int) -> None:
        rater = Rater(self.port)
        i = 0
        try:
            while not self.stopping.is_set():
                client_id = f"load-{n}-{i}-{uuid.uuid4().hex[:8]}"
                status, _, text = rater.post(rating(client_id, window=f"W{1 + i % 20:02d}"))
                with self.lock:
                    if status == 201:
                        self.acknowledged.append((client_id, time.monotonic()))
                    else:
                        self.refused.append((status, text))
                i += 1
        except BaseException as error:  # noqa: BLE001 - reported by stop()
            self.errors.append(error)
        finally:
            rater.close()

    def start(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + WAIT
        while self.count() < count:
            assert not self.errors, f"a rating thread failed: {self.errors[0]!r}"
            assert time.monotonic() < deadline, f"only {self.count()} ratings acknowledged; refused: {self.refused[:3]}"
            time.sleep(0.01)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(WAIT)
        assert not self.errors, f"a rating thread failed: {self.errors[0]!r}"


def client_ids(database: Path) -> set[str]:
    """Every response's client id in the database at `database`, read-only."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=WAIT)
    try:
        return {row[0] for row in connection.execute("SELECT client_id FROM response")}
    finally:
        connection.close()
