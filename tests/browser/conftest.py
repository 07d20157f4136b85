"""Playwright in the system Chromium (Debian's `chromium`), never a downloaded browser.

Required in CI (CI=true or REQUIRE_BROWSER=1): a missing Chromium fails the run there; on a
newcomer's machine without it, the browser tests skip with a message saying how to install it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.helpers import REQUIRED
from tests.helpers import load_catalog

# Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are
# ordinary synchronous code, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`."
        if REQUIRED:
            pytest.fail(message + " Browser tests are required in CI.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server, transactional_db):
    """The live server with the demo data and the real catalog snapshot."""
    call_command("seed_demo", verbosity=0)
    load_catalog()
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
