"""A kiosk that loses the server keeps every rating and delivers each exactly once."""

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (
    DIMENSIONS, WAIT, PingjiaServer, last_client_id, open_page, save_screenshot, tap_level, wait_for_thanks,
)


def kiosk_rows(server) -> list:
    return server.query("SELECT client_id, rated_at, created_at, attitude, efficiency, result FROM response"
                        " WHERE channel = 'kiosk' ORDER BY created_at")


def pending(driver) -> int:
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; window.pingjiaKiosk.pending().then(done, () => done(-1));")


def test_ratings_given_while_the_server_is_down_arrive_exactly_once(tmp_path_factory, new_browser):
    server = PingjiaServer(tmp_path_factory.mktemp("pingjia-offline"), idle_reset_seconds=3600, thanks_seconds=1, days=1)
    server.start()
    port = server.port
    try:
        browser = new_browser()
        kiosk = server.url("/kiosk/W01")
        open_page(browser, kiosk)
        before = len(kiosk_rows(server))

        # The server goes away (as a cut cable would leave it: nothing answers).
        assert server.stop() == 0
        given = []
        for level in (5, 4, 3):
            for dimension in DIMENSIONS:
                tap_level(browser, dimension, level)
            # The citizen is thanked as usual.
            wait_for_thanks(browser)
            given.append(last_client_id(browser))
            WebDriverWait(browser, WAIT).until(
                lambda d: d.execute_script("return document.querySelector('.step.current').id") == "q-attitude"
                and not d.find_element(By.ID, "done").is_displayed(), "the kiosk did not start over")
        assert len(set(given)) == 3
        # Staff see how many wait.
        WebDriverWait(browser, WAIT).until(lambda d: pending(d) == 3, "the outbox does not hold three ratings")
        WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.ID, "pending").is_displayed())
        assert "3" in browser.find_element(By.ID, "pending").text
        save_screenshot(browser, "kiosk-1280x800-offline-pending")

        # The page is reloaded while the server is still down (a staff member, a crash).
        try:
            browser.get(kiosk)
        except WebDriverException:
            pass

        # The server comes back on the same address; the kiosk page opens again, in two tabs.
        server.start(port=port)
        open_page(browser, kiosk)
        browser.switch_to.new_window("tab")
        open_page(browser, kiosk)
        WebDriverWait(browser, WAIT).until(lambda d: len(kiosk_rows(server)) >= before + 3,
                                           "the waiting ratings did not arrive")
        WebDriverWait(browser, WAIT).until(lambda d: pending(d) == 0, "the outbox did not empty")
        # Give the other tab a chance to send a duplicate, then count.
        browser.execute_async_script(
            "const done = arguments[arguments.length - 1]; window.pingjiaKiosk.sync(true).then(done, done);")
        rows = kiosk_rows(server)[before:]
        assert sorted(row["client_id"] for row in rows) == sorted(given), "not exactly the three ratings"
        for row, level in zip(sorted(rows, key=lambda r: given.index(r["client_id"])), (5, 4, 3)):
            assert (row["attitude"], row["efficiency"], row["result"]) == (level, level, level)
            # Given while the server was down, stored after it came back.
            assert row["rated_at"] is not None and row["rated_at"] < row["created_at"]
        assert len(server.query("SELECT 1 FROM response")) == before + 3
    finally:
        if server.process and server.process.poll() is None:
            assert server.stop() == 0
