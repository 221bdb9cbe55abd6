"""A `pingjia` working folder for the Python test suites (Tests/api, Tests/browser).

A database and a configuration file in a temporary folder, the commands run on them, and
`pingjia serve --port 0` on a free loopback port, stopped with SIGTERM. Shared by both
conftests so that starting and stopping the real server is written once.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PINGJIA_BIN = Path(os.environ.get("PINGJIA_BIN", REPO / ".build" / "debug" / "pingjia"))

# Upper bounds that only stop a hung run; no test asserts how long anything took.
WAIT = 60
START_WAIT = 180

SERVING = re.compile(r"Pingjia is serving on (http://127\.0\.0\.1:(\d+)) \(database .*\)$")


class PingjiaProcess:
    """A database and configuration in `workdir`, and the server over them once started."""

    def __init__(self, workdir: Path, configuration: dict):
        if not PINGJIA_BIN.is_file():
            pytest.fail(f"no pingjia binary at {PINGJIA_BIN}: run `swift build` first (or set PINGJIA_BIN)")
        self.workdir = workdir
        self.db = workdir / "pingjia.sqlite"
        self.config = workdir / "pingjia.json"
        self.stderr_path = workdir / "serve.stderr"
        self.process: subprocess.Popen | None = None
        self.later_stdout: list[str] = []
        self.base_url = ""
        self.port = 0
        self.config.write_text(json.dumps(configuration, ensure_ascii=False))

    def try_cli(self, *arguments: str) -> subprocess.CompletedProcess:
        """Runs one `pingjia` command on this database, whatever its outcome."""
        return subprocess.run(
            [str(PINGJIA_BIN), *arguments, "--db", str(self.db), "--config", str(self.config)],
            cwd=self.workdir, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=START_WAIT)

    def cli(self, *arguments: str) -> str:
        """Runs one `pingjia` command on this database; its stdout."""
        done = self.try_cli(*arguments)
        assert done.returncode == 0, (
            f"pingjia {' '.join(arguments)} exited {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}")
        return done.stdout

    def add_user(self, name: str, role: str, password: str, *extra: str) -> None:
        """Adds a staff account with `pingjia user add`, the password on stdin."""
        done = subprocess.run(
            [str(PINGJIA_BIN), "user", "add", name, "--role", role, *extra, "--db", str(self.db), "--config", str(self.config)],
            cwd=self.workdir, input=password + "\n", capture_output=True, text=True, timeout=START_WAIT)
        assert done.returncode == 0, done.stderr

    def start(self, port: int = 0) -> None:
        """Starts `pingjia serve` (on `port`, or a free one) and reads the port from its first line."""
        with open(self.stderr_path, "w") as stderr:
            self.process = subprocess.Popen(
                [str(PINGJIA_BIN), "serve", "--db", str(self.db), "--config", str(self.config), "--port", str(port)],
                cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], START_WAIT)
        line = self.process.stdout.readline() if ready else ""
        match = SERVING.match(line.strip())
        if not match:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"unexpected first line from pingjia serve: {line!r}\nstderr:\n{self.stderr()}")
        self.base_url, self.port = match.group(1), int(match.group(2))
        # Keep reading stdout so the server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.process.stdout:
            self.later_stdout.append(line)

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> int:
        """SIGTERM, then the exit status (killed, and -9, if it does not stop)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode
