"""The real pages, the Django admin and the API docs run under the Content-Security-Policy
without a single violation (no inline script or style, no third-party origin)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import login

pytestmark = pytest.mark.browser
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def is_error(message) -> bool:
    # Browsers ask for /favicon.ico on their own; the app has none and that is no violation.
    return message.type == "error" and not message.location["url"].endswith("/favicon.ico")


def watch(page) -> list[str]:
    errors: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: errors.append(m.text) if is_error(m) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def assert_clean(page, errors: list[str]) -> None:
    assert page.evaluate("window.__violations") == []
    assert errors == []


def test_app_pages_and_api_docs_have_no_violations(demo, page):
    errors = watch(page)
    page.goto(f"{demo.url}/accounts/login/")
    assert_clean(page, errors)
    login(page, demo.url, "owner@example.com")
    page.fill("#q", "claude")  # htmx search swaps results and shows its indicator
    page.wait_for_selector("#results")
    assert_clean(page, errors)
    page.goto(f"{demo.url}/orgs/acme/members/")
    page.locator("details summary").first.click()
    assert_clean(page, errors)
    page.goto(f"{demo.url}/api/v1/docs")
    page.get_by_role("link", name="Schemas").click()
    assert_clean(page, errors)


def test_django_admin_has_no_violations(demo, browser):
    context = browser.new_context()
    page = context.new_page()
    errors = watch(page)
    page.goto(f"{demo.url}/admin/login/")
    page.fill("#id_username", "admin@example.com")
    page.fill("#id_password", "demo-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{demo.url}/admin/")
    for path in ("/admin/accounts/user/", "/admin/orgs/membership/", "/admin/orgs/membership/add/"):
        page.goto(demo.url + path)
        assert_clean(page, errors)
    context.close()
