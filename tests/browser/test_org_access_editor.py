"""The model-access checklist: the filter really hides models, Select all / none act on the
models shown, and the controls that need JavaScript appear only when it runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from orgs.models import Membership
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


def test_filter_then_select_all_ticks_only_the_models_shown(demo, page):
    login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/members/")
    page.get_by_role("link", name="Model access for member@example.com").click()
    editor = page.locator("tr form.access-editor")
    editor.get_by_label("Allow all platform models").uncheck()
    expect(editor.get_by_text("0 of 3 selected")).to_be_visible()

    editor.get_by_placeholder("Filter models").fill("gpt")
    expect(editor.get_by_label("Claude Opus 4.6")).to_be_hidden()
    expect(editor.get_by_label("GPT-5.2")).to_be_visible()
    editor.get_by_role("button", name="Select all").click()
    expect(editor.get_by_text("1 of 3 selected (1 shown)")).to_be_visible()

    editor.get_by_placeholder("Filter models").fill("")
    expect(editor.get_by_label("Claude Opus 4.6")).to_be_visible()
    expect(editor.get_by_label("Claude Opus 4.6")).not_to_be_checked()
    expect(editor.get_by_label("GPT-5.2")).to_be_checked()
    editor.get_by_role("button", name="Select all").click()
    expect(editor.get_by_text("3 of 3 selected")).to_be_visible()
    editor.get_by_role("button", name="Select none").click()
    expect(editor.get_by_text("0 of 3 selected")).to_be_visible()


def editor_page(demo) -> str:
    member = Membership.objects.get(user__email="member@example.com")
    return f"{demo.url}/orgs/acme/members/{member.user_id}/access/"


def test_editor_page_with_javascript_offers_the_filter(demo, page):
    login(page, demo.url, "owner@example.com")
    page.goto(editor_page(demo))
    page.get_by_label("Allow all platform models").uncheck()
    expect(page.get_by_placeholder("Filter models")).to_be_visible()
    page.get_by_placeholder("Filter models").fill("gemini")
    page.get_by_role("button", name="Select all").click()
    page.get_by_role("button", name="Save access").click()
    page.wait_for_url(f"{demo.url}/orgs/acme/members/")
    expect(page.get_by_text("now has 1 platform model")).to_be_visible()


def test_without_javascript_the_dead_controls_are_not_shown(demo, no_js_page):
    page = no_js_page
    login(page, demo.url, "owner@example.com")
    page.goto(editor_page(demo))
    page.get_by_label("Allow all platform models").uncheck()
    expect(page.get_by_label("GPT-5.2")).to_be_visible()
    expect(page.get_by_placeholder("Filter models")).to_be_hidden()
    expect(page.get_by_role("button", name="Select all")).to_be_hidden()
    expect(page.get_by_role("button", name="Select none")).to_be_hidden()
    page.get_by_label("GPT-5.2").check()
    page.get_by_role("button", name="Save access").click()
    expect(page.get_by_text("now has 1 platform model")).to_be_visible()
