"""A third language is a file: a catalogue directory with a tiny ja.json, on a real server.

The file's two phrases are shown in Japanese and every other phrase in Chinese, the file's
fallback; `?lang=ja` and `Accept-Language: ja-JP` both pick it; the language switch lists
the other two languages. A catalogue with a misspelt key or a wrong placeholder stops start,
naming the file and the key.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from api_http import Client
from pingjia_process import PINGJIA_BIN, REPO, START_WAIT, PingjiaProcess

JAPANESE = {
    "_language": {"tag": "ja", "name": "日本語"},
    "survey.title": "サービス評価",
    "survey.submit": "評価を送信",
    "dimension.attitude": "接客態度",
    "reason_list.empty": "「{dimension}」の理由リストが空です。",
}


def configuration(catalogues: Path) -> dict:
    return {"server": {"static_root": str(REPO / "Public")}, "languages": {"catalogue_directory": str(catalogues)}}


def write_catalogue(folder: Path, code: str, document: dict) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{code}.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def japanese_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("pingjia-languages")
    write_catalogue(workdir / "catalogues", "ja", JAPANESE)
    server = PingjiaProcess(workdir, configuration(workdir / "catalogues"))
    server.cli("migrate")
    server.cli("demo", "--days", "1")
    server.start()
    server.client = Client(server.port)
    yield server
    status = server.stop()
    assert status == 0, f"pingjia serve exited {status} after SIGTERM\nstderr:\n{server.stderr()}"


def page(reply) -> str:
    assert reply.status == 200, reply
    return reply.body.decode("utf-8")


def language_links(html: str) -> list[tuple[str, str, str]]:
    """The language switch: (href, lang, name) of each link."""
    switch = re.search(r'<p class="lang">(.*?)</p>', html, re.S)
    assert switch, "the page has no language switch"
    return re.findall(r'<a href="([^"]*)" lang="([^"]*)">([^<]*)</a>', switch.group(1))


def assert_japanese_form(html: str) -> None:
    assert '<html lang="ja">' in html
    assert "<title>サービス評価 · " in html
    assert "評価を送信" in html
    # Everything ja.json lacks is said in Chinese, its fallback.
    assert "请您对刚才的服务作出评价，每项选择一个。" in html
    assert '<input type="hidden" name="lang" value="ja">' in html
    assert [(lang, name) for _, lang, name in language_links(html)] == [("zh-CN", "中文"), ("en", "English")]


def test_lang_ja_picks_the_file_and_falls_back_to_chinese(japanese_server):
    html = page(japanese_server.client.get("/kiosk/W01?lang=ja"))
    assert_japanese_form(html)
    hrefs = [href for href, _, _ in language_links(html)]
    assert hrefs == ["/kiosk/W01?lang=zh", "/kiosk/W01?lang=en"]


def test_accept_language_with_a_region_picks_the_file(japanese_server):
    assert_japanese_form(page(japanese_server.client.get("/kiosk/W01", {"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.8"})))
    # A language with no file is skipped for the next one the browser accepts.
    english = page(japanese_server.client.get("/kiosk/W01", {"Accept-Language": "fr-FR, en-GB;q=0.8"}))
    assert '<html lang="en">' in english and "Rate our service" in english


def test_the_switch_lists_every_other_language(japanese_server):
    chinese = page(japanese_server.client.get("/kiosk/W01"))
    assert '<html lang="zh-CN">' in chinese
    assert [(lang, name) for _, lang, name in language_links(chinese)] == [("en", "English"), ("ja", "日本語")]
    login = page(japanese_server.client.get("/staff/login?lang=en"))
    assert language_links(login) == [("/staff/login?lang=zh", "zh-CN", "中文"), ("/staff/login?lang=ja", "ja", "日本語")]


def test_start_warns_how_many_phrases_fall_back(japanese_server):
    log = japanese_server.stderr()
    assert re.search(r"The ja catalogue \(.*ja\.json\) lacks \d+ of \d+ phrases; those are shown in zh, its fallback", log), log


def refused_start(tmp_path: Path, document: dict) -> list[str]:
    """What `migrate` and `serve` say when they refuse a ja.json that holds `document`."""
    write_catalogue(tmp_path / "catalogues", "ja", document)
    server = PingjiaProcess(tmp_path, configuration(tmp_path / "catalogues"))
    # `migrate` (the unit's ExecStartPre) reads the catalogues too, so it already refuses.
    migrate = server.try_cli("migrate")
    assert migrate.returncode != 0, f"pingjia migrate accepted a broken catalogue\nstdout:\n{migrate.stdout}"
    assert "languages.catalogue_directory" in migrate.stderr, migrate.stderr
    done = subprocess.run(
        [str(PINGJIA_BIN), "serve", "--db", str(server.db), "--config", str(server.config), "--port", "0"],
        cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=START_WAIT)
    assert done.returncode != 0, f"pingjia serve started with a broken catalogue\nstdout:\n{done.stdout}"
    assert "serving" not in done.stdout
    return [migrate.stderr, done.stderr]


def test_a_misspelt_key_stops_start_naming_the_file_and_key(tmp_path):
    for stderr in refused_start(tmp_path, {**JAPANESE, "survey.titel": "サービス評価"}):
        assert str(tmp_path / "catalogues" / "ja.json") in stderr and '"survey.titel" is not a phrase key' in stderr, stderr


def test_a_wrong_placeholder_stops_start_naming_the_file_and_key(tmp_path):
    for stderr in refused_start(tmp_path, {**JAPANESE, "indicators.not_published": "{periode} は未公表です。"}):
        assert str(tmp_path / "catalogues" / "ja.json") in stderr, stderr
        assert '"indicators.not_published" has the placeholders {periode} where Chinese has {period}' in stderr, stderr


def test_a_refused_setting_is_worded_by_the_catalogue_in_every_language(japanese_server):
    """A domain refusal (here an empty reason list) is said with the catalogue's words, so a
    third language's file words it too, with the dimension's name in that language."""
    key = japanese_server.cli("apikey", "create", "--name", "ja-settings", "--scope", "settings:write").strip().splitlines()[-1]
    body = json.dumps({"attitude": [], "efficiency": ["a"], "result": ["b"]})
    messages = {}
    for language in ("ja", "zh", "en"):
        reply = japanese_server.client.request("PUT", "/api/v1/admin/settings/reasons", body=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {key}", "Accept-Language": language})
        assert reply.status == 400, reply
        error = json.loads(reply.body)["error"]
        assert error["code"] == "reason_list_empty"
        messages[language] = error["message"]
    assert messages == {
        "ja": "「接客態度」の理由リストが空です。",
        "zh": "“服务态度”的差评原因列表为空，至少需要一个原因。",
        "en": "The 差评 reasons for “Service attitude” are empty; at least one reason is needed.",
    }
