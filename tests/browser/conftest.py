"""Playwright in the system Chromium (Debian's `chromium`), never a downloaded browser.

Required in CI (CI=true or REQUIRE_BROWSER=1): a missing Chromium fails the run there; on a
newcomer's machine without it, the browser tests skip with a message saying how to install it.

The catalog snapshot is loaded once per test module (`catalog_module`); before each test every
other table is emptied and the demo data seeded again, so each test starts from the same state
without reloading thousands of catalog rows. A test that changes catalog rows gets the
snapshot loaded again after it (the catalog version tells).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from catalog import caching
from catalog.models import CatalogModel, SyncRun
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


# Emptied before each test: all but the catalog and what migrations write.
KEPT_TABLES = {
    CatalogModel._meta.db_table,
    SyncRun._meta.db_table,
    "django_migrations",
    "django_content_type",
    "auth_permission",
}


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's helper of this name, without the transactional_db it asks for (whose
    flush would empty the catalog after every test): `demo` manages the database instead."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


def _empty_all_but_the_catalog() -> None:
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.db_table not in KEPT_TABLES
    ]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    connection.ops.execute_sql_flush(statements)


@pytest.fixture
def demo(catalog_module, live_server, django_db_blocker):
    """The live server with the demo data and the real catalog snapshot; the test may use the
    database (its writes are committed, so the server sees them). Afterwards every table but
    the catalog's is empty again, as the tests that follow in this process expect."""
    with django_db_blocker.unblock():
        _empty_all_but_the_catalog()
        call_command("seed_demo", verbosity=0)
        catalog_version = caching.version(caching.CATALOG)
        yield live_server
        _empty_all_but_the_catalog()
        if caching.version(caching.CATALOG) != catalog_version:
            load_catalog()


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
