"""A real browser (Debian's chromium, driven by playwright) against a live server.

Skipped with a clear message when chromium is absent; with REQUIRE_SERVICES=1
(as in .ci/run) a missing browser fails instead. Each step can be saved as a
screenshot under var/screenshots/."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.services import services_required

BROWSER_TESTS = Path(__file__).resolve().parent
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_CANDIDATES = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in this folder drives the browser: marked ``browser``, so ``-m "not browser"`` leaves them out."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        message = "chromium saknas (installera Debians paket chromium, t.ex. med make install som root)"
        if services_required():
            pytest.fail(f"REQUIRE_SERVICES=1 men {message}")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are ordinary synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def live_demo(live_server, transactional_db):
    """The live server with the full demo data set."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


class Session:
    """One user's browser tab on the live server, with numbered screenshots."""

    def __init__(self, page, base_url, name):
        self.page = page
        self.base_url = base_url
        self.name = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
        self.step = 0
        # Scripts or styles the Content-Security-Policy blocked: a page that silently does not work.
        self.csp_violations = []
        page.on(
            "console",
            lambda message: (
                self.csp_violations.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )

    def goto(self, path):
        return self.page.goto(self.base_url + path)

    def login(self, username, password="demo"):
        self.goto("/accounts/login/")
        self.page.get_by_label("Användarnamn").fill(username)
        self.page.get_by_label("Lösenord").fill(password)
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_load_state()

    def shot(self, label):
        self.step += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{self.step:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def open_session(browser, live_demo, request):
    """``open_session(width=1280)`` gives a fresh browser context (its own cookies)."""
    contexts = []

    def open_(width=1280, height=900):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="sv-SE", accept_downloads=True
        )
        contexts.append(context)
        return Session(context.new_page(), live_demo.url, request.node.name)

    sessions = []

    def open_tracked(*args, **kwargs):
        sessions.append(open_(*args, **kwargs))
        return sessions[-1]

    yield open_tracked
    for context in contexts:
        context.close()
    assert [v for session in sessions for v in session.csp_violations] == []
