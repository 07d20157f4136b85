from __future__ import annotations

import pytest

from tests.browser.helpers import login

pytestmark = pytest.mark.browser


def test_login_through_the_form_shows_the_settings_navigation(demo, page):
    login(page, demo.url, "owner@example.com")
    nav = page.locator("nav.sidenav")
    for label in ("Chat Models", "Secrets", "API keys", "Members"):
        assert nav.get_by_role("link", name=label).is_visible()
    assert page.locator("a[aria-current=page]").inner_text() == "Chat Models"


def test_wrong_password_stays_on_the_login_page(demo, page):
    page.goto(f"{demo.url}/accounts/login/")
    page.fill("#id_username", "owner@example.com")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert page.locator(".alert-error").is_visible()
    assert page.url.endswith("/accounts/login/")
