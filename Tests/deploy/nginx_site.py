"""The shipped nginx site (deploy/nginx-pingjia.conf) as a real nginx on loopback.

The shipped file stays the single source: only what differs between a server and a test
machine is replaced (host name, certificate paths, listening ports, the upstream port, the
static folder), each replacement must match exactly as often as expected, so a change to
the shipped file that the test no longer understands fails loudly instead of testing
something else. nginx runs in the foreground with its own prefix, pid, logs and temporary
folders under a temporary folder, whether or not an nginx service runs on the machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from pingjia_process import REPO, WAIT

SITE = REPO / "deploy" / "nginx-pingjia.conf"
HOST_NAME = "pingjia.test"


def find_nginx() -> str:
    found = shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if not found:
        pytest.fail("nginx is not installed: run deploy/install-packages.sh --test")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for HOST_NAME and 127.0.0.1, and its key."""
    certificate, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(certificate), "-subj", f"/CN={HOST_NAME}",
         "-addext", f"subjectAltName=DNS:{HOST_NAME},IP:127.0.0.1"],
        check=True, capture_output=True, timeout=WAIT)
    return certificate, key


def site_for_test(*, http_port: int, https_port: int, upstream_port: int, certificate: Path, key: Path) -> str:
    """The shipped site with the machine-specific values replaced."""
    text = SITE.read_text(encoding="utf-8")
    replacements = [
        ("    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n", 1),
        ("    listen [::]:80;\n", "", 1),
        ("    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{https_port} ssl http2;\n", 1),
        ("    listen [::]:443 ssl http2;\n", "", 1),
        ("server_name pingjia.example.gov.cn;", f"server_name {HOST_NAME};", 2),
        ("/etc/ssl/pingjia/fullchain.pem", str(certificate), 1),
        ("/etc/ssl/pingjia/privkey.pem", str(key), 1),
        ("server 127.0.0.1:8080 ", f"server 127.0.0.1:{upstream_port} ", 1),
        ("alias /usr/local/share/pingjia/Public/;", f"alias {REPO / 'Public'}/;", 1),
    ]
    for old, new, count in replacements:
        found = text.count(old)
        assert found == count, f"{SITE.name}: expected {old!r} {count} time(s), found {found}: update the test's template"
        text = text.replace(old, new)
    return text


class Nginx:
    """nginx with the test site, in the foreground, under `folder`."""

    def __init__(self, folder: Path, *, upstream_port: int):
        self.binary = find_nginx()
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.http_port, self.https_port = free_port(), free_port()
        self.certificate, self.key = make_certificate(folder)
        (folder / "site.conf").write_text(site_for_test(
            http_port=self.http_port, https_port=self.https_port, upstream_port=upstream_port,
            certificate=self.certificate, key=self.key), encoding="utf-8")
        temporary = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in
                              ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # Debian's nginx.conf puts sites inside http {} after mime.types; the same here.
        (folder / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder / "access.log"};
{temporary}
    include {folder / "site.conf"};
}}
""", encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def command(self, *arguments: str) -> list[str]:
        return [self.binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), *arguments]

    def test_configuration(self) -> subprocess.CompletedProcess:
        return subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=WAIT)

    def start(self) -> None:
        checked = self.test_configuration()
        assert checked.returncode == 0, f"nginx -t failed:\n{checked.stderr}"
        self.process = subprocess.Popen(self.command("-g", "daemon off;"), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=open(self.folder / "stderr.log", "w"))
        deadline = time.monotonic() + WAIT
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"nginx did not start:\n{self.log()}")
                time.sleep(0.05)

    def log(self) -> str:
        parts = []
        for name in ("stderr.log", "error.log"):
            path = self.folder / name
            if path.exists():
                parts.append(path.read_text(errors="replace")[-4000:])
        return "\n".join(parts)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
