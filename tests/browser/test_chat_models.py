"""The Chat Models and Secrets flows a person walks through, in a real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalog.grouping import grouped_page
from catalog.search import parse_query
from tests.browser.helpers import login, screenshot

pytestmark = pytest.mark.browser
OPUS = "anthropic/claude-opus-4-5"


def test_add_opus_save_its_key_remove_and_reset(demo, page):
    login(page, demo.url, "member@example.com")
    page.fill("#q", "opus 4.5")
    page.wait_for_url("**/settings/chat-models/?q=opus+4.5*")  # the search lives in the URL
    found = grouped_page(parse_query("opus 4.5")).total  # models, not rows: one per model
    expect(page.locator("#results-status")).to_have_text(f"{found} results")
    page.get_by_role("button", name=f"Add {OPUS}", exact=True).click()

    byok = page.locator("#byok")
    expect(byok.get_by_text(OPUS, exact=True)).to_be_visible()
    expect(byok.get_by_text("Not in Secrets")).to_be_visible()
    expect(
        byok.get_by_text("Set ANTHROPIC_API_KEY in the shell where you run the TUI")
    ).to_be_visible()
    expect(page.locator("#results").get_by_text("Added")).to_have_count(1)

    byok.get_by_role("link", name="Add to Secrets").click()
    page.wait_for_url("**/settings/secrets/?name=ANTHROPIC_API_KEY")
    expect(page.locator("#id_name")).to_have_value("ANTHROPIC_API_KEY")
    page.fill("#id_value", "sk-ant-browser-test-value-123")
    page.get_by_role("button", name="Save secret").click()
    expect(page.get_by_text("Saved ANTHROPIC_API_KEY")).to_be_visible()
    expect(page.get_by_text("sk••••23")).to_be_visible()
    assert "browser-test-value" not in page.content()

    page.get_by_role("link", name="Chat Models").click()
    expect(page.locator("#byok").get_by_text("Ready")).to_be_visible()

    page.get_by_role("button", name=f"Remove {OPUS}").click()
    expect(page.locator("#byok").get_by_text("No models of your own yet")).to_be_visible()

    # Add two, then reset with confirmation.
    page.fill("#q", "gpt-5.2")
    page.wait_for_url("**q=gpt-5.2*")
    page.get_by_role("button", name="Add openai/gpt-5.2", exact=True).click()
    expect(page.locator("#byok").get_by_text("openai/gpt-5.2", exact=True)).to_be_visible()
    page.fill("#q", "sonnet 4.5")
    page.wait_for_url("**q=sonnet+4.5*")
    page.get_by_role("button", name="Add anthropic/claude-sonnet-4-5", exact=True).click()
    expect(page.locator("#byok .badge").first).to_have_text("2")
    page.locator("#byok summary", has_text="Reset to defaults").click()
    expect(
        page.get_by_text("Resetting removes all 2 of your models from your picker")
    ).to_be_visible()
    page.get_by_role("button", name="Yes, remove all 2 of my models").click()
    expect(page.locator("#byok").get_by_text("No models of your own yet")).to_be_visible()


def test_newest_query_wins_and_bad_ids_are_explained(demo, page):
    login(page, demo.url, "member@example.com")
    page.locator("#q").press_sequentially("gemini 2.5 pro", delay=15)
    expect(page.locator("#results .model-id").first).to_have_text("gemini/gemini-2.5-pro")
    page.get_by_text("Add a model that isn't in the catalog").click()
    page.fill("#compat-id", "foo/bar")
    page.get_by_role("button", name="Check compatibility").click()
    expect(page.locator("#compat")).to_contain_text("Unknown provider")
    page.fill("#compat-id", "openrouter/some/new-model")
    page.get_by_role("button", name="Check compatibility").click()
    expect(page.locator("#compat")).to_contain_text("OPENROUTER_API_KEY")
    page.get_by_role("button", name="Add anyway").click()
    expect(
        page.locator("#byok").get_by_text("openrouter/some/new-model", exact=True)
    ).to_be_visible()
    expect(page.locator("#byok").get_by_text("not in catalog")).to_be_visible()


def test_restricted_member_sees_the_banner_and_only_the_allowed_model(demo, page):
    login(page, demo.url, "restricted@example.com")
    expect(
        page.get_by_text(
            "Your org has restricted available models. Contact your org owner for changes."
        )
    ).to_be_visible()
    platform = page.locator("#platform [id^=pm-] .model-id")
    expect(platform).to_have_count(1)
    expect(platform).to_have_text("dn/claude-opus-4-6")


def test_add_and_remove_work_without_javascript(demo, no_js_page):
    page = no_js_page
    login(page, demo.url, "member@example.com")
    page.fill("#q", "opus 4.5")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/settings/chat-models/?q=opus+4.5*")
    page.get_by_role("button", name=f"Add {OPUS}", exact=True).click()
    expect(page.get_by_text(f"Added {OPUS}.")).to_be_visible()
    expect(page.locator("#byok").get_by_text(OPUS, exact=True)).to_be_visible()
    assert "q=opus+4.5" in page.url  # back where the person was
    page.get_by_role("button", name=f"Remove {OPUS}").click()
    expect(page.get_by_text(f"Removed {OPUS}.")).to_be_visible()
    expect(page.locator("#byok").get_by_text("No models of your own yet")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_account_pages(demo, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/chat-models/?q=claude+opus")
    page.get_by_role("button", name=f"Add {OPUS}", exact=True).click()
    expect(page.locator("#byok").get_by_text(OPUS, exact=True)).to_be_visible()
    screenshot(page, f"chat-models-{width}")
    page.goto(f"{demo.url}/settings/secrets/?name=ANTHROPIC_API_KEY")
    screenshot(page, f"secrets-{width}")
    page.goto(f"{demo.url}/settings/api-keys/")
    page.fill("#id_key_name", "laptop TUI")
    page.get_by_role("button", name="Create key").click()
    expect(page.locator("#new-key-value")).to_be_visible()
    screenshot(page, f"api-keys-{width}")
    # No horizontal page overflow at this width: wide tables scroll inside their wrapper.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page overflows by {overflow}px at {width}px"
    context.close()


def test_without_javascript_search_and_add_land_on_the_results(demo, no_js_page):
    from accounts.models import EnabledModel, User

    member = User.objects.get(email="member@example.com")
    for model_id in ("openai/gpt-5.2", "openai/gpt-4.1", "gemini/gemini-2.5-pro"):
        EnabledModel.objects.get_or_create(user=member, model_id=model_id)
    page = no_js_page
    login(page, demo.url, "member@example.com")
    page.fill("#q", "opus 4.5")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/settings/chat-models/?q=opus+4.5*#results-status")
    expect(page.locator("#results-status")).to_be_in_viewport()
    page.get_by_role("button", name=f"Add {OPUS}", exact=True).click()
    page.wait_for_url("**/settings/chat-models/?q=opus+4.5*#act-*")
    added = page.locator("#results").get_by_text("Added").first
    expect(added).to_be_in_viewport()
    expect(page.locator("#byok").get_by_text(OPUS, exact=True)).to_be_attached()
