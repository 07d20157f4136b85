"""One model, one row in the model browser (real Chromium): "sonnet 4" shows Claude Sonnet
4.6 once with its other hosts folded beneath, each addable; axe-clean at 1280 and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import EnabledModel
from tests.browser.helpers import assert_accessible, force_login, settled

pytestmark = pytest.mark.browser


def test_a_model_shows_once_and_its_hosts_can_be_added(demo, page):
    force_login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/chat-models/?q=sonnet+4")
    settled(page)
    rows = page.locator("#result-rows > tr")
    expect(rows.first.locator(".model-name")).to_have_text("Claude Sonnet 4.6")
    expect(rows.first.locator("details.hosts summary")).to_contain_text("other hosts")
    names = page.locator("#result-rows .model-name")
    expect(names.get_by_text("Claude Sonnet 4.6", exact=True)).to_have_count(1)
    rows.first.get_by_text("other host").click()
    assert_accessible(page, "search grouped", shots="search-grouped")
    rows.first.get_by_role("button", name="Add vertex_ai/claude-sonnet-4-6", exact=True).click()
    settled(page)
    expect(page.locator("#byok")).to_contain_text("vertex_ai/claude-sonnet-4-6")
    assert EnabledModel.objects.filter(model_id="vertex_ai/claude-sonnet-4-6").exists()
