"""The shipped nginx site, as real nginx with TLS, in front of the real pingjia server."""

from __future__ import annotations

import datetime
import http.client
import json
import re
import socket
import ssl
import subprocess
import urllib.parse
import uuid

import pytest

from pingjia_center import WAIT, client_ids, make_center, rating
from pingjia_process import PINGJIA_BIN
from nginx_site import HOST_NAME, Nginx

BURST = 200  # the site's burst; a run of BURST + 60 POSTs at once must meet 429s


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx-site")
    center = make_center(folder / "center")
    key = center.cli("apikey", "create", "--name", "assessment", "--scope", "indicators:read").strip().splitlines()[-1]
    center.start()
    nginx = Nginx(folder / "nginx", upstream_port=center.port)
    try:
        nginx.start()
        nginx.api_key = key
        nginx.center = center
        yield nginx
    finally:
        nginx.stop()
        assert center.stop() == 0, center.stderr()


class Client:
    """HTTPS to nginx on loopback, trusting only the test's certificate. `source` picks the
    client's address in 127.0.0.0/8, and so its own rate-limit bucket."""

    def __init__(self, site: Nginx, source: str = "127.0.0.1"):
        self.site = site
        self.source = source
        self.context = ssl.create_default_context(cafile=str(site.certificate))
        self.connection: http.client.HTTPSConnection | None = None

    def request(self, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None):
        if isinstance(body, str):
            body = body.encode()
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPSConnection(
                    "127.0.0.1", self.site.https_port, context=self.context, timeout=WAIT, source_address=(self.source, 0))
            try:
                # http.client would rewrite "//api/…" into nothing odd; paths go out as given.
                self.connection.request(method, path, body=body, headers={"Host": HOST_NAME, **(headers or {})})
                response = self.connection.getresponse()
                return response.status, response.headers, response.read()
            except (ConnectionError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.connection:
            self.connection.close()
            self.connection = None


def json_post(client: Client, path: str, document, headers: dict | None = None):
    return client.request("POST", path, json.dumps(document, ensure_ascii=False),
                          {"Content-Type": "application/json", **(headers or {})})


def test_nginx_accepts_the_shipped_site(site):
    checked = site.test_configuration()
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


def test_a_rating_through_nginx_is_stored(site):
    client = Client(site)
    document = rating()
    status, headers, body = json_post(client, "/api/v1/responses", document)
    assert status == 201, body
    assert json.loads(body)["client_id"] == document["client_id"]
    assert document["client_id"] in client_ids(site.center.db)


def test_a_form_rating_through_nginx_is_stored(site):
    client = Client(site)
    for prefix in ("/kiosk", "/r"):
        # The form's client id is signed by the server: taken from the page, as a browser does.
        status, _, page = client.request("GET", f"{prefix}/W01?lang=en")
        assert status == 200
        client_id = re.search(r'name="client_id" value="([^"]+)"', page.decode()).group(1)
        form = urllib.parse.urlencode({"attitude": "5", "efficiency": "4", "result": "5",
                                       "client_id": client_id, "lang": "en"})
        status, headers, body = client.request("POST", f"{prefix}/W01", form,
                                               {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, body[:300]
        assert headers["Location"].startswith(f"{prefix}/W01/thanks")
        assert client_id in client_ids(site.center.db)


def test_an_indicator_through_nginx(site):
    client = Client(site)
    month = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m")
    status, _, _ = client.request("GET", f"/api/v1/indicators?period={month}")
    assert status == 401
    status, headers, body = client.request("GET", f"/api/v1/indicators?period={month}",
                                           headers={"Authorization": f"Bearer {site.api_key}"})
    assert status == 200, body[:300]
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)


def test_security_headers(site):
    client = Client(site)
    status, headers, _ = client.request("GET", "/kiosk/W01")
    assert status == 200
    # From nginx:
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["Server"] == "nginx", "server_tokens off: no version"
    # From Pingjia, passed through:
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    status, headers, _ = client.request("GET", "/static/css/pingjia.css")
    assert status == 200
    assert headers["Strict-Transport-Security"] and headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = json_post(client, "/api/v1/responses", {"window": "W01"})
    assert status == 422 and headers["Strict-Transport-Security"]


@pytest.mark.parametrize("path", ["/api/v1/responses", "/api/v1/responses/", "//api//v1/responses"])
def test_a_body_too_large_is_refused_by_nginx_in_the_api_shape(site, path):
    client = Client(site, source="127.0.3.1")
    status, headers, body = client.request("POST", path, "x" * 70_000, {"Content-Type": "application/json"})
    assert status == 413
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == "body_too_large"


def test_plain_http_is_redirected_to_https(site):
    connection = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=WAIT)
    connection.request("GET", "/kiosk/W01?lang=en", headers={"Host": HOST_NAME})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST_NAME}/kiosk/W01?lang=en"
    connection.close()


