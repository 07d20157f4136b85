"""Chat Models: reordering "Your models", the one reset confirmation, with and without
JavaScript, and model ids that wrap between their parts on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts import services
from accounts.models import User
from tests.browser.helpers import login, settled

pytestmark = pytest.mark.browser
A, B, C = "anthropic/claude-opus-4-5", "openai/gpt-5.2", "gemini/gemini-2.5-pro"


def add_three() -> None:
    user = User.objects.get(email="member@example.com")
    for model_id in (A, B, C):
        services.add_model(user=user, model_id=model_id)


def byok_order(page) -> list[str]:
    return page.locator("#byok tbody .model-id").all_text_contents()


def test_move_up_and_down_keep_focus_on_the_moved_models_button(demo, page):
    add_three()
    login(page, demo.url, "member@example.com")
    page.get_by_role("button", name=f"Move {C} up").click()
    expect(page.locator("#byok tbody .model-id")).to_have_text([A, C, B])
    expect(page.get_by_role("button", name=f"Move {C} up")).to_be_focused()
    settled(page)
    page.keyboard.press("Enter")  # again, from the keyboard: now it is first
    expect(page.locator("#byok tbody .model-id")).to_have_text([C, A, B])
    expect(page.get_by_role("button", name=f"Move {C} down")).to_be_focused()
    expect(page.locator("#byok [role=status]")).to_have_text(f"Moved {C} up.")
    page.reload()
    assert byok_order(page) == [C, A, B]


def test_move_without_javascript(demo, no_js_page):
    page = no_js_page
    add_three()
    login(page, demo.url, "member@example.com")
    page.get_by_role("button", name=f"Move {A} down").click()
    expect(page.get_by_text(f"Moved {A} down.")).to_be_visible()
    assert byok_order(page) == [B, A, C]
    row_id = page.locator("#byok tbody tr").nth(1).get_attribute("id")
    assert page.url.endswith(f"#{row_id}")  # back at the moved row: Tab continues from there


@pytest.mark.parametrize("js", [True, False])
def test_reset_asks_once_in_the_page_itself(demo, browser, js):
    add_three()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=js)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, demo.url, "member@example.com")
    confirm = page.get_by_role("button", name="Yes, remove all 3 of my models")
    expect(confirm).to_be_hidden()
    page.locator("#byok summary", has_text="Reset to defaults").click()
    expect(
        page.get_by_text("Resetting removes all 3 of your models from your picker; you start")
    ).to_be_visible()
    confirm.click()
    expect(page.get_by_text("Reset to defaults: removed 3 models.")).to_be_visible()
    expect(page.locator("#byok").get_by_text("No models of your own yet")).to_be_visible()
    assert dialogs == []
    context.close()


def test_model_ids_wrap_only_between_their_parts_on_a_phone(demo, browser):
    add_three()
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    login(page, demo.url, "member@example.com")
    # Long ids: bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0 and the like.
    page.goto(f"{demo.url}/settings/chat-models/?q=sonnet+20240620")
    # Each part between break opportunities (wrap_id's `.id-whole` spans) sits on one line.
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.model-id')].map((el) => {
            const tops = (node) => {
                const range = document.createRange();
                range.selectNodeContents(node);
                return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
            };
            const parts = [...el.querySelectorAll('.id-whole')];
            return {id: el.textContent, lines: tops(el), parts: parts.length,
                broken: parts.filter((n) => tops(n) > 1)
                .map((n) => n.textContent)};
        })"""
    )
    # Each part between break opportunities sits on one line...
    assert all(line["parts"] for line in lines)
    assert [line for line in lines if line["broken"]] == []
    # ...while ids too long for the line do wrap, between their parts.
    assert any(line["lines"] > 1 for line in lines)
    context.close()
