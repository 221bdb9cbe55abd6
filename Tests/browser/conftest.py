"""Fixtures for the real-browser tests of the citizen pages (see README.md here).

One `pingjia serve` per session on a demo database in a temporary folder, and headless
Chromium driven by Selenium. Chromium may resolve no host but 127.0.0.1 and localhost.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import shutil
import json
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pingjia_process import REPO, PingjiaProcess  # noqa: E402

SHOTS = Path(os.environ.get("PINGJIA_SHOTS", "/tmp/pingjia-shots"))

# Generous upper bounds for waiting on the browser or the server. They only stop a hung
# run; no test asserts how long anything took.
WAIT = 60

LOOPBACK_ONLY = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
KIOSK_SIZE = (1280, 800)
PHONE_SIZE = (390, 844)

LEVEL_LABELS_ZH = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
LEVEL_LABELS_EN = ["Very satisfied", "Satisfied", "Fairly satisfied", "Dissatisfied", "Very dissatisfied"]
DIMENSIONS = ["attitude", "efficiency", "result"]


def _first_existing(*candidates: str | None) -> str | None:
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    return None


# Debian's /usr/bin/chromium wrapper prints a harmless shell error; the real binary does not.
CHROMIUM = _first_existing(os.environ.get("CHROMIUM_BIN"), "/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMEDRIVER = _first_existing(os.environ.get("CHROMEDRIVER"), "/usr/bin/chromedriver", shutil.which("chromedriver"))


# MARK: The server


class PingjiaServer(PingjiaProcess):
    """`pingjia serve` on its own migrated demo database, on a free loopback port."""

    def __init__(self, workdir: Path, *, idle_reset_seconds: int, thanks_seconds: int, days: int = 3,
                 prompt_seconds: int = 20, survey: dict | None = None):
        super().__init__(workdir, {
            "survey": {"kiosk_idle_reset_seconds": idle_reset_seconds, "kiosk_thanks_seconds": thanks_seconds,
                       "kiosk_prompt_seconds": prompt_seconds, **(survey or {})},
            "server": {"static_root": str(REPO / "Public")},
        })
        self.cli("migrate")
        self.cli("demo", "--days", str(days))

    # Helpers for the tests.

    def url(self, path: str) -> str:
        return self.base_url + path

    def signed_url(self, window: str) -> str:
        """The window's link as its printed QR card carries it (`pingjia qr url`)."""
        configuration = json.loads(self.config.read_text())
        configuration.setdefault("server", {})["public_base_url"] = self.base_url
        self.config.write_text(json.dumps(configuration, ensure_ascii=False))
        return self.cli("qr", "url", window).strip()

    def query(self, sql: str, parameters: tuple = ()) -> list[sqlite3.Row]:
        connection = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=WAIT)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(sql, parameters).fetchall()
        finally:
            connection.close()

    def response(self, client_id: str) -> sqlite3.Row | None:
        """The stored row of one submission, found by the form's client id."""
        rows = self.query(
            "SELECT r.*, w.code AS window_code FROM response r JOIN service_window w ON w.id = r.window_id"
            " WHERE r.client_id = ?", (client_id,))
        assert len(rows) <= 1
        return rows[0] if rows else None

    def window(self, code: str) -> sqlite3.Row:
        rows = self.query(
            "SELECT w.id, w.code, w.name, w.department_id, d.name AS department_name"
            " FROM service_window w JOIN department d ON d.id = w.department_id WHERE w.code = ?", (code,))
        assert rows, f"no window {code} in the demo database"
        return rows[0]

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str]:
        """A raw form POST (no browser, no redirect following): status and body."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(self.url(path), data=urllib.parse.urlencode(fields).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with opener.open(request, timeout=WAIT) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _start_server(tmp_path_factory, name: str, **settings) -> PingjiaServer:
    server = PingjiaServer(tmp_path_factory.mktemp(name), **settings)
    server.start()
    return server


def _stop_server(server: PingjiaServer) -> None:
    status = server.stop()
    assert status == 0, f"pingjia serve exited {status} after SIGTERM\nstderr:\n{server.stderr()}"


@pytest.fixture(scope="session", autouse=True)
def fresh_screenshots():
    """Empties /tmp/pingjia-shots/ of an earlier run's pictures."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The server as a center runs it: the kiosk clears after 10 s idle, thanks lasts 2 s."""
    server = _start_server(tmp_path_factory, "pingjia", idle_reset_seconds=10, thanks_seconds=2)
    yield server
    _stop_server(server)


