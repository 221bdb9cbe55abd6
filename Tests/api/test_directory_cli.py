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
    assert listed == ["W1\t综合窗口\t-\tSPK\tactive", "W2\t2号窗口\t-\tSPK\tactive"]
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
        assert rows[0] == ["kind", "code", "name", "name_en", "department", "window", "active"]
        assert ["staff", "S1", "张一", "", "SPK", "W1", "true"] in rows
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
    assert {"code": "W2", "name": "2号窗口", "name_en": None, "department": "GAJ", "active": True} in after["windows"]
    assert {"code": "SWK", "name": "税务科", "name_en": None, "active": False} in after["departments"]
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


def test_english_names_are_set_listed_and_cleared_on_the_command_line(center):
    assert "translated" in center.cli("window", "edit", "W1", "--name-en", "  Window 1 ")
    assert center.cli("window", "list").splitlines()[0] == "W1\t1号窗口\tWindow 1\tSPK\tactive"
    added = center.cli("item", "add", "I2", "--name", "税务登记", "--name-en", "Tax registration", "--department", "SWK")
    assert "Tax registration" in added
    with sqlite3.connect(center.db) as db:
        before, after = db.execute(
            "SELECT before_json, after_json FROM audit_log WHERE action = 'window.edit' ORDER BY id DESC LIMIT 1").fetchone()
    assert json.loads(before)["name_en"] is None and json.loads(after)["name_en"] == "Window 1"
    assert "translated" in center.cli("window", "edit", "W1", "--clear-name-en")
    assert center.cli("window", "list").splitlines()[0] == "W1\t1号窗口\t-\tSPK\tactive"
    assert "translated" in center.cli("item", "edit", "I2", "--name-en", "")
    assert json.loads(export(center, "json"))["items"][1]["name_en"] is None

    too_long = center.try_cli("window", "edit", "W1", "--name-en", "x" * 65)
    assert too_long.returncode == 1
    assert "The window’s English name may have at most 64 characters." in too_long.stderr
    assert "窗口英文名称最多 64 个字符。" in too_long.stderr
    assert center.try_cli("staff", "edit", "S1", "--name-en", "Zhang Yi").returncode == 64
    assert center.try_cli("window", "edit", "W1", "--name-en", "x", "--clear-name-en").returncode == 64


@pytest.mark.parametrize("form", ["json", "csv"])
def test_an_import_without_english_names_keeps_them_and_one_with_them_sets_them(center, tmp_path, form):
    center.cli("window", "edit", "W1", "--name-en", "Window 1")
    center.cli("department", "edit", "SPK", "--name-en", "Permits")
    old = tmp_path / f"old.{form}"
    if form == "csv":
        # A file written before English names: no name_en column.
        old.write_text(
            "kind,code,name,department,window,active\n"
            "department,SPK,审批科,,,true\n"
            "department,SWK,税务科,,,true\n"
            "window,W1,一号窗口,SPK,,true\n"
            "window,W2,2号窗口,SWK,,true\n"
            "item,I1,营业执照,SPK,,true\n"
            "staff,S1,张一,SPK,W1,true\n", encoding="utf-8")
    else:
        document = json.loads(export(center, "json"))
        for records in document.values():
            for record in records:
                record.pop("name_en", None)
        document["windows"][0]["name"] = "一号窗口"
        old.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = center.cli("directory", "import", str(old))
    assert done.splitlines() == ["Changed 1 record(s):", "  window W1: renamed (1号窗口 → 一号窗口)"]
    kept = json.loads(export(center, "json"))
    assert kept["windows"][0]["name_en"] == "Window 1" and kept["departments"][0]["name_en"] == "Permits"

    # The exported file carries the column; an empty cell (or null) removes the English name.
    new = tmp_path / f"new.{form}"
    center.cli("directory", "export", "--out", str(new))
    text = new.read_text(encoding="utf-8")
    if form == "csv":
        text = text.replace("window,W1,一号窗口,Window 1,", "window,W1,一号窗口,,").replace("window,W2,2号窗口,,", "window,W2,2号窗口,Window 2,")
    else:
        document = json.loads(text)
        document["windows"][0]["name_en"] = None
        document["windows"][1]["name_en"] = "Window 2"
        text = json.dumps(document, ensure_ascii=False)
    new.write_text(text, encoding="utf-8")
    assert center.cli("directory", "import", str(new)).splitlines() == [
        "Changed 2 record(s):", "  window W1: translated (Window 1 → –)", "  window W2: translated (– → Window 2)",
    ]
    after = json.loads(export(center, "json"))
    assert [window["name_en"] for window in after["windows"]] == [None, "Window 2"]
    assert after["departments"][0]["name_en"] == "Permits"


def test_qr_cards_carry_the_english_names_under_the_english_prompt(center, tmp_path):
    configuration = json.loads(center.config.read_text())
    configuration.setdefault("server", {})["public_base_url"] = "https://pingjia.example.gov.cn"
    center.config.write_text(json.dumps(configuration, ensure_ascii=False))
    center.cli("window", "edit", "W1", "--name-en", "Window 1")
    center.cli("department", "edit", "SPK", "--name-en", "Permits & Licences")
    center.cli("settings", "set", "center.name_en", "District Service Center")
    sheet = tmp_path / "cards.html"
    center.cli("qr", "print", "--out", str(sheet))
    cards = sheet.read_text(encoding="utf-8").split('<section class="card">')[1:]
    assert len(cards) == 2
    first, second = cards
    assert "<p class=\"window\">1号窗口（W1）</p>" in first
    assert '<p class="prompt-en" lang="en">Scan to rate this service</p>\n<p class="names-en window-en" lang="en">Permits &amp; Licences · Window 1</p>' in first
    assert '<p class="names-en center-en" lang="en">District Service Center</p>' in first
    # W2 (税务科) has no English names: only the center's English line.
    assert "window-en" not in second and "department-en" not in second
    assert '<p class="names-en center-en" lang="en">District Service Center</p>' in second
