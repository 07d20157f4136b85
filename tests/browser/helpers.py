"""Helpers that browser tests import: logging in, screenshots and axe-core checks."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# From the npm package (`make install-dev` runs `npm ci --prefix tests/browser`), never a CDN.
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAKE_SCREENSHOTS = os.environ.get("SCREENSHOTS", "") not in {"", "0"}
WIDTHS = (1280, 390)
BLOCKING = ("serious", "critical")
# In CI (CI=true or REQUIRE_BROWSER=1) a missing Chromium or axe-core fails the run; on a
# newcomer's machine without them, the browser tests skip and say how to install them.
REQUIRED = os.environ.get("CI", "").lower() in {"1", "true"} or bool(
    os.environ.get("REQUIRE_BROWSER")
)


class AccessibilityViolations(AssertionError):
    """axe-core found serious or critical violations on a page."""


# htmx marks what it is doing: the element whose request is in flight, the target while it is
# swapped and settled, and the new content until it has settled (when autofocus has run).
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def settled(page) -> None:
    """Wait until htmx is idle: no request in flight, nothing being swapped or settled. Call it
    after an action whose swap moves focus, before the next key press depends on where it is."""
    page.wait_for_load_state()
    page.wait_for_function(f"() => !document.querySelector({HTMX_BUSY!r})")


def login(page, base_url: str, email: str, password: str = "demo-password") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/settings/chat-models/")


def force_login(page, base_url: str, email: str) -> None:
    """Start the page's session as `email` without the form: for tests about other pages."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


def screenshot(page, name: str) -> None:
    """A full-page screenshot `<name>.png` in artifacts/screenshots/, when SCREENSHOTS=1 asks
    for them (CI does): taking them costs a fifth of the browser tests' time."""
    if not TAKE_SCREENSHOTS:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def shoot(page, name: str) -> None:
    """Full-page screenshots at desktop and phone width: `<name>-1280.png`, `<name>-390.png`."""
    _at_each_width(page, lambda width: screenshot(page, f"{name}-{width}"))


def assert_accessible(page, name: str, *, shots: str | None = None) -> None:
    """Run axe-core at both widths; fail listing every serious or critical violation. With
    `shots`, also take `shoot`'s screenshots under that name, in the same pass."""
    found: list[tuple[int, dict]] = []

    def check(width: int) -> None:
        if shots:
            screenshot(page, f"{shots}-{width}")
        found.extend((width, v) for v in _blocking_violations(page))

    _at_each_width(page, check)
    if found:
        nodes = sum(len(v["targets"]) for _, v in found)
        raise AccessibilityViolations(
            f"{name}: {len(found)} serious/critical axe violation(s) on {nodes} element(s)\n"
            + "\n".join(_describe(width, v) for width, v in found)
        )


def _at_each_width(page, action) -> None:
    size = page.viewport_size
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": size["height"]})
            action(width)
    finally:
        page.set_viewport_size(size)


@functools.cache
def _axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run `make install-dev` (npm ci --prefix tests/browser)."
        if REQUIRED:
            pytest.fail(message + " Accessibility checks are required in CI.")
        pytest.skip(message)
    return AXE.read_text()


def _blocking_violations(page) -> list[dict]:
    # evaluate(), not add_script_tag(): the app's Content-Security-Policy refuses injected
    # <script> elements, and DevTools evaluation is not subject to it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' '))}))"
    )
    return [v for v in result if v["impact"] in BLOCKING]


def _describe(width: int, violation: dict) -> str:
    targets = ", ".join(violation["targets"])
    return (
        f"  {width}px {violation['id']} ({violation['impact']}): {violation['help']}"
        f" — {len(violation['targets'])} node(s): {targets}"
    )