@pytest.mark.parametrize("path", ["/metrics", "//metrics", "/metrics/", "/%6Detrics", "/metrics?format=json"])
def test_metrics_are_refused_from_outside(site, path):
    status, _, _ = Client(site).request("GET", path)
    assert status == 403


def test_the_benchmark_route_is_never_public(site):
    status, _, _ = Client(site).request("GET", "/bench/noop")
    assert status == 404


def burst(client: Client, method: str, path: str, body: str, content_type: str, count: int = BURST + 60):
    results = []
    for _ in range(count):
        results.append(client.request(method, path, body, {"Content-Type": content_type}))
    return results


# Each case from its own client address, so each meets a full bucket of its own.
LIMITED = [
    ("/api/v1/responses", "api"), ("/api/v1/responses/", "api"), ("//api/v1/responses", "api"),
    ("/api//v1/responses", "api"), ("/api/v1/%72esponses", "api"),
    ("/kiosk/W01", "form"), ("/kiosk/W01/", "form"), ("/kiosk//W01", "form"), ("//kiosk/W01", "form"),
    ("/r/W01", "form"), ("/r/W01/", "form"), ("//r//W01", "form"), ("/kiosk/W01/thanks", "form"),
]


@pytest.mark.parametrize("index,path,kind", [(i, p, k) for i, (p, k) in enumerate(LIMITED)])
def test_a_burst_of_posts_is_limited_whatever_the_spelling_of_the_path(site, index, path, kind):
    client = Client(site, source=f"127.0.1.{10 + index}")
    if kind == "api":
        # Valid JSON that fails validation: refused by Pingjia with 422, nothing stored.
        results = burst(client, "POST", path, '{"attitude": 5}', "application/json")
    else:
        results = burst(client, "POST", path, "attitude=9", "application/x-www-form-urlencoded")
    statuses = [status for status, _, _ in results]
    limited = [result for result in results if result[0] == 429]
    assert limited, f"POST {path}: no 429 in {len(results)} requests at once: {sorted(set(statuses))}"
    # The burst itself passes: the first hundred and fifty are not limited.
    assert 429 not in statuses[:150], f"POST {path}: limited within the burst"
    status, headers, body = limited[-1]
    assert headers["Retry-After"]
    assert headers["Strict-Transport-Security"]
    if kind == "api":
        assert headers["Content-Type"].startswith("application/json")
        assert json.loads(body)["error"]["code"] == "rate_limited"
    else:
        assert headers["Content-Type"].startswith("text/plain")
        assert "Too many submissions" in body.decode()
    client.close()


def test_page_views_are_never_limited(site):
    client = Client(site, source="127.0.2.1")
    statuses = {client.request("GET", "/kiosk/W01")[0] for _ in range(BURST + 60)}
    assert statuses == {200}


# MARK: HTTP framing that nginx refuses before Pingjia sees it


def raw_exchange(site: Nginx, request: bytes) -> bytes:
    """Sends bytes as they are over TLS; what nginx answers (the first response)."""
    context = ssl.create_default_context(cafile=str(site.certificate))
    with socket.create_connection(("127.0.0.1", site.https_port), timeout=WAIT) as plain:
        with context.wrap_socket(plain, server_hostname=HOST_NAME) as tls:
            tls.sendall(request)
            received = b""
            while b"\r\n\r\n" not in received:
                chunk = tls.recv(65536)
                if not chunk:
                    break
                received += chunk
            return received


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def smuggling_body(client_id: str) -> bytes:
    return json.dumps(rating(client_id)).encode()


def chunked(body: bytes) -> bytes:
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)


