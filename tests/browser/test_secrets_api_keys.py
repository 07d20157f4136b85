"""Secrets and API keys in real Chromium: post/redirect/get, one confirmation, copy, phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import ApiKey, EnabledModel, Secret
from accounts.services import save_secret
from tests.browser.helpers import force_login, shoot

pytestmark = pytest.mark.browser
MEMBER = "member@example.com"


def _no_dialogs(page) -> None:
    def refuse(dialog):
        dialog.dismiss()
        raise AssertionError(f"unexpected browser prompt: {dialog.message}")

    page.on("dialog", refuse)


def test_a_new_key_is_shown_once_after_a_redirect_and_copies(demo, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    force_login(page, demo.url, MEMBER)
    page.goto(f"{demo.url}/settings/api-keys/")
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Create key").click()
    expect(page).to_have_url(f"{demo.url}/settings/api-keys/")
    raw = page.locator("#new-key-value").inner_text()
    assert ApiKey.objects.get(name="laptop").key_hash == ApiKey.hash(raw)
    expect(page.get_by_text("manage.py")).to_have_count(0)

    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == raw

    page.set_viewport_size({"width": 390, "height": 844})
    # The key breaks anywhere; the sentence around it only between words; nothing overflows.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#new-key-value')).overflowWrap")
        == "anywhere"
    )
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#new-key p')).wordBreak")
        == "normal"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "api-keys-new-key")

    page.reload()
    expect(page.locator("#new-key-value")).to_have_count(0)
    assert ApiKey.objects.filter(user__email=MEMBER).count() == 1


def test_the_copy_button_is_hidden_without_javascript(demo, no_js_page):
    page = no_js_page
    force_login(page, demo.url, MEMBER)
    page.goto(f"{demo.url}/settings/api-keys/")
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Create key").click()
    expect(page).to_have_url(f"{demo.url}/settings/api-keys/")
    expect(page.locator("#new-key-value")).to_be_visible()
    expect(page.locator("[data-copy]")).to_be_hidden()


@pytest.mark.parametrize("js", [True, False])
def test_revoking_a_key_asks_once(demo, page, no_js_page, js):
    page = page if js else no_js_page
    _no_dialogs(page)
    from accounts.models import User

    ApiKey.issue(user=User.objects.get(email=MEMBER), name="laptop")
    force_login(page, demo.url, MEMBER)
    page.goto(f"{demo.url}/settings/api-keys/")
    page.get_by_text("Revoke", exact=True).first.click()
    page.get_by_role("button", name="Yes, revoke").click()
    expect(page).to_have_url(f"{demo.url}/settings/api-keys/")
    expect(page.get_by_text("Revoked “laptop”")).to_be_visible()
    assert ApiKey.objects.get(name="laptop").revoked_at is not None


@pytest.mark.parametrize("js", [True, False])
def test_secrets_errors_and_deletes_stay_on_the_page_address(demo, page, no_js_page, js):
    page = page if js else no_js_page
    _no_dialogs(page)
    from accounts.models import User

    member = User.objects.get(email=MEMBER)
    save_secret(user=member, name="ANTHROPIC_API_KEY", value="v" * 24)
    EnabledModel.objects.get_or_create(user=member, model_id="anthropic/claude-opus-4-5")
    force_login(page, demo.url, MEMBER)
    page.goto(f"{demo.url}/settings/secrets/")
    page.locator("#add-secret").get_by_label("Name").fill("ANTHROPIC_API_KEY")
    page.locator("#add-secret").get_by_label("Value").fill("v" * 20)
    page.get_by_role("button", name="Save secret").click()
    expect(page.locator(".field-error").first).to_be_visible()
    expect(page).to_have_url(f"{demo.url}/settings/secrets/")

    page.get_by_text("Delete", exact=True).first.click()
    expect(page.get_by_text("of your models need it")).to_be_visible()
    page.get_by_role("button", name="Yes, delete ANTHROPIC_API_KEY").click()
    expect(page).to_have_url(f"{demo.url}/settings/secrets/")
    expect(page.get_by_text("Deleted ANTHROPIC_API_KEY")).to_be_visible()
    assert not Secret.objects.filter(name="ANTHROPIC_API_KEY", user__email=MEMBER).exists()
    if js:
        page.set_viewport_size({"width": 390, "height": 844})
        shoot(page, "secrets-after-delete")


def test_a_bad_secret_name_is_explained_by_the_browser_too(demo, page):
    force_login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/secrets/")
    page.fill("#id_name", "1bad name")
    page.fill("#id_value", "sk-something-long-enough")
    page.get_by_role("button", name="Save secret").click()
    message = page.eval_on_selector("#id_name", "el => el.validationMessage")
    assert "letters, digits and underscores, not starting with a digit" in message
    expect(page.locator("#id_name_helptext")).to_be_visible()
