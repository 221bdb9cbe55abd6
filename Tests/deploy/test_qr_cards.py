"""The printed QR cards work: the A4 sheet, rendered to PDF by headless Chromium and turned
into images by pdftoppm, holds one code per window, zbarimg reads every one, and each code
opens its window's phone page with a valid signed link, whose ratings count as `qr`."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pingjia_center import WAIT, make_center  # noqa: E402
from qr_sheet import TOKEN_QUERY, TOOLS_MISSING, by_window, decode_pdf  # noqa: E402

CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if Path(p).exists()), None)


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    center = make_center(tmp_path_factory.mktemp("qr"), days=1)
    center.start()
    # The CLI prints links to the address phones reach, which only the running server knows here.
    configuration = json.loads(center.config.read_text())
    configuration.setdefault("server", {})["public_base_url"] = f"http://127.0.0.1:{center.port}"
    center.config.write_text(json.dumps(configuration, ensure_ascii=False))
    yield center
    center.stop()


def get(port: int, target: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def post_form(port: int, target: str, fields: dict) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        connection.request("POST", target, body=urllib.parse.urlencode(fields),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def client_id(page: str) -> str:
    return re.search(r'name="client_id" value="([^"]+)"', page).group(1)


def channel_of(center, client: str) -> str | None:
    with sqlite3.connect(center.db) as db:
        row = db.execute("SELECT channel FROM response WHERE client_id = ?", (client,)).fetchone()
    return row[0] if row else None


@pytest.mark.skipif(CHROMIUM is None or TOOLS_MISSING,
                    reason="needs chromium, pdftoppm (poppler-utils) and zbarimg (zbar-tools)")
def test_every_printed_code_opens_its_windows_phone_page(center, tmp_path):
    sheet = tmp_path / "cards.html"
    center.cli("qr", "print", "--out", str(sheet))
    pdf = tmp_path / "cards.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                    f"--print-to-pdf={pdf}", sheet.as_uri()],
                   check=True, capture_output=True, timeout=120)
    decoded = decode_pdf(pdf, tmp_path)
    windows = [f"W{n:02d}" for n in range(1, 21)]
    links = by_window(decoded)
    assert sorted(links) == windows, decoded
    assert len(decoded) == len(windows), "each window's card is printed once"

    for window, url in links.items():
        parts = urllib.parse.urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("http", f"127.0.0.1:{center.port}")
        assert TOKEN_QUERY.fullmatch(parts.query), url
        status, page = get(center.port, f"{parts.path}?{parts.query}")
        assert status == 200, (window, page[:300])
        assert f"/r/{window}?{parts.query}" in page, "the form keeps the signed link"

    # A rating through a printed code counts as coming through the window's card.
    parts = urllib.parse.urlsplit(links["W03"])
    _, page = get(center.port, f"{parts.path}?{parts.query}")
    cid = client_id(page)
    status, _ = post_form(center.port, f"{parts.path}?{parts.query}",
                          {"client_id": cid, "attitude": "5", "efficiency": "5", "result": "4"})
    assert status == 303
    assert channel_of(center, cid) == "qr"


def test_a_window_url_and_its_images(center, tmp_path):
    url = center.cli("qr", "url", "W05").strip()
    assert re.fullmatch(rf"http://127\.0\.0\.1:{center.port}/r/W05\?t=k\d+\.[0-9a-f]{{32}}", url), url
    png = tmp_path / "w05.png"
    center.cli("qr", "image", "W05", "--out", str(png))
    if shutil.which("zbarimg"):
        done = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=60)
        assert done.stdout.strip() == url
    svg = tmp_path / "w05.svg"
    center.cli("qr", "image", "W05", "--out", str(svg))
    assert svg.read_text().startswith("<svg ")
    refused = center.try_cli("qr", "url", "W99")
    assert refused.returncode != 0 and "W99" in refused.stderr
