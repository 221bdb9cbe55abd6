"""Plain HTTP/1.1 on loopback for the API tests, and where the OpenAPI document lives.

Kept out of conftest.py so a test can import it by name: every test folder has a conftest,
and `make test` collects them all in one run.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pingjia_process import REPO, WAIT  # noqa: E402

OPENAPI_PATH = REPO / "docs" / "openapi.json"


# MARK: HTTP on loopback


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def media_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self) -> str:
        return f"<{self.status} {self.headers.get('Content-Type')} {self.body[:300]!r}>"


class Client:
    """Plain http.client on 127.0.0.1: no proxies, no redirects, nothing beyond loopback."""

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: dict[str, str] | None = None, chunks: list[bytes] | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            if isinstance(body, str):
                body = body.encode("utf-8")
            if chunks is not None:
                connection.putrequest(method, path)
                for name, value in (headers or {}).items():
                    connection.putheader(name, value)
                connection.putheader("Transfer-Encoding", "chunked")
                connection.endheaders()
                try:
                    for chunk in chunks:
                        connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    connection.send(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server may refuse early; its answer is still read below
            else:
                try:
                    connection.request(method, path, body=body, headers=headers or {})
                except (BrokenPipeError, ConnectionResetError):
                    pass
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post_json(self, path: str, document, headers: dict[str, str] | None = None) -> Reply:
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        return self.request("POST", path, body=body, headers={"Content-Type": "application/json", **(headers or {})})


# MARK: Server-sent events


class EventStream:
    """A server-sent-event stream as EventSource opens it (`GET path` with
    `Accept: text/event-stream`), read from a plain socket. `received` is the body with
    its chunked framing removed; `complete` tells that the last chunk arrived."""

    def __init__(self, port: int, path: str, headers: dict[str, str] | None = None):
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Accept: text/event-stream"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.socket.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.raw = b""
        self.received = b""
        self.complete = False
        deadline = time.monotonic() + WAIT
        while b"\r\n\r\n" not in self.raw:
            assert time.monotonic() < deadline and self._read(), f"no head in {self.raw[-500:]!r}"
        head, self.raw = self.raw.split(b"\r\n\r\n", 1)
        self.head = head.decode() + "\r\n\r\n"
        self.chunked = "transfer-encoding: chunked" in self.head.lower()
        self._unframe()

    def _read(self) -> bool:
        chunk = self.socket.recv(65536)
        self.raw += chunk
        return bool(chunk)

    def _unframe(self) -> None:
        if not self.chunked:
            self.received, self.raw = self.received + self.raw, b""
            return
        while not self.complete and b"\r\n" in self.raw:
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                self.complete = True
            elif len(rest) < size + 2:
                return
            self.received += rest[:size]
            self.raw = rest[size + 2:]

    def _more(self, what: str) -> None:
        assert self._read(), f"the stream closed before {what}: {self.received[-500:]!r}"
        self._unframe()

    def until(self, marker: bytes) -> bytes:
        """Everything up to and including `marker`; the bound only stops a hung run."""
        deadline = time.monotonic() + WAIT
        while marker not in self.received:
            assert time.monotonic() < deadline, f"no {marker!r} in {self.received[-500:]!r}"
            self._more(repr(marker))
        index = self.received.index(marker) + len(marker)
        taken, self.received = self.received[:index], self.received[index:]
        return taken

    def ends(self) -> bytes:
        """Everything until the server ends the stream, with its last chunk or by closing
        the connection; the bound only stops a hung run."""
        deadline = time.monotonic() + WAIT
        self._unframe()
        while not self.complete and self._read():
            assert time.monotonic() < deadline, f"the stream did not end: {self.received[-500:]!r}"
            self._unframe()
        return self.received

    def close(self):
        self.socket.close()

# MARK: The server
