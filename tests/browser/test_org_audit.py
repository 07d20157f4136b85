"""The audit log on a phone: its table becomes cards, and each cell says what it is; times
are relative with the exact time on hover."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from orgs import services
from orgs.models import Membership, ModelAccessEvent, Role
from tests.browser.helpers import login, screenshot

pytestmark = pytest.mark.browser


def test_audit_cards_label_their_cells_at_390px(demo, browser):
    services.set_role(
        membership=Membership.objects.get(user__email="reader@example.com"),
        role=Role.CONTRIBUTOR,
        actor=User.objects.get(email="owner@example.com"),
        via=ModelAccessEvent.Via.WEB,
    )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/audit/")
    cells = page.locator("tbody tr").first.locator("td")
    expect(cells).to_have_count(5)
    labels = cells.evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert labels == ['"When"', '"Who"', '"Member"', '"Change"', '"Via"']
    when = cells.first.locator("time")
    expect(when).to_have_text("just now")
    expect(when).to_have_attribute("title", re.compile(r"\d{4}.* UTC$"))
    screenshot(page, "audit-390")
    context.close()