@pytest.fixture(scope="session")
def calm_server(tmp_path_factory):
    """A second server whose kiosk timers are long, so that a page under inspection
    (screenshots, axe) is never replaced by its own idle reset or thank-you return."""
    server = _start_server(tmp_path_factory, "pingjia-calm", idle_reset_seconds=3600, thanks_seconds=600, days=1)
    yield server
    _stop_server(server)


# MARK: The browser


def chrome_options(*, languages: str = "zh-CN,zh", javascript: bool = True) -> Options:
    options = Options()
    if CHROMIUM:
        options.binary_location = CHROMIUM
    for argument in [
        "--headless=new",
        "--no-sandbox",  # Chromium runs as root here and in CI.
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        f"--host-resolver-rules={LOOPBACK_ONLY}",
        f"--window-size={KIOSK_SIZE[0]},{KIOSK_SIZE[1]}",
        f"--lang={languages.split(',')[0]}",
    ]:
        options.add_argument(argument)
    prefs = {"intl.accept_languages": languages}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    return options


def set_viewport(driver, width: int, height: int, *, mobile: bool = False, scale: float = 1) -> None:
    """The screen of a tablet or phone; both have touch screens."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})


def as_tablet(driver) -> None:
    set_viewport(driver, *KIOSK_SIZE)


def as_phone(driver) -> None:
    set_viewport(driver, *PHONE_SIZE, mobile=True, scale=2)


@pytest.fixture
def new_browser(request):
    """Makes headless Chromium sessions, as a 1280×800 tablet unless told otherwise;
    quits them (after a screenshot, if the test failed) when the test ends."""
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.fail("Chromium or chromedriver is missing: run deploy/install-packages.sh --test")
    drivers = []

    def make(*, languages: str = "zh-CN,zh", javascript: bool = True):
        service = Service(executable_path=CHROMEDRIVER)
        driver = webdriver.Chrome(service=service, options=chrome_options(languages=languages, javascript=javascript))
        driver.set_page_load_timeout(WAIT)
        driver.set_script_timeout(WAIT)
        drivers.append(driver)
        as_tablet(driver)
        return driver

    yield make
    report = getattr(request.node, "report_call", None)
    for index, driver in enumerate(drivers):
        try:
            if report is not None and report.failed:
                save_screenshot(driver, f"FAILED-{request.node.name}-{index}")
        finally:
            driver.quit()


@pytest.fixture
def browser(new_browser):
    """A Chinese-speaking Chromium with JavaScript, as a 1280×800 tablet."""
    return new_browser()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.report_call = report


# MARK: Page helpers


def open_page(driver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return document.readyState") == "complete", f"{url} did not load")


def choice(driver, dimension: str, level: int):
    """The visible tile (label.choice) of one answer."""
    return driver.find_element(By.XPATH, f"//label[contains(@class,'choice')][input[@name='{dimension}' and @value='{level}']]")


def choose(driver, dimension: str, level: int) -> None:
    choice(driver, dimension, level).click()
    assert radio(driver, dimension, level).is_selected(), f"clicking {dimension}={level} did not check it"


def radio(driver, dimension: str, level: int):
    return driver.find_element(By.CSS_SELECTOR, f"input[name='{dimension}'][value='{level}']")


def checked_levels(driver) -> dict[str, int]:
    return {
        element.get_attribute("name"): int(element.get_attribute("value"))
        for element in driver.find_elements(By.CSS_SELECTOR, "input[type=radio]")
        if element.is_selected()
    }


def wrapped_labels(driver) -> list[str]:
    """The words of every shown choice tile that take more than one line."""
    return driver.execute_script(
        """
        return Array.from(document.querySelectorAll("label.choice .text")).filter(text => {
          const box = text.getBoundingClientRect();
          return box.height > 0 && box.height > 1.5 * parseFloat(getComputedStyle(text).lineHeight);
        }).map(text => `${text.closest("label").querySelector("input").name}=${text.textContent.trim()}`);
        """)


def overflowing_tiles(driver) -> list[str]:
    """Every shown choice tile whose stars or words stick out of it."""
    return driver.execute_script(
        """
        return Array.from(document.querySelectorAll("label.choice")).filter(tile => {
          const r = tile.getBoundingClientRect();
          if (r.width === 0) return false;
          return Array.from(tile.querySelectorAll(".face, .text")).some(part => {
            const b = part.getBoundingClientRect();
            return b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5;
          });
        }).map(tile => `${tile.querySelector("input").name}=${tile.textContent.replace(/\\s+/g, " ").trim()}`);
        """)


def check_mark(driver, dimension: str, level: int) -> str:
    """What the tile's ::after shows (its check mark when chosen), as CSS `content`."""
    return driver.execute_script("return getComputedStyle(arguments[0], '::after').content",
                                 choice(driver, dimension, level))


