"""An owner restricts a member, the member sees it, the owner lifts it (real Chromium)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, screenshot

pytestmark = pytest.mark.browser
BANNER = "Your org has restricted available models. Contact your org owner for changes."


def test_owner_restricts_and_frees_a_member(demo, browser):
    owner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    member = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(owner, demo.url, "owner@example.com")
    owner.get_by_role("link", name="Members").click()
    expect(owner.get_by_role("link", name="Model access for owner@example.com")).to_have_count(0)

    owner.get_by_role("link", name="Model access for member@example.com").click()
    editor = owner.locator("tr form.access-editor")
    editor.get_by_label("Allow all platform models").uncheck()
    expect(
        editor.get_by_text("Nothing selected: saving gives member@example.com no platform")
    ).to_be_visible()
    editor.get_by_placeholder("Filter models").fill("gpt")
    editor.get_by_role("button", name="Select all").click()
    expect(editor.get_by_label("GPT-5.2")).to_be_checked()
    expect(editor.get_by_label("Claude Opus 4.6")).not_to_be_checked()
    screenshot(owner, "members-editor-1280")
    editor.get_by_role("button", name="Save access").click()
    expect(owner.get_by_text("now has 1 platform model")).to_be_visible()

    login(member, demo.url, "member@example.com")
    expect(member.get_by_text(BANNER)).to_be_visible()
    expect(member.locator("#platform [id^=pm-] .model-id")).to_have_text(["dn/gpt-5.2"])

    owner.get_by_role("link", name="Model access for member@example.com").click()
    owner.locator("tr form.access-editor").get_by_label("Allow all platform models").check()
    owner.locator("tr form.access-editor").get_by_role("button", name="Save access").click()
    expect(owner.get_by_text("now has all platform models")).to_be_visible()

    member.reload()
    expect(member.get_by_text(BANNER)).to_have_count(0)
    expect(member.locator("#platform [id^=pm-] .model-id")).to_have_count(3)

    owner.get_by_role("link", name="Audit log").click()
    expect(owner.locator("section").first.locator("tbody tr")).to_have_count(2)
    # Below them, the platform's own changes: the demo data's three deployments.
    platform = owner.locator("section[aria-labelledby=platform-changes-heading] tbody tr")
    expect(platform).to_have_count(3)
    screenshot(owner, "audit-1280")
    owner.context.close()
    member.context.close()
