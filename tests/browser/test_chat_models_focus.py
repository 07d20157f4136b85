"""Chat Models after each htmx action: where focus lands, what is announced, and the search
results that follow the list (Add, Remove, Reset, the compatibility check, Show more)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from catalog.grouping import grouped_page
from catalog.search import parse_query
from tests.browser.helpers import login, settled

pytestmark = pytest.mark.browser
OPUS = "anthropic/claude-opus-4-5"
NEXT = "anthropic/claude-opus-4-5-20251101"  # the row after OPUS in "claude opus 4"


def search(page, query: str) -> None:
    page.fill("#q", query)
    page.wait_for_url(f"**q={query.replace(' ', '+')}*")
    settled(page)


def test_add_remove_and_reset_put_focus_on_what_changed(demo, page):
    login(page, demo.url, "member@example.com")
    search(page, "claude opus 4")
    results = page.locator("#results")

    page.get_by_role("button", name=f"Add {OPUS}", exact=True).click()
    added = results.get_by_text("Added", exact=True)
    expect(added).to_be_focused()  # where the Add button was, so Tab goes on to the next row
    settled(page)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("aria-label", f"Add {NEXT}")
    page.keyboard.press("Enter")
    settled(page)
    expect(results.get_by_text("Added", exact=True)).to_have_count(2)

    page.get_by_role("button", name=f"Remove {OPUS}", exact=True).click()
    message = page.locator("#byok [role=status]")
    expect(message).to_have_text(f"Removed {OPUS}.")
    expect(message).to_be_focused()
    expect(results.get_by_role("button", name=f"Add {OPUS}", exact=True)).to_be_visible()

    page.get_by_role("button", name=f"Add {OPUS}", exact=True).click()
    expect(page.locator("#byok .badge").first).to_have_text("2")
    page.locator("#byok summary", has_text="Reset to defaults").click()
    page.get_by_role("button", name="Yes, remove all 2 of my models").click()
    expect(message).to_have_text("Reset to defaults: removed 2 models.")
    expect(message).to_be_focused()
    # Both results offer Add again without a reload.
    expect(results.get_by_text("Added", exact=True)).to_have_count(0)
    for model_id in (OPUS, NEXT):
        expect(results.get_by_role("button", name=f"Add {model_id}", exact=True)).to_be_visible()


def test_an_error_takes_focus_so_it_is_seen_and_read(demo, page):
    login(page, demo.url, "member@example.com")
    search(page, "opus 4.5")
    page.get_by_role("button", name=f"Add {OPUS}", exact=True).click()
    expect(page.locator("#results").get_by_text("Added", exact=True)).to_be_visible()
    page.get_by_text("Add a model that isn't in the catalog").click()
    page.fill("#compat-id", OPUS)
    page.get_by_role("button", name="Check compatibility").click()
    page.locator("#compat").get_by_role("button", name=f"Add {OPUS}", exact=True).click()
    alert = page.locator("#byok [role=alert]")
    expect(alert).to_have_text(f"{OPUS} is already in your models.")
    expect(alert).to_be_focused()


def test_the_check_says_in_catalog_and_offers_the_near_miss_first(demo, page):
    login(page, demo.url, "member@example.com")
    page.get_by_text("Add a model that isn't in the catalog").click()
    compat = page.locator("#compat")

    page.fill("#compat-id", "OpenAI/GPT-5.2")
    page.get_by_role("button", name="Check compatibility").click()
    expect(compat).to_contain_text("openai/gpt-5.2 is in the catalog")
    expect(compat.locator("[role=status]")).to_be_focused()

    page.fill("#compat-id", "anthropic/claude-opus-4.5")
    page.get_by_role("button", name="Check compatibility").click()
    expect(compat).to_contain_text(f"Did you mean {OPUS}?")
    expect(compat.locator("[role=status]")).to_be_focused()
    compat.get_by_role("button", name=f"Add {OPUS}", exact=True).click()
    expect(page.locator("#byok").get_by_text(OPUS, exact=True)).to_be_visible()
    expect(page.locator("#byok").get_by_text("anthropic/claude-opus-4.5")).to_have_count(0)


def test_show_more_appends_the_next_rows_focuses_the_first_and_counts_them(demo, page):
    total = grouped_page(parse_query("claude")).total  # models, not rows: one per model
    login(page, demo.url, "member@example.com")
    search(page, "claude")
    status = page.locator("#results-status")
    expect(status).to_have_text(f"{total} results · showing 1–20")
    assert page.locator("#results").get_attribute("aria-live") is None
    expect(status).to_have_attribute("role", "status")
    rows = page.locator("#result-rows tr")
    expect(rows).to_have_count(20)

    page.get_by_role("link", name="Show more").click()
    expect(rows).to_have_count(40)
    expect(status).to_have_text(f"{total} results · showing 1–40")
    expect(rows.nth(20).locator(".model-name")).to_be_focused()
    assert "page=" not in page.url  # appended in place: the address still names the search
    page.get_by_role("link", name="Show more").click()
    expect(rows).to_have_count(min(60, total))


def test_show_more_without_javascript_is_a_next_page(demo, no_js_page):
    page = no_js_page
    expected = [m.model_id for m in grouped_page(replace(parse_query("claude"), offset=20)).models]
    login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/chat-models/?q=claude")
    page.get_by_role("link", name="Show more").click()
    page.wait_for_url("**/settings/chat-models/?q=claude&page=2#results-status")
    expect(page.locator("#results-status")).to_be_in_viewport()  # on the results, not the top
    expect(page.locator("#result-rows tr > td > .model-id")).to_have_text(expected)
    expect(page.locator("#results-status")).to_contain_text("showing 21–40")
    page.get_by_role("link", name="First results").click()
    page.wait_for_url("**/settings/chat-models/?q=claude#results-status")
