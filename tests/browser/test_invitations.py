"""An owner invites someone by email; that person signs in, sees the invitation, accepts it
and lands in the org with the org's model access for new members."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from orgs.models import Membership
from tests.browser.helpers import login, screenshot

pytestmark = pytest.mark.browser


def test_invited_person_accepts_and_gets_the_default_access(demo, browser):
    owner_context = browser.new_context()
    page = owner_context.new_page()
    login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/settings/")
    page.get_by_label("Allow all platform models").uncheck()
    page.get_by_label("GPT-5.2").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: people who join get this model access.")).to_be_visible()

    page.goto(f"{demo.url}/orgs/acme/members/")
    page.get_by_label("Email", exact=True).fill("new@example.com")
    page.get_by_label("Role", exact=True).select_option("contributor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to new@example.com.")).to_be_visible()
    expect(page.locator("#invitations-heading")).to_contain_text("Pending invitations")
    screenshot(page, "members-pending-invitation")
    owner_context.close()
    (message,) = mail.outbox
    assert message.to == ["new@example.com"]

    User.objects.create_user("new@example.com", "demo-password")
    context = browser.new_context()
    page = context.new_page()
    login(page, demo.url, "new@example.com")
    notice = page.locator("#invitation-notice")
    expect(notice).to_contain_text("You're invited to join Acme Corp.")
    notice.get_by_role("link", name="See the invitation").click()
    expect(page.get_by_role("heading", name="Join Acme Corp")).to_be_visible()
    page.get_by_role("button", name="Accept the invitation to Acme Corp").click()
    page.wait_for_url(f"{demo.url}/settings/chat-models/")
    expect(page.get_by_text("You joined Acme Corp as a contributor.")).to_be_visible()
    expect(page.locator("#restricted-banner")).to_be_visible()
    expect(page.locator("#invitation-notice")).to_have_count(0)
    screenshot(page, "invitation-accepted")
    context.close()
    membership = Membership.objects.get(user__email="new@example.com")
    assert (membership.role, membership.allowed_model_ids) == ("contributor", ["dn/gpt-5.2"])
