"""Plain HTTP/1.1 on loopback for the API tests, and where the OpenAPI document lives.

Kept out of conftest.py so a test can import it by name: every test folder has a conftest,
and `make test` collects them all in one run.
"""

from __future__ import annotations

import http.client
import json
import sys
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


# MARK: The server
