"""A restricted member asks for a platform model from Chat Models; an owner sees the count in
the navigation and approves it; the member reloads and has the model, still restricted."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from catalog.templatetags.catalog_tags import dom_id
from tests.browser.helpers import login, screenshot, shoot

pytestmark = pytest.mark.browser
MODEL = "dn/gpt-5.2"


def test_member_requests_owner_approves_member_has_the_model(demo, browser):
    member = browser.new_context().new_page()
    login(member, demo.url, "restricted@example.com")
    locked = member.locator(f"#locked-{dom_id(MODEL)}")
    expect(locked).to_contain_text("Not available")
    expect(
        member.get_by_text("Not available to you: your org's owners decide platform access")
    ).to_be_visible()
    # The banner points at the button; the reason is optional.
    member.locator("#restricted-banner").get_by_role("link").click()
    expect(member).to_have_url(f"{demo.url}/settings/chat-models/#locked-heading")
    locked.get_by_label("Why you need it").fill("Evals next week")
    locked.get_by_role("button", name="Request access to GPT-5.2").click()
    expect(locked.get_by_text("Requested")).to_be_visible()
    screenshot(member, "chat-models-access-requested")
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]

    owner = browser.new_context().new_page()
    login(owner, demo.url, "owner@example.com")
    expect(owner.locator("#pending-requests")).to_have_text("1 pending")
    owner.get_by_role("link", name="Access requests").click()
    row = owner.locator("tr", has=owner.get_by_text("Evals next week"))
    expect(row).to_contain_text("GPT-5.2")
    shoot(owner, "access-requests-pending")
    owner.get_by_role("button", name="Approve restricted@example.com's request for GPT-5.2").click()
    expect(
        owner.get_by_text("Approved restricted@example.com's request for GPT-5.2.")
    ).to_be_focused()
    owner.reload()
    expect(owner.locator("#pending-requests")).to_have_count(0)
    screenshot(owner, "access-requests-approved")
    assert mail.outbox[-1].to == ["restricted@example.com"]

    member.reload()
    expect(member.locator(f"#pm-{dom_id(MODEL)}")).to_be_visible()
    expect(member.locator(f"#locked-{dom_id(MODEL)}")).to_have_count(0)
    expect(member.locator("#restricted-banner")).to_be_visible()
