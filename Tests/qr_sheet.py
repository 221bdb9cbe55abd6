"""Reading back a printed sheet of QR cards: the PDF turned into page images by pdftoppm
(poppler-utils), and every code on them decoded by zbarimg (zbar-tools). Shared by the
test of `pingjia qr print` (Tests/deploy) and of the admins' print page (Tests/browser)."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

# A window link's token: the key's id and the HMAC, as `WindowLinks` writes it.
TOKEN_QUERY = re.compile(r"t=k\d+\.[0-9a-f]{32}")
TOOLS_MISSING = shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None


def decode_pdf(pdf: Path, workdir: Path, resolutions: tuple[int, ...] = (150, 300)) -> list[str]:
    """Every QR code's text on every page of `pdf`, page by page, each once.

    zbar now and then misses one code of a page at one resolution and finds it at another,
    as a phone's camera would on a second try: the pages are read at each resolution."""
    decoded: list[str] = []
    for resolution in resolutions:
        prefix = workdir / f"page-{resolution}"
        subprocess.run(["pdftoppm", "-r", str(resolution), "-png", str(pdf), str(prefix)], check=True, timeout=120)
        pages = sorted(workdir.glob(f"page-{resolution}*.png"))
        assert pages, "the PDF has no pages"
        for page in pages:
            done = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, timeout=60)
            decoded += [line for line in done.stdout.splitlines() if line and line not in decoded]
    return decoded


def by_window(urls: list[str]) -> dict[str, str]:
    """The decoded links by the window code that ends their path (`/r/W03`)."""
    return {urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]: url for url in urls}
