"""A year of 300,000 responses exported as CSV by the real `pingjia serve`: every row
arrives, and the server's memory grows by far less than the export's size, because the
export is streamed one page of rows at a time instead of being built in memory.

Memory is read from /proc/PID/status: VmRSS before the export, VmHWM (the peak) after.
"""

from __future__ import annotations

import http.client
import random
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pingjia_process import REPO, WAIT, PingjiaProcess  # noqa: E402

ROWS = 300_000
# A generous bound: the CSV is about 30 MB, and building it in memory would take several
# times that. This is a bound on bytes, not a time.
MAX_GROWTH_KB = 64 * 1024
COMMENTS = ["工作人员态度很好", "等候时间太长，希望增加窗口", "办事效率高", "材料要求没有一次讲清楚", "Quick, friendly \"staff\""]


def kilobytes(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


@pytest.fixture(scope="module")
def exporting(tmp_path_factory):
    server = PingjiaProcess(tmp_path_factory.mktemp("pingjia-export"), {
        "server": {"openapi_path": str(REPO / "docs" / "openapi.json"), "static_root": str(REPO / "Public")},
    })
    server.cli("migrate")
    server.cli("demo", "--days", "1")
    key = server.cli("apikey", "create", "--name", "export", "--scope", "feedback:read").strip().splitlines()[-1]
    # A year of rows written straight into the table (the comment index's trigger fills the
    # search index as the server's inserts would); the rollups are not needed for an export.
    database = sqlite3.connect(server.db)
    windows = database.execute("SELECT id, department_id FROM service_window").fetchall()
    start = 1_767_196_800_000  # 2026-01-01T00:00:00+08:00
    generator = random.Random(6)

    def rows():
        for index in range(ROWS):
            window, department = windows[index % len(windows)]
            levels = [generator.choice((1, 2, 3, 4, 5, 5, 5)) for _ in range(3)]
            created = start + index * 105_000  # one every 105 s: 365 days
            comment = COMMENTS[index % len(COMMENTS)] if index % 5 == 0 else None
            yield (f"export-{index}", window, department, "kiosk", *levels, int(min(levels) <= 2), comment,
                   created, (created + 8 * 3_600_000) // 86_400_000)

    with database:
        database.executemany("""
            INSERT INTO response (client_id, window_id, department_id, channel, attitude, efficiency, result,
                                  is_negative, comment, created_at, local_day)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
    total = database.execute("SELECT count(*) FROM response").fetchone()[0]
    database.close()
    server.start()
    yield server, key, total
    assert server.stop() == 0, server.stderr()


def test_a_year_of_300k_rows_streams_with_bounded_memory(exporting):
    server, key, total = exporting
    pid = server.process.pid
    headers = {"Authorization": f"Bearer {key}", "Accept": "text/csv"}

    # Warm up the export's code and a reader connection, so the baseline includes them.
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    connection.request("GET", "/api/v1/feedback?period=2000-01", headers=headers)
    warm = connection.getresponse()
    assert warm.status == 200 and warm.read() == "\ufeff".encode() + b"id,created_at,local_day,department,window,service_item,staff,channel,attitude,efficiency,result,negative,status,comment,reasons,provenance,flag_rule\r\n"
    connection.close()
    baseline = kilobytes(pid, "VmRSS")

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    connection.request("GET", "/api/v1/feedback", headers=headers)
    reply = connection.getresponse()
    assert reply.status == 200
    assert reply.getheader("Transfer-Encoding") == "chunked"
    lines = size = 0
    first = b""
    while True:
        piece = reply.read(1 << 16)
        if not piece:
            break
        if not first:
            first = piece[:3]
        size += len(piece)
        lines += piece.count(b"\n")  # a CRLF may straddle two reads
    connection.close()
    peak = kilobytes(pid, "VmHWM")

    assert first == b"\xef\xbb\xbf"
    assert lines == total + 1, "the header and every stored row, once"
    assert size > 20 * 1024 * 1024, f"an export of {size} bytes"
    growth = peak - baseline
    print(f"\nexported {total} rows, {size / 1e6:.1f} MB; RSS before {baseline / 1024:.1f} MB, "
          f"peak after {peak / 1024:.1f} MB, growth {growth / 1024:.1f} MB")
    assert growth < MAX_GROWTH_KB, f"the server's memory grew by {growth} kB for a {size}-byte export"
