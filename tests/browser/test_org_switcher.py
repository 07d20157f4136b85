"""Switching org on an org's page shows that page of the new org, with and without JS."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from orgs.models import Membership, Organization, Role
from tests.browser.helpers import login, shoot

pytestmark = pytest.mark.browser


def join_globex(email: str, role: str) -> None:
    Membership.objects.create(
        org=Organization.objects.get(slug="globex"),
        user_id=Membership.objects.get(user__email=email).user_id,
        role=role,
    )


def test_switching_on_members_lists_the_new_orgs_members(demo, page):
    join_globex("owner@example.com", Role.OWNER)
    login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/members/")
    page.select_option("#org-switch", "globex")
    page.wait_for_url(f"{demo.url}/orgs/globex/members/")
    expect(page.get_by_text("Switched to Globex.")).to_be_visible()
    members = page.locator("#member-list")
    expect(members.get_by_text("outsider@example.com", exact=True)).to_be_visible()
    expect(members.get_by_text("restricted@example.com", exact=True)).to_have_count(0)

    page.get_by_role("link", name="Audit log").click()
    page.wait_for_url(f"{demo.url}/orgs/globex/audit/")  # the switcher of the audit page
    page.select_option("#org-switch", "acme")
    page.wait_for_url(f"{demo.url}/orgs/acme/audit/")
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()


def test_audit_lands_on_members_where_only_a_member(demo, no_js_page):
    join_globex("owner@example.com", Role.READER)
    page = no_js_page
    login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/audit/")
    page.select_option("#org-switch", "globex")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_url(f"{demo.url}/orgs/globex/members/")
    expect(page.get_by_text("Switched to Globex.")).to_be_visible()
    expect(
        page.locator("#member-list").get_by_text("outsider@example.com", exact=True)
    ).to_be_visible()


def test_the_org_chosen_is_where_the_next_login_starts_and_the_switcher_says_so(demo, page):
    """Someone in Acme and Globex: Acme comes first by name, but once they choose Globex,
    logging in again starts there. The switcher is named on a phone too."""
    join_globex("owner@example.com", Role.READER)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, demo.url, "owner@example.com")
    switcher = page.get_by_label("Organization")
    expect(switcher).to_be_visible()
    expect(page.locator("label[for=org-switch]")).to_be_visible()  # named, not only a box
    shoot(page, "org-switcher")
    page.select_option("#org-switch", "globex")
    expect(page.get_by_text("Switched to Globex.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    login(page, demo.url, "owner@example.com")
    expect(page.locator("#org-switch")).to_have_value("globex")
    expect(page.get_by_role("link", name="Members")).to_have_attribute(
        "href", "/orgs/globex/members/"
    )
