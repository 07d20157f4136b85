"""Members page by keyboard: after each htmx action the focus lands on what changed or on
its message (not the top of the page), and removing a member asks once, in the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, settled

pytestmark = pytest.mark.browser


@pytest.fixture
def members(demo, page):
    login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/members/")
    return page


def press(locator, key: str = "Enter") -> None:
    """Focus `locator` and press `key`, once the previous action's swap has settled."""
    settled(locator.page)
    locator.focus()
    locator.press(key)


def test_focus_follows_open_cancel_and_save(members):
    page = members
    press(page.get_by_role("link", name="Model access for member@example.com"))
    allow_all = page.locator("tr form.access-editor").get_by_label("Allow all platform models")
    expect(allow_all).to_be_focused()

    press(page.locator("tr form.access-editor").get_by_role("link", name="Cancel"))
    expect(page.get_by_role("link", name="Model access for member@example.com")).to_be_focused()

    press(page.get_by_role("link", name="Model access for member@example.com"))
    expect(allow_all).to_be_focused()
    settled(page)
    allow_all.press("Space")  # unticks "allow all"
    press(page.locator("tr form.access-editor").get_by_role("button", name="Save access"))
    saved = page.get_by_role("status").filter(has_text="Saved: member@example.com now has")
    expect(saved).to_be_focused()
    expect(saved).to_have_text("Saved: member@example.com now has no platform models.")


def test_role_change_focuses_its_message(members):
    page = members
    page.get_by_label("Role of reader@example.com").select_option("contributor")
    press(
        page.locator("#member-list tr", has_text="reader@example.com").get_by_role(
            "button", name="Change"
        )
    )
    message = page.get_by_role("status").filter(has_text="reader@example.com is now a contributor.")
    expect(message).to_be_focused()


def test_promoting_a_restricted_member_warns_and_asks_first(members):
    page = members
    row = page.locator("#member-list tr", has_text="restricted@example.com")
    warning = row.get_by_text("their current list of 1 model will be cleared")
    expect(warning).to_be_hidden()
    row.get_by_label("Role of restricted@example.com").select_option("owner")
    expect(warning).to_be_visible()
    row.get_by_role("button", name="Change").click()
    expect(row.get_by_role("alert")).to_contain_text("Tick “Clear their list” to confirm.")
    expect(row.get_by_role("alert")).to_be_focused()
    row.get_by_label("Clear their list").check()
    row.get_by_role("button", name="Change").click()
    expect(row.get_by_role("status")).to_have_text(
        "restricted@example.com is now an owner. Their list of 1 model was cleared: they have "
        "every platform model."
    )


def test_remove_asks_once_in_the_page(members):
    page = members
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_label("Remove reader@example.com").click()
    page.locator("#member-list tr", has_text="reader@example.com").get_by_role(
        "button", name="Yes, remove"
    ).click()
    removed = page.get_by_role("status").filter(
        has_text="Removed reader@example.com from Acme Corp."
    )
    expect(removed).to_be_focused()
    assert dialogs == []
    page.reload()
    expect(
        page.locator("#member-list").get_by_text("reader@example.com", exact=True)
    ).to_have_count(0)


def test_remove_and_promote_work_without_javascript(demo, no_js_page):
    page = no_js_page
    login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/members/")
    page.get_by_label("Remove reader@example.com").click()
    page.locator("#member-list tr", has_text="reader@example.com").get_by_role(
        "button", name="Yes, remove"
    ).click()
    expect(page.get_by_text("Removed reader@example.com from Acme Corp.")).to_be_visible()
    expect(
        page.locator("#member-list").get_by_text("reader@example.com", exact=True)
    ).to_have_count(0)

    row = page.locator("#member-list tr", has_text="restricted@example.com")
    row.get_by_label("Role of restricted@example.com").select_option("owner")
    expect(row.get_by_text("their current list of 1 model will be cleared")).to_be_visible()
    row.get_by_label("Clear their list").check()
    row.get_by_role("button", name="Change").click()
    expect(page.get_by_text("restricted@example.com is now an owner.")).to_be_visible()
