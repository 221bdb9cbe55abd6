"""`pingjia backup` and `pingjia restore` against the real server under load."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import time
from pathlib import Path

from pingjia_center import Load, Rater, client_ids, make_center, rating
from pingjia_process import PINGJIA_BIN, START_WAIT


def run(center, *arguments: str):
    return center.try_cli(*arguments)


def database_files(database: Path) -> dict[str, str]:
    """The database, its -wal and -shm: name → SHA-256, for 'nothing changed' checks. (The
    empty lock file a restore creates is not part of the database.)"""
    files = {}
    for path in sorted(database.parent.glob(database.name + "*")):
        if path.is_file() and not path.name.endswith(".lock"):
            files[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def test_backup_under_load_holds_every_rating_acknowledged_before_it(tmp_path):
    center = make_center(tmp_path / "live")
    center.start()
    load = Load(center.port, threads=4).start()
    try:
        load.wait_for(300)
        started = time.monotonic()
        copy = tmp_path / "copy.sqlite"
        done = run(center, "backup", "--to", str(copy))
        after_backup = load.count()
        # Ratings keep pouring in after the copy too, so the server was under load throughout.
        load.wait_for(after_backup + 200)
    finally:
        load.stop()
    assert done.returncode == 0, f"backup failed:\n{done.stdout}\n{done.stderr}"
    assert "integrity ok" in done.stdout
    assert oct(copy.stat().st_mode & 0o777) == "0o600", "the copy holds comments: it must be private"
    before = {client_id for client_id, at in load.acknowledged if at < started}
    assert len(before) >= 300
    assert not load.refused, f"ratings were refused during the backup: {load.refused[:3]}"

    # A restore into a fresh place holds every rating acknowledged before the backup began.
    fresh = make_center_path(tmp_path / "fresh")
    restored = cli_on(center, fresh, "restore", str(copy))
    assert restored.returncode == 0, f"restore failed:\n{restored.stdout}\n{restored.stderr}"
    assert "rollups verified" in restored.stdout
    missing = before - client_ids(fresh)
    assert not missing, f"{len(missing)} ratings acknowledged before the backup are not in the copy: {sorted(missing)[:5]}"
    assert not list(fresh.parent.glob("*.restoring*")), "the staged copy was left behind"
    verified = cli_on(center, fresh, "verify")
    assert verified.returncode == 0, f"verify of the restored copy failed:\n{verified.stdout}\n{verified.stderr}"

    # The live database lost nothing either.
    assert center.stop() == 0, center.stderr()
    live = client_ids(center.db)
    assert not {client_id for client_id, _ in load.acknowledged} - live


def make_center_path(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return folder / "pingjia.sqlite"


def cli_on(center, database: Path, *arguments: str):
    """Runs a pingjia command with the center's configuration on another database file."""
    return subprocess.run([str(PINGJIA_BIN), *arguments, "--db", str(database), "--config", str(center.config)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=START_WAIT)


def test_restore_is_refused_while_the_server_runs(tmp_path):
    center = make_center(tmp_path / "live")
    copy = tmp_path / "copy.sqlite"
    assert run(center, "backup", "--to", str(copy)).returncode == 0
    center.start()
    try:
        before = database_files(center.db)
        refused = run(center, "restore", str(copy))
        assert refused.returncode != 0
        assert "in use by a running pingjia serve" in refused.stderr, refused.stderr
        assert not list(center.db.parent.glob("*.before-restore-*")), "a refused restore moved the database"
        assert not list(center.db.parent.glob("*.restoring*"))
        # The server still answers and stores.
        status, _, text = Rater(center.port).post(rating())
        assert status == 201, text
        assert database_files(center.db).keys() == before.keys()
    finally:
        assert center.stop() == 0, center.stderr()
    # Stopped, the same restore goes through, and keeps the replaced database aside.
    done = run(center, "restore", str(copy))
    assert done.returncode == 0, done.stderr
    aside = list(center.db.parent.glob("pingjia.sqlite.before-restore-*"))
    assert len(aside) == 1 and (aside[0] / "pingjia.sqlite").is_file()
    assert not (center.db.parent / "pingjia.sqlite-wal").exists(), "the replaced database's log was left beside the new one"


def test_a_second_server_on_the_same_database_is_refused(tmp_path):
    center = make_center(tmp_path / "live")
    center.start()
    try:
        second = run(center, "serve", "--port", "0")
        assert second.returncode != 0
        assert "in use" in second.stderr
    finally:
        assert center.stop() == 0, center.stderr()


def corrupt_pages(path: Path) -> None:
    """Overwrites a run of pages in the middle of the file with garbage."""
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle:middle + 3 * page] = bytes((i * 131 + 7) % 256 for i in range(3 * page))
    path.write_bytes(bytes(data))