# name: (HTTP version, extra header lines ({n}: the body's length), how the body is sent,
# nginx's status). Each is refused by nginx 1.22 itself, so Pingjia never sees it.
FRAMING = {
    "content-length and transfer-encoding": ("1.1", ["Content-Length: {n}", "Transfer-Encoding: chunked"], chunked, 400),
    "two content-lengths": ("1.1", ["Content-Length: {n}", "Content-Length: 5"], bytes, 400),
    "a transfer-encoding other than chunked": ("1.1", ["Transfer-Encoding: gzip, chunked"], chunked, 501),
    "a negative content-length": ("1.1", ["Content-Length: -1"], bytes, 400),
    "a header continued on the next line": ("1.1", ["Content-Length: {n}", " X-Folded: yes"], bytes, 400),
    "a space before the colon": ("1.1", ["Content-Length : {n}"], bytes, 400),
    "two hosts": ("1.1", ["Host: other.test", "Content-Length: {n}"], bytes, 400),
    "chunked in HTTP/1.0": ("1.0", ["Transfer-Encoding: chunked"], chunked, 400),
    "a carriage return inside a header value": ("1.1", ["X-Note: a\rContent-Length: 0", "Content-Length: {n}"], bytes, 400),
    "a bad chunk size": ("1.1", ["Transfer-Encoding: chunked"], lambda body: b"zz\r\n%s\r\n0\r\n\r\n" % body, 400),
}


def framed_request(version: str, header_lines: list[str], framing, body: bytes) -> bytes:
    head = f"POST /api/v1/responses HTTP/{version}\r\nHost: {HOST_NAME}\r\nContent-Type: application/json\r\n"
    head += "".join(line.format(n=len(body)) + "\r\n" for line in header_lines) + "\r\n"
    return head.encode() + framing(body)


@pytest.mark.parametrize("name", list(FRAMING))
def test_nginx_refuses_ambiguous_framing_before_pingjia_sees_it(site, name):
    client_id = f"framing-{uuid.uuid4().hex}"
    version, header_lines, framing, expected = FRAMING[name]
    answer = raw_exchange(site, framed_request(version, header_lines, framing, smuggling_body(client_id)))
    assert status_of(answer) == expected, answer[:300]
    assert client_id not in client_ids(site.center.db), f"{name}: the request reached Pingjia and was stored"


def test_a_chunked_body_reaches_pingjia_with_fresh_framing(site):
    """A well-formed chunked body is read whole by nginx and stored once."""
    client_id = f"chunked-{uuid.uuid4().hex}"
    body = smuggling_body(client_id)
    request = (b"POST /api/v1/responses HTTP/1.1\r\nHost: " + HOST_NAME.encode()
               + b"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
               + b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 7]), body[i:i + 7]) for i in range(0, len(body), 7))
               + b"0\r\n\r\n")
    answer = raw_exchange(site, request)
    assert status_of(answer) == 201, answer[:300]
    assert client_id in client_ids(site.center.db)


def test_nginx_forwards_fresh_framing_to_the_upstream(tmp_path):
    """What nginx sends upstream, recorded by a listening socket in Pingjia's place: the
    body with a Content-Length of its own (chunks and trailers gone), HTTP/1.1, headers
    with underscores dropped, X-Forwarded-For replaced, the client's Connection dropped."""
    import threading
    from nginx_site import Nginx

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    received: list[bytes] = []

    def record():
        connection, _ = listener.accept()
        connection.settimeout(WAIT)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 5:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
        received.append(data)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        connection.close()

    recorder = threading.Thread(target=record, daemon=True)
    recorder.start()
    nginx = Nginx(tmp_path / "nginx", upstream_port=listener.getsockname()[1])
    nginx.start()
    try:
        answer = raw_exchange(nginx, b"POST /api/v1/responses HTTP/1.1\r\nHost: " + HOST_NAME.encode()
                              + b"\r\nTransfer-Encoding: chunked\r\nX_Forwarded_For: 10.9.9.9\r\nX-Forwarded-For: 10.8.8.8"
                              + b"\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n\r\n"
                              + b"3\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n")
        recorder.join(WAIT)
    finally:
        nginx.stop()
        listener.close()
    assert status_of(answer) == 200, answer
    head, _, body = received[0].partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    assert lines[0] == "POST /api/v1/responses HTTP/1.1"
    assert headers["content-length"] == ["5"] and body == b"abcde"
    assert "transfer-encoding" not in headers and "x-trailer" not in headers
    assert "x_forwarded_for" not in headers
    assert headers["x-forwarded-for"] == ["127.0.0.1"]
    assert "connection" not in headers, "keep-alive to the upstream sends no Connection header"


