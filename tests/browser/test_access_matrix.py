"""An owner changes access for several members at once in the members × models matrix:
select, allow a model, read the preview, confirm; the members have the model (real Chromium)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from orgs.models import Membership
from orgs.services import set_model_access
from tests.browser.helpers import force_login, login, screenshot, shoot
from tests.helpers import ApiClient

pytestmark = pytest.mark.browser
MEMBERS = ["member@example.com", "reader@example.com", "restricted@example.com"]


def test_owner_allows_a_model_for_three_selected_members(demo, page):
    owner = User.objects.get(email="owner@example.com")
    for email in MEMBERS[:2]:
        set_model_access(
            membership=Membership.objects.get(user__email=email),
            allowed_model_ids=["dn/claude-opus-4-6"],
            actor=owner,
            via="web",
        )
    login(page, demo.url, "owner@example.com")
    page.get_by_role("link", name="Model access", exact=True).click()
    expect(page.get_by_role("heading", name="Model access", level=1)).to_be_visible()
    for email in MEMBERS:
        page.get_by_label(f"Select {email}").check()
    page.get_by_label("Model", exact=True).select_option("dn/gpt-5.2")
    page.get_by_role("button", name="Allow model…", exact=True).click()

    heading = page.get_by_role("heading", name="Preview: nothing is saved yet")
    expect(heading).to_be_focused()
    expect(page.get_by_text("3 members gain dn/gpt-5.2")).to_be_visible()
    screenshot(page, "access-matrix-preview-1280")
    assert Membership.objects.get(user__email=MEMBERS[0]).allowed_model_ids == [
        "dn/claude-opus-4-6"
    ]
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_text("Saved model access for 3 members.")).to_be_visible()
    expect(page.get_by_label("dn/gpt-5.2 for reader@example.com")).to_be_checked()

    page.context.clear_cookies()
    login(page, demo.url, "restricted@example.com")
    expect(page.locator("#platform [id^=pm-] .model-id")).to_have_text(
        ["dn/claude-opus-4-6", "dn/gpt-5.2"]
    )
    for email in MEMBERS[:2]:
        visible = ApiClient(User.objects.get(email=email)).get("/inference").json()["models"]
        assert [m["id"] for m in visible] == ["dn/claude-opus-4-6", "dn/gpt-5.2"]


@pytest.mark.parametrize("js", [True, False])
def test_a_ticked_cell_shows_its_pending_state_at_once(demo, page, no_js_page, js):
    """Before Preview, a changed box says what will change: by CSS, so without JS too."""
    page = page if js else no_js_page
    force_login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/access/")
    box = page.get_by_label("dn/gpt-5.2 for restricted@example.com")
    cell = page.locator("td.cell", has=box)
    expect(cell).to_contain_text("No")
    box.check()
    expect(cell).to_contain_text("Allow (not saved)")
    expect(cell.locator(".cell-now")).to_be_hidden()
    allowed = page.get_by_label("dn/claude-opus-4-6 for restricted@example.com")
    allowed.uncheck()
    expect(page.locator("td.cell", has=allowed)).to_contain_text("Remove (not saved)")
    if js:
        shoot(page, "access-matrix-pending")
    box.uncheck()  # back as saved: the saved state again
    expect(cell.locator(".cell-now")).to_have_text("No")
    expect(cell.locator(".cell-pending")).to_be_hidden()
