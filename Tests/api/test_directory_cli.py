"""`pingjia department|window|item|staff …` and `pingjia directory export|import` on a real
database: each command with its refusals and exit statuses, the audit rows, the dry run
that changes nothing, and export → import round trips in JSON and CSV.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from api_http import OPENAPI_PATH, REPO
from pingjia_process import PingjiaProcess


@pytest.fixture()
def center(tmp_path):
    center = PingjiaProcess(tmp_path, {"server": {"openapi_path": str(OPENAPI_PATH), "static_root": str(REPO / "Public")}})
    center.cli("migrate")
    center.cli("department", "add", "SPK", "--name", "审批科")
    center.cli("department", "add", "SWK", "--name", "税务科")
    center.cli("window", "add", "W1", "--name", "1号窗口", "--department", "SPK")
    center.cli("window", "add", "W2", "--name", "2号窗口", "--department", "SWK")
    center.cli("item", "add", "I1", "--name", "营业执照", "--department", "SPK")
    center.cli("staff", "add", "S1", "--name", "张一", "--department", "SPK", "--window", "W1")
    return center


def export(center, form: str) -> str:
    return center.cli("directory", "export", "--format", form)


def audit_actions(center) -> list[str]:
    with sqlite3.connect(center.db) as db:
        return [row[0] for row in db.execute("SELECT action FROM audit_log ORDER BY id")]


def test_each_command_changes_one_record_and_is_audited(center):
    assert audit_actions(center) == ["department.add", "department.add", "window.add", "window.add", "item.add", "staff.add"]
    assert "renamed" in center.cli("window", "edit", "W1", "--name", "综合窗口")
    assert "moved" in center.cli("window", "edit", "W2", "--department", "SPK")
    assert "recoded" in center.cli("item", "edit", "I1", "--code", "I-01")
    assert "window" in center.cli("staff", "edit", "S1", "--window", "")
    assert "deactivated" in center.cli("staff", "deactivate", "S1")
    assert "already deactivated" in center.cli("staff", "deactivate", "S1")
    listed = center.cli("window", "list").splitlines()
    assert listed == ["W1\t综合窗口\tSPK\tactive", "W2\t2号窗口\tSPK\tactive"]
    with sqlite3.connect(center.db) as db:
        actor, before, after = db.execute(
            "SELECT actor, before_json, after_json FROM audit_log WHERE action = 'window.edit' ORDER BY id LIMIT 1").fetchone()
    assert actor.startswith("cli:")
    assert json.loads(before)["name"] == "1号窗口" and json.loads(after)["name"] == "综合窗口"


@pytest.mark.parametrize("arguments, message", [
    (("window", "add", "W 3", "--name", "x", "--department", "SPK"), "The window code “W 3” is invalid"),
    (("window", "add", "W3", "--name", "x", "--department", "NOPE"), "No department has the code “NOPE”."),
    (("window", "add", "w1", "--name", "x", "--department", "SPK"), "A window with the code “w1” exists already"),
    (("window", "edit", "W9", "--name", "x"), "No window has the code “W9”."),
    (("department", "deactivate", "SPK"), "still has 3 active windows, service items or staff"),
    (("staff", "edit", "S1", "--window", "W2"), "The window “W2” is not in the department “SPK”."),
])
def test_refused_commands_exit_1_with_the_reason_in_both_languages(center, arguments, message):
    before = export(center, "json")
    done = center.try_cli(*arguments)
    assert done.returncode == 1, done
    assert message in done.stderr
    assert "：" in done.stderr or "。" in done.stderr  # the Chinese wording comes first
    assert export(center, "json") == before


def test_usage_errors_exit_64(center):
    assert center.try_cli("window", "add", "W3", "--name", "x").returncode == 64  # no --department
    assert center.try_cli("department", "add", "D1", "--name", "x", "--department", "SPK").returncode == 64
    assert center.try_cli("window", "edit", "W1").returncode == 64  # nothing to change


@pytest.mark.parametrize("form", ["json", "csv"])
def test_export_then_import_is_a_round_trip(center, tmp_path, form):
    file = tmp_path / f"directory.{form}"
    center.cli("directory", "export", "--out", str(file))
    assert center.cli("directory", "import", str(file)).startswith("No changes")
    text = file.read_text(encoding="utf-8")
    if form == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["kind", "code", "name", "department", "window", "active"]
        assert ["staff", "S1", "张一", "SPK", "W1", "true"] in rows
    else:
        assert json.loads(text)["staff"] == [{"code": "S1", "name": "张一", "department": "SPK", "window": "W1", "active": True}]
    assert export(center, form) == text


def test_a_center_set_up_from_a_spreadsheet_with_a_dry_run_first(center, tmp_path):
    sheet = tmp_path / "center.csv"
    sheet.write_text(
        "\ufeffkind,code,name,department,window,active\r\n"
        "department,SPK,审批科,,,true\r\n"
        "department,SWK,税务科,,,false\r\n"
        "department,GAJ,\"公安局, 出入境\",,,yes\r\n"
        "window,W1,1号窗口,SPK,,true\r\n"
        "window,W2,2号窗口,GAJ,,true\r\n"
        "window,W3,3号窗口,GAJ,,true\r\n"
        "item,I1,营业执照办理,SPK,,true\r\n"
        "staff,S1,张一,SPK,W1,true\r\n"
        "staff,S2,李二,GAJ,W3,true\r\n",
        encoding="utf-8")
    before = export(center, "json")
    dry = center.cli("directory", "import", str(sheet), "--dry-run")
    assert dry.splitlines() == [
        "Would change 6 record(s); nothing was changed:",
        "  department GAJ: added (公安局, 出入境)",
        "  window W2: moved (SWK → GAJ)",
        "  window W3: added (3号窗口; GAJ)",
        "  item I1: renamed (营业执照 → 营业执照办理)",
        "  staff S2: added (李二; GAJ)",
        "  department SWK: deactivated",
    ]
    assert export(center, "json") == before
    done = center.cli("directory", "import", str(sheet))
    assert done.startswith("Changed 6 record(s):")
    after = json.loads(export(center, "json"))
    assert {"code": "W2", "name": "2号窗口", "department": "GAJ", "active": True} in after["windows"]
    assert {"code": "SWK", "name": "税务科", "active": False} in after["departments"]
    assert audit_actions(center).count("department.deactivate") == 1


def test_a_bad_import_names_each_problem_by_line_and_field_and_changes_nothing(center, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "kind,code,name,department,window,active\n"
        "department,SPK,审批科,,,true\n"
        "window,W1,1号窗口,SPK,,true\n"
        "window,W4,,SPK,,true\n"
        "window,W 2,2号窗口,SPK,,true\n"
        "window,W3,3号窗口,NOPE,,true\n"
        "desk,D1,x,,,true\n"
        "item,I1,营业执照,SPK,,maybe\n"
        "staff,S1,张一,SPK,W9,true\n"
        "window,w1,重复,SPK,,true\n",
        encoding="utf-8")
    before = export(center, "json")
    done = center.try_cli("directory", "import", str(sheet))
    assert done.returncode == 65, done
    for expected in [
        "line 4, name: The window’s name must not be empty.",
        "line 5, code: The window code “W 2” is invalid",
        "line 6, department: No department has the code “NOPE”.",
        "line 7, kind: “desk” is not a kind of record",
        "line 8, active: “maybe” is not a valid active flag",
        "line 9, window: No active window has the code “W9”.",
        "line 10, code: A window with the code “w1” exists already",
    ]:
        assert expected in done.stderr, done.stderr
    assert "Nothing was imported: 7 problem(s)." in done.stderr
    assert export(center, "json") == before

    broken = tmp_path / "broken.json"
    broken.write_text('{"windows": [{"code": "W1", "name": 3, "department": "SPK"}], "departments": 1}', encoding="utf-8")
    done = center.try_cli("directory", "import", str(broken), "--dry-run")
    assert done.returncode == 65
    assert "windows[0], name: name must be text." in done.stderr
    assert "departments: This is not a valid directory JSON document." in done.stderr