def test_a_staff_session_through_nginx_has_a_secure_cookie(site):
    """Over TLS the nginx site sets X-Forwarded-Proto: https, so the session cookie is Secure;
    whatever a client sends in that header itself is replaced."""
    password = "nginx test password"
    done = subprocess.run(
        [str(PINGJIA_BIN), "user", "add", "nginxhead", "--role", "head", "--department", "SCJG",
         "--db", str(site.center.db), "--config", str(site.center.config)],
        input=password + "\n", capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 0, done.stderr
    client = Client(site)
    status, headers, body = json_post(client, "/api/v1/session", {"username": "nginxhead", "password": password},
                                      {"X-Forwarded-Proto": "http"})
    assert status == 200, body[:300]
    attributes = [part.strip() for part in headers["Set-Cookie"].split(";")]
    assert {"Secure", "HttpOnly", "SameSite=Strict", "Path=/"} <= set(attributes)
    status, _, body = client.request("GET", "/api/v1/session", headers={"Cookie": attributes[0]})
    assert status == 200
    assert json.loads(body)["user"]["username"] == "nginxhead"


def test_a_live_negative_reaches_the_dashboard_stream_through_nginx(site):
    """The staff's event stream passes nginx unbuffered (the answer says X-Accel-Buffering: no):
    a 差评 posted after the stream opened arrives while the stream stays open."""
    password = "nginx events password"
    done = subprocess.run(
        [str(PINGJIA_BIN), "user", "add", "nginxlive", "--role", "head", "--department", "SCJG",
         "--db", str(site.center.db), "--config", str(site.center.config)],
        input=password + "\n", capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 0, done.stderr
    client = Client(site)
    status, headers, body = json_post(client, "/api/v1/session", {"username": "nginxlive", "password": password})
    assert status == 200, body[:300]
    cookie = headers["Set-Cookie"].split(";")[0]
    with TLSEventStream(site, "/staff/events", cookie) as stream:
        stream.until(b"id: ")
        assert stream.received.startswith(b"HTTP/1.1 200"), stream.received[:300]
        stream.until(b"\n\n")
        stored = rating(window="W02") | {"attitude": 1, "efficiency": 2, "result": 2, "reasons": ["态度差"],
                                          "comment": "经由 nginx 的差评"}
        status, _, body = json_post(Client(site, source="127.0.0.5"), "/api/v1/responses", stored)
        assert status == 201, body[:300]
        stream.until("经由 nginx 的差评".encode())
        assert f"id: {json.loads(body)['id']}\nevent: negative".encode() in stream.received


def test_a_visit_reaches_the_kiosk_stream_through_nginx(site):
    """The kiosk's visit stream passes nginx unbuffered too: a visit recorded after the
    paired tablet's stream opened arrives while the stream stays open."""
    code = site.center.cli("device", "pair", "--window", "W05").strip().splitlines()[-1]
    key = site.center.cli("apikey", "create", "--name", "queue", "--scope", "visits:write").strip().splitlines()[-1]
    client = Client(site, source="127.0.0.6")
    status, headers, _ = client.request("POST", "/kiosk/pair", f"code={code}", {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303
    cookie = headers["Set-Cookie"].split(";")[0]
    with TLSEventStream(site, "/kiosk/W05/visits/events", cookie) as stream:
        stream.until(b"id: 0\n\n")
        assert stream.received.startswith(b"HTTP/1.1 200"), stream.received[:300]
        status, _, body = json_post(client, "/api/v1/visits", {"ticket": "N-1", "window": "W05"}, {"Authorization": f"Bearer {key}"})
        assert status == 201, body[:300]
        stream.until(b'"ticket":"N-1"')
        assert f"id: {json.loads(body)['id']}\nevent: visit".encode() in stream.received


class TLSEventStream:
    """A server-sent-event stream through nginx over TLS, as EventSource opens it; `received`
    is everything read so far, head included."""

    def __init__(self, site: Nginx, path: str, cookie: str):
        self.site, self.path, self.cookie = site, path, cookie
        self.received = b""

    def __enter__(self) -> "TLSEventStream":
        context = ssl.create_default_context(cafile=str(self.site.certificate))
        self.plain = socket.create_connection(("127.0.0.1", self.site.https_port), timeout=WAIT)
        self.tls = context.wrap_socket(self.plain, server_hostname=HOST_NAME)
        self.tls.sendall((f"GET {self.path} HTTP/1.1\r\nHost: {HOST_NAME}\r\nAccept: text/event-stream\r\n"
                          f"Cookie: {self.cookie}\r\n\r\n").encode())
        return self

    def until(self, marker: bytes) -> None:
        while marker not in self.received:
            chunk = self.tls.recv(65536)
            assert chunk, f"the stream closed before {marker!r}: {self.received[-300:]!r}"
            self.received += chunk

    def __exit__(self, *exception) -> None:
        self.tls.close()
        self.plain.close()
