"""A full disk: what was acknowledged stays, what cannot be stored is refused with a clear
503, and the service comes back by itself once there is room again."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from pingjia_center import WAIT, Rater, client_ids, make_center, rating

# Room for the demo center (about 0.5 MB with its WAL) and a little more.
SIZE = "6m"


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of SIZE mounted on a fresh folder (needs root; CI runs as root)."""
    mountpoint = tmp_path / "small"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(mountpoint)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root and mount rights): {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def fill(folder: Path, leave: int) -> Path:
    """Writes a file until the file system is full, then gives back `leave` bytes; the file."""
    filler = folder / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as file:
        while True:
            try:
                file.write(chunk)
            except OSError:
                break
        # Byte by byte, the last partial block too.
        while True:
            try:
                file.write(b"\0")
            except OSError:
                break
        file.truncate(max(0, file.tell() - leave))
    return filler


def test_a_full_disk_refuses_clearly_keeps_what_was_acknowledged_and_recovers(small_disk):
    center = make_center(small_disk / "center")
    center.start()
    acknowledged: set[str] = set()
    rater = Rater(center.port)
    try:
        for i in range(50):
            status, _, text = rater.post(rating(f"before-{i:04d}"))
            assert status == 201, text
            acknowledged.add(f"before-{i:04d}")

        # Room for a few dozen more ratings; then the WAL cannot grow any more.
        filler = fill(small_disk, leave=256 * 1024)

        # Rate until the store has refused many in a row.
        refusals = []
        in_a_row = 0
        for i in range(20000):
            client_id = f"full-{i:05d}"
            language = "en" if i % 2 else "zh-CN"
            status, headers, text = rater.post(rating(client_id), headers={"Accept-Language": language})
            if status == 201:
                acknowledged.add(client_id)
                in_a_row = 0
                continue
            assert status == 503, f"a full disk answered {status}: {text}"
            refusals.append((language, headers, text))
            in_a_row += 1
            if in_a_row >= 30:
                break
        assert in_a_row >= 30, f"the disk never filled: {len(acknowledged)} stored"
        assert any(client_id.startswith("full-") for client_id in acknowledged), "the disk was full before rating began"
        for language, headers, text in refusals[-4:]:
            assert headers.get("Content-Type", "").startswith("application/json"), headers
            assert '"code":"not_stored"' in text.replace(" ", ""), text
            assert headers.get("Retry-After"), "a 503 says when to retry"
            expected = "could not be stored" if language == "en" else "无法保存"
            assert expected in text, text

        # A kiosk's form post is refused with the form again, not a thank-you.
        status, _ = post_form(center.port, "/kiosk/W01")
        assert status == 503

        # Room again: the service resumes by itself, no restart.
        filler.unlink()
        resumed = None
        deadline = time.monotonic() + WAIT
        i = 0
        while resumed is None and time.monotonic() < deadline:
            client_id = f"after-{i:05d}"
            status, _, text = rater.post(rating(client_id))
            if status == 201:
                acknowledged.add(client_id)
                resumed = i
            else:
                assert status == 503, text
                time.sleep(0.05)
            i += 1
        assert resumed is not None, "the service did not resume after space was freed"
        for j in range(200):
            client_id = f"again-{j:05d}"
            status, _, text = rater.post(rating(client_id))
            assert status == 201, f"after recovery, rating {j} answered {status}: {text}"
            acknowledged.add(client_id)
    finally:
        rater.close()
        status = center.stop()
    assert status == 0, f"pingjia serve exited {status}\n{center.stderr()}"

    missing = acknowledged - client_ids(center.db)
    assert not missing, f"{len(missing)} acknowledged ratings are gone: {sorted(missing)[:5]}"
    verified = center.try_cli("verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    integrity = subprocess.run(["sqlite3", str(center.db), "PRAGMA integrity_check"], capture_output=True, text=True)
    assert integrity.stdout.strip() == "ok", integrity.stdout + integrity.stderr


def post_form(port: int, path: str) -> tuple[int, str]:
    import http.client
    import re
    import urllib.parse
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        # The form's client id is signed by the server: take it from the page, as a browser does.
        connection.request("GET", path)
        page = connection.getresponse().read().decode("utf-8")
        client_id = re.search(r'name="client_id" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"attitude": "5", "efficiency": "5", "result": "5", "client_id": client_id})
        connection.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_batches_that_fail_on_a_full_disk_lose_nothing_acknowledged(small_disk):
    """Several raters at once, so whole group-commit batches fail together and recover."""
    from pingjia_center import Load

    center = make_center(small_disk / "center")
    center.start()
    try:
        filler = fill(small_disk, leave=512 * 1024)
        load = Load(center.port, threads=6).start()
        try:
            deadline = time.monotonic() + WAIT
            while len(load.refused) < 200:
                assert not load.errors, load.errors
                assert time.monotonic() < deadline, f"no refusals: {load.count()} stored"
                time.sleep(0.01)
            filler.unlink()
            stored_when_freed = load.count()
            load.wait_for(stored_when_freed + 500)
        finally:
            load.stop()
        assert {status for status, _ in load.refused} == {503}, load.refused[:3]
        assert all("not_stored" in text for _, text in load.refused)
    finally:
        status = center.stop()
    assert status == 0, center.stderr()
    acknowledged = {client_id for client_id, _ in load.acknowledged}
    missing = acknowledged - client_ids(center.db)
    assert not missing, f"{len(missing)} acknowledged ratings are gone"
    assert center.try_cli("verify").returncode == 0


def test_the_server_stops_cleanly_while_the_disk_is_still_full(small_disk):
    """SIGTERM on a full disk: the shutdown lines cannot be written to a log file on that
    disk, which must not crash the server; what was acknowledged is all there."""
    center = make_center(small_disk / "center")  # serve.stderr is on the small disk too
    center.start()
    rater = Rater(center.port)
    acknowledged = set()
    try:
        fill(small_disk, leave=128 * 1024)
        for i in range(20000):
            status, _, text = rater.post(rating(f"stop-{i:05d}"))
            if status == 503:
                break
            assert status == 201, text
            acknowledged.add(f"stop-{i:05d}")
        else:
            pytest.fail("the disk never filled")
    finally:
        rater.close()
        status = center.stop()
    assert status == 0, f"pingjia serve exited {status} on SIGTERM with the disk full"
    for filler in small_disk.glob("filler"):
        filler.unlink()
    missing = acknowledged - client_ids(center.db)
    assert not missing, f"{len(missing)} acknowledged ratings are gone"
    assert center.try_cli("verify").returncode == 0
