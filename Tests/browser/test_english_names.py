"""English names of the center, departments and windows on English pages: a window whose
names are translated shows them and no Chinese outside lang="zh" elements; a window without
translations still shows its Chinese names, marked lang="zh-CN". Chinese pages keep the
Chinese names."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

from conftest import WAIT, PingjiaServer, _stop_server, choose, open_page, path_of, submit
from test_language import chinese_outside_lang_zh


@pytest.fixture(scope="module")
def names_server(tmp_path_factory):
    """A demo center of its own (its directory is changed here), with one department and
    window added without English names."""
    server = PingjiaServer(tmp_path_factory.mktemp("pingjia-names"), idle_reset_seconds=120, thanks_seconds=8, days=1)
    server.cli("department", "add", "CSK", "--name", "测试科")
    server.cli("window", "add", "W99", "--name", "九十九号窗口", "--department", "CSK")
    server.start()
    yield server
    _stop_server(server)


def header(driver) -> dict[str, tuple[str, str | None]]:
    """The kiosk header's names, each with its lang attribute."""
    center = driver.find_element(By.CSS_SELECTOR, "header.place .center")
    department, window = driver.find_elements(By.CSS_SELECTOR, "header.place h1 .name")
    return {name: (element.text, lang_of(driver, element))
            for name, element in (("center", center), ("department", department), ("window", window))}


def lang_of(driver, element) -> str | None:
    """The element's own lang attribute, None when it has none."""
    return driver.execute_script("return arguments[0].getAttribute('lang')", element)


def test_a_translated_window_is_all_english(names_server, new_browser):
    driver = new_browser(javascript=False)
    open_page(driver, names_server.url("/kiosk/W01?lang=en"))
    assert header(driver) == {
        "center": ("District Administrative Service Center", None),
        "department": ("Market Regulation", None),
        "window": ("Window 1", None),
    }
    assert chinese_outside_lang_zh(driver) == []
    assert "District Administrative Service Center" in driver.title

    # The phone page, and the thank-you page after a rating without script.
    open_page(driver, names_server.url("/r/W01?lang=en"))
    assert header(driver)["window"] == ("Window 1", None)
    for dimension in ("attitude", "efficiency", "result"):
        choose(driver, dimension, 4)
    submit(driver)
    assert path_of(driver).startswith("/r/W01/thanks?lang=en")
    assert driver.find_element(By.CSS_SELECTOR, "main.thanks .center").text == "District Administrative Service Center"
    assert chinese_outside_lang_zh(driver) == []

    # The Chinese page is unchanged.
    open_page(driver, names_server.url("/kiosk/W01?lang=zh"))
    assert header(driver) == {
        "center": ("区行政服务中心", None),
        "department": ("市场监管科", None),
        "window": ("1号窗口", None),
    }


def test_the_index_shows_english_names_and_marks_the_chinese_ones(names_server, new_browser):
    driver = new_browser(javascript=False)
    open_page(driver, names_server.url("/?lang=en"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "District Administrative Service Center"
    rows = {row.find_element(By.CSS_SELECTOR, "a").text: row for row in driver.find_elements(By.CSS_SELECTOR, "main.index tbody tr")}
    assert rows["/kiosk/W01"].text.startswith("Window 1 (W01) Market Regulation")
    untranslated = rows["/kiosk/W99"].find_elements(By.CSS_SELECTOR, "td")
    assert lang_of(driver, untranslated[0].find_element(By.CSS_SELECTOR, "span")) == "zh-CN"
    assert lang_of(driver, untranslated[1]) == "zh-CN"
    assert chinese_outside_lang_zh(driver) == []


def test_an_untranslated_window_marks_its_chinese_names(names_server, new_browser):
    driver = new_browser(javascript=False)
    open_page(driver, names_server.url("/kiosk/W99?lang=en"))
    assert header(driver) == {
        "center": ("District Administrative Service Center", None),
        "department": ("测试科", "zh-CN"),
        "window": ("九十九号窗口", "zh-CN"),
    }
    assert chinese_outside_lang_zh(driver) == []

    # Translated from the command line, the window reaches the running server's pages.
    names_server.cli("window", "edit", "W99", "--name-en", "Window 99")
    deadline = time.monotonic() + WAIT
    while header(driver)["window"] != ("Window 99", None):
        assert time.monotonic() < deadline, "the English name never reached the page"
        time.sleep(0.5)
        open_page(driver, names_server.url("/kiosk/W99?lang=en"))
    assert header(driver)["department"] == ("测试科", "zh-CN")

    # Without the center's English name, the Chinese one is shown and marked.
    names_server.cli("settings", "set", "center.name_en", "")
    deadline = time.monotonic() + WAIT
    while header(driver)["center"] != ("区行政服务中心", "zh-CN"):
        assert time.monotonic() < deadline, "the center's English name was never removed from the page"
        time.sleep(0.5)
        open_page(driver, names_server.url("/kiosk/W99?lang=en"))
    assert chinese_outside_lang_zh(driver) == []