def test_a_damaged_copy_is_refused_and_the_live_database_untouched(tmp_path):
    center = make_center(tmp_path / "live")
    copy = tmp_path / "copy.sqlite"
    assert run(center, "backup", "--to", str(copy)).returncode == 0

    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(copy.read_bytes())
    corrupt_pages(corrupt)
    skewed = tmp_path / "skewed.sqlite"
    skewed.write_bytes(copy.read_bytes())
    connection = sqlite3.connect(skewed)
    with connection:
        connection.execute("UPDATE rollup_detail_day SET n = n + 1 WHERE local_day = (SELECT min(local_day) FROM rollup_detail_day)")
    connection.close()
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("这不是数据库 not a database\n" * 200)
    empty_sqlite = tmp_path / "other.sqlite"
    sqlite3.connect(empty_sqlite).execute("CREATE TABLE t (x)").connection.close()

    count_before = len(client_ids(center.db))
    before = database_files(center.db)
    for bad, expected in [(corrupt, "failed these checks"), (skewed, "rollups do not match"),
                          (not_a_database, "cannot be read as an SQLite database"),
                          (empty_sqlite, "not a Pingjia database")]:
        refused = run(center, "restore", str(bad))
        assert refused.returncode != 0, f"{bad.name} was restored"
        assert expected in refused.stderr, refused.stderr
        assert "nothing was changed" in refused.stderr
        assert database_files(center.db) == before, f"restoring {bad.name} changed the live database"
        assert not list(center.db.parent.glob("*.before-restore-*"))
        assert not list(center.db.parent.glob("*.restoring*"))
    assert len(client_ids(center.db)) == count_before
    assert run(center, "verify").returncode == 0


def test_backup_to_a_folder_keeps_the_newest_copies(tmp_path):
    center = make_center(tmp_path / "live")
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a copy")
    for _ in range(4):
        done = run(center, "backup", "--to-dir", str(folder), "--keep", "2")
        assert done.returncode == 0, done.stderr
    copies = sorted(p.name for p in folder.glob("pingjia-*.sqlite"))
    assert len(copies) == 2, copies
    assert (folder / "notes.txt").exists()
    missing = run(center, "backup", "--to-dir", str(tmp_path / "nowhere"))
    assert missing.returncode != 0 and "does not exist" in missing.stderr


def test_the_replaced_database_is_kept_whole_even_after_a_crash(tmp_path):
    """A server killed with SIGKILL leaves committed ratings in the -wal only; restore keeps
    that log with the old file in the before-restore folder, and never beside the new one."""
    center = make_center(tmp_path / "live")
    copy = tmp_path / "copy.sqlite"
    assert run(center, "backup", "--to", str(copy)).returncode == 0
    center.start()
    rater = Rater(center.port)
    later = [f"after-copy-{i:03d}" for i in range(30)]
    for client_id in later:
        status, _, text = rater.post(rating(client_id))
        assert status == 201, text
    rater.close()
    center.process.kill()
    center.process.wait()
    assert (center.db.parent / "pingjia.sqlite-wal").stat().st_size > 0

    done = run(center, "restore", str(copy))
    assert done.returncode == 0, done.stderr
    assert not (center.db.parent / "pingjia.sqlite-wal").exists()
    assert not set(later) & client_ids(center.db), "the copy predates these ratings"
    [aside] = center.db.parent.glob("pingjia.sqlite.before-restore-*")
    assert (aside / "pingjia.sqlite-wal").exists()
    assert set(later) <= client_ids(aside / "pingjia.sqlite"), "the kept database lost its last ratings"