# MARK: The one-question-per-screen flow (with script)


def tap(driver, element) -> None:
    """A finger's tap in the middle of `element`, as touch events (touch emulation is on):
    the browser makes the click of it, as on a real tablet."""
    box = rect(driver, element)
    assert box["width"] > 0 and box["height"] > 0, "tapped an element that is not shown"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert 0 <= y <= driver.execute_script("return window.innerHeight"), "tapped below the screen"
    point = [{"x": x, "y": y}]
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": point})
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def current_step(driver):
    """The step on screen: a question or a reason screen."""
    steps = driver.find_elements(By.CSS_SELECTOR, ".stepping .step.current")
    assert len(steps) == 1, f"{len(steps)} steps shown at once"
    return steps[0]


def wait_for_step(driver, step_id: str) -> None:
    """Waits until `step_id` is on screen and takes presses (a kiosk rests for a moment
    after each rating, ignoring presses)."""
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script(
            "const s = document.querySelector('.step.current');"
            "return !document.getElementById('survey').classList.contains('resting') && s && s.id") == step_id,
        f"the step {step_id} did not come")


def tap_level(driver, dimension: str, level: int) -> None:
    """Taps an answer on the current screen, which must be that question."""
    wait_for_step(driver, f"q-{dimension}")
    tap(driver, choice(driver, dimension, level))


def fits_the_screen(driver) -> bool:
    """Nothing to scroll: the page is no taller or wider than the screen."""
    return driver.execute_script(
        "const e = document.scrollingElement;"
        "return e.scrollHeight <= window.innerHeight + 1 && e.scrollWidth <= window.innerWidth + 1;")


def wait_for_thanks(driver) -> None:
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("const e = document.getElementById('done'); return e && !e.hidden"),
        "the thank-you screen did not come")


def rate_all(driver, level: int) -> str:
    """Gives every question `level` on the kiosk's current form, waits for the thanks, and
    returns the rating's client id."""
    for dimension in DIMENSIONS:
        tap_level(driver, dimension, level)
    wait_for_thanks(driver)
    return last_client_id(driver)


def last_client_id(driver) -> str:
    return driver.execute_script("return window.pingjiaKiosk.lastClientID()")


def wait_for_row(server, cid: str):
    row = None

    def stored(_):
        nonlocal row
        row = server.response(cid)
        return row is not None

    WebDriverWait(None, WAIT).until(stored, f"the rating {cid} did not arrive")
    return row


def client_id(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "input[name=client_id]").get_attribute("value")


def mark_page(driver) -> str:
    """Tags the current document, so that `wait_for_new_page` can tell when it is gone."""
    token = uuid.uuid4().hex
    driver.execute_script("window.pingjiaTestPage = arguments[0];", token)
    return token


def wait_for_new_page(driver, token: str, message: str) -> None:
    """Waits until another document than the one tagged `token` has fully loaded.

    Errors while the browser is between two documents are expected and retried:
    chromedriver reports some of them as plain WebDriverExceptions, not stale elements."""
    def loaded(d):
        return d.execute_script(
            "return document.readyState === 'complete' && window.pingjiaTestPage !== arguments[0];", token)

    WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,)).until(loaded, message)


def submit(driver) -> None:
    """Presses the submit button and waits for the next page."""
    token = mark_page(driver)
    driver.find_element(By.CSS_SELECTOR, "button.submit").click()
    wait_for_new_page(driver, token, "the form was not submitted")


def path_of(driver) -> str:
    parts = urllib.parse.urlsplit(driver.current_url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def rect(driver, element) -> dict:
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return {x: r.x, y: r.y, width: r.width, height: r.height};", element)


def save_screenshot(driver, name: str) -> Path:
    """A full-page PNG under /tmp/pingjia-shots/ (taken before axe, which scrolls)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    try:
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        })
        path.write_bytes(base64.b64decode(shot["data"]))
    except Exception:  # fall back to the viewport
        driver.save_screenshot(str(path))
    return path


# MARK: axe-core


def axe_source() -> str:
    """axe.min.js (axe-core 4.x) from the axe-playwright-python wheel, installed with
    --no-deps by deploy/install-packages.sh --test. The package is located, not imported."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or spec.origin is None:
        pytest.fail("axe-playwright-python is not installed: run deploy/install-packages.sh --test")
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(driver) -> dict:
    driver.execute_script(axe_source())
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
          .then(r => done({version: axe.version, violations: r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}))}))
          .catch(e => done({error: String(e)}));
        """, AXE_TAGS)
    assert "error" not in result, f"axe failed: {result.get('error')}"
    return result


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = (node["summary"] or "").replace("\n", " ")
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)
