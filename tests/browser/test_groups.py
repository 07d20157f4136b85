"""Issue 23's acceptance in Chromium: an owner creates a group, adds a member, sets its
platform models, and that member's Chat Models page lists them; at desktop and phone width,
with axe-core finding nothing serious on the Groups pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalog.templatetags.catalog_tags import dom_id
from tests.browser.helpers import assert_accessible, force_login

pytestmark = pytest.mark.browser
RESTRICTED = "restricted@example.com"  # their own list gives Claude Opus 4.6 only


@pytest.mark.parametrize("width", [1280, 390])
def test_owner_gives_a_group_models_and_its_member_sees_them(demo, browser, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    force_login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/members/")
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Groups").click()
    expect(page.get_by_role("heading", name="Groups", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Research")).to_be_visible()  # the demo's group
    assert_accessible(page, "groups", shots="groups")

    page.get_by_label("Name").fill("Contractors")
    with page.expect_navigation():
        page.get_by_role("button", name="Create group").click()
    expect(page.get_by_text("Created group Contractors.")).to_be_visible()
    expect(page.get_by_role("heading", name="Contractors")).to_be_visible()

    page.get_by_label("Emails of members to add").fill(RESTRICTED)
    with page.expect_navigation():
        page.get_by_role("button", name="Add to group").click()
    expect(page.get_by_text(f"Added 1 member to Contractors: {RESTRICTED}.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Remove {RESTRICTED} from Contractors")).to_be_visible()

    page.get_by_label("Gemini 3 Pro").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save models").click()
    expect(
        page.get_by_text("Saved: Contractors now gives its members 1 platform model.")
    ).to_be_visible()
    expect(page.get_by_label("Gemini 3 Pro")).to_be_checked()
    assert_accessible(page, "group", shots="group")

    member = browser.new_context(viewport={"width": width, "height": 900})
    member_page = member.new_page()
    force_login(member_page, demo.url, RESTRICTED)
    member_page.goto(f"{demo.url}/settings/chat-models/")
    platform = member_page.locator("#platform")
    gemini = platform.locator(f"#pm-{dom_id('dn/gemini-3-pro')}")
    expect(gemini).to_contain_text("Gemini 3 Pro")
    expect(gemini).to_contain_text("from group Contractors")  # the why names the group
    expect(platform.locator(f"#pm-{dom_id('dn/claude-opus-4-6')}")).to_be_visible()
    expect(platform.locator(f"#pm-{dom_id('dn/gpt-5.2')}")).to_have_count(0)
    member.close()

    page.goto(f"{demo.url}/orgs/acme/members/")
    row = page.locator("tr", has_text=RESTRICTED)
    expect(row.get_by_role("link", name="Contractors")).to_be_visible()
    expect(row).to_contain_text("2 platform models")
