"""Issue 22, point 15 in Chromium: buttons that belong together sit together, an error under
one field leaves the row's other fields and button in line, the new key's banner has room,
and no page asks for a favicon that isn't there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts import services
from accounts.models import User
from orgs import invitations, requests
from orgs.models import Organization
from tests.browser.helpers import assert_accessible, force_login, shoot

pytestmark = pytest.mark.browser
WIDTHS = pytest.mark.parametrize("width", [1280, 390])


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


@WIDTHS
def test_accept_and_decline_sit_side_by_side(demo, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    invitation = invitations.invite(
        org=Organization.objects.get(slug="acme"),
        email="outsider@example.com",
        role="reader",
        actor=User.objects.get(email="owner@example.com"),
        via="web",
        link="/",
    )
    force_login(page, demo.url, "outsider@example.com")
    page.goto(f"{demo.url}/invitations/{invitation.token}/")
    accept = _box(page.get_by_role("button", name="Accept the invitation to Acme Corp"))
    decline = _box(page.get_by_role("button", name="Decline the invitation to Acme Corp"))
    assert decline["x"] - (accept["x"] + accept["width"]) < 24
    shoot(page, "invitation")


@WIDTHS
def test_a_secret_name_error_keeps_value_and_save_in_line(demo, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    force_login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/secrets/")
    page.fill("#id_name", "OPENAI_API_KEY")
    page.fill("#id_value", "sk-first-value-0123456789")
    page.get_by_role("button", name="Save secret").click()
    # The first save lands (a new page with its message) before the second is typed.
    expect(page.get_by_text("Saved OPENAI_API_KEY.")).to_be_visible()
    page.fill("#id_name", "OPENAI_API_KEY")  # again: refused by the server, next to the field
    page.fill("#id_value", "sk-second-value-0123456789")
    page.get_by_role("button", name="Save secret").click()
    expect(page.locator("#id_name_error")).to_be_visible()
    page.wait_for_load_state()
    name, value = _box(page.locator("#id_name")), _box(page.locator("#id_value"))
    save = _box(page.get_by_role("button", name="Save secret"))
    if width == 1280:  # one row; on a phone Name takes its own line above Value and Save
        assert abs(name["y"] - value["y"]) < 2
    assert abs((save["y"] + save["height"] / 2) - (value["y"] + value["height"] / 2)) < 4
    shoot(page, "secrets-name-error")


@WIDTHS
def test_the_new_key_banner_has_room_and_no_favicon_404(demo, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    force_login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/api-keys/")
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Create key").click()
    banner = _box(page.locator("#new-key"))
    heading = _box(page.get_by_role("heading", name="Your keys"))
    assert heading["y"] - (banner["y"] + banner["height"]) >= 16
    shoot(page, "api-keys-new-key")
    assert page.goto(f"{demo.url}/favicon.ico").ok
    assert missing == []


@WIDTHS
def test_the_matrix_for_label_sits_on_the_line_of_its_choices(demo, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    force_login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/access/")
    shoot(page, "access-matrix-bulk")
    legend = _box(page.locator(".matrix-scope legend"))
    first = _box(page.get_by_label("the members ticked below"))
    assert abs((legend["y"] + legend["height"] / 2) - (first["y"] + first["height"] / 2)) < 6
    assert legend["x"] < first["x"]  # before it on its line, not above it
    second = _box(page.get_by_label("everyone in Acme Corp (4)"))
    assert second["x"] > legend["x"] + legend["width"]  # a wrapped choice stays beside "For"


@pytest.mark.parametrize(
    "path",
    ["/admin/catalog/platformmodel/", "/admin/catalog/catalogmodel/", "/admin/orgs/membership/"],
)
def test_admin_lists_fit_at_1280(demo, page, path):
    force_login(page, demo.url, "admin@example.com")
    page.goto(demo.url + path)
    table = _box(page.locator("#result_list"))
    assert table["x"] + table["width"] <= 1280
    expect(page.locator("#site-name")).to_contain_text("Dreadnode")


def test_matrix_row_borders_span_the_checkbox_cell(demo, page):
    force_login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/access/")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        # Each row's cells draw the same bottom border: none draws a line its neighbours don't.
        borders = page.locator(".matrix tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.cells].map(c => { const s = getComputedStyle(c);"
            " return s.borderBottomStyle === 'none' || s.borderBottomWidth === '0px' ? 'none'"
            " : `${s.borderBottomWidth} ${s.borderBottomStyle} ${s.borderBottomColor}`; }))"
        )
        assert borders and all(len(set(row)) == 1 for row in borders), (width, borders)
        if width == 1280:  # a table with ruled rows; on a phone each member is a card
            assert all(row[0] != "none" for row in borders[:-1]), (width, borders)
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "access-matrix-rows")
    assert_accessible(page, "model access")


def test_the_search_box_is_above_the_fold_once_you_have_models(demo, page):
    member = User.objects.get(email="member@example.com")
    for model_id in ("anthropic/claude-opus-4-5", "openai/gpt-5.2", "gemini/gemini-2.5-pro"):
        services.add_model(user=member, model_id=model_id)
    force_login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/chat-models/")
    expect(page.locator("#byok tbody tr")).to_have_count(3)
    # Point 15f: where to set the keys is said once above the list, not in every row.
    expect(page.get_by_text("in the shell where you run the TUI")).to_have_count(1)
    search = _box(page.get_by_role("searchbox", name="Search models"))
    assert search["y"] + search["height"] <= 900
    shoot(page, "chat-models-with-models")
    assert_accessible(page, "chat models")


def test_confirm_boxes_open_in_place_at_both_widths(demo, page):
    member = User.objects.get(email="member@example.com")
    services.add_model(user=member, model_id="anthropic/claude-opus-4-5")
    services.save_secret(user=member, name="ANTHROPIC_API_KEY", value="sk-ant-0123456789abcdef")
    force_login(page, demo.url, "member@example.com")
    for path, summary, yes in [
        ("/settings/chat-models/", "Reset to defaults", "Yes, remove all 1 of my models"),
        ("/settings/secrets/", "Delete ANTHROPIC_API_KEY", "Yes, delete ANTHROPIC_API_KEY"),
    ]:
        page.goto(demo.url + path)
        page.get_by_text(summary, exact=True).or_(page.get_by_label(summary)).first.click()
        expect(page.get_by_role("button", name=yes)).to_be_visible()
        assert "{#" not in page.locator("body").inner_text()  # no template comment shows
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            box = _box(page.locator("details.confirm[open] .confirm-box"))
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
        page.set_viewport_size({"width": 1280, "height": 900})
        shoot(page, "confirm-" + path.strip("/").split("/")[-1])
        assert_accessible(page, path)


@pytest.mark.parametrize("width", [900, 1280])
def test_key_names_on_chat_models_never_break_mid_name(demo, page, width):
    """Each BYOK row names the key it needs; at a laptop's width OPENAI_API_KEY stays whole."""
    user = User.objects.get(email="member@example.com")
    services.add_model(user=user, model_id="openai/gpt-4o")
    services.add_model(user=user, model_id="gemini/gemini-2.5-pro")
    page.set_viewport_size({"width": width, "height": 900})
    force_login(page, demo.url, "member@example.com")
    page.goto(f"{demo.url}/settings/chat-models/")
    names = page.locator("#byok td.key-need code")
    expect(names.first).to_be_visible()
    for i in range(names.count()):
        # The lines each key name is drawn on: a name cut in two is drawn on two.
        lines = names.nth(i).evaluate(
            """el => el.textContent.trim().split(" or ").map(name => {
                const text = el.firstChild, start = text.data.indexOf(name);
                const r = document.createRange();
                r.setStart(text, start); r.setEnd(text, start + name.length);
                return [name, new Set([...r.getClientRects()].map(x => Math.round(x.top))).size];
            })"""
        )
        assert all(count == 1 for _, count in lines), lines


def test_group_pages_fit_a_phone(demo, page):
    """Issue 23's surfaces at 390px: the new SCIM token wraps inside its banner, a matrix cell a
    group gives wraps inside its card, a request's Approve and Deny share a line."""
    org = Organization.objects.get(slug="acme")
    restricted = org.memberships.get(user__email="restricted@example.com")
    research = org.groups.get(name="Research")
    research.members.add(restricted)
    research.name = "Research and Development Platform Team"
    research.allowed_model_ids = ["dn/gemini-3-pro"]
    research.save()
    org.groups.create(name="Data", allowed_model_ids=["dn/gpt-5.2"])  # approving may add them
    requests.request_access(membership=restricted, model_id="dn/gpt-5.2")
    page.set_viewport_size({"width": 390, "height": 900})
    force_login(page, demo.url, "owner@example.com")
    page.goto(f"{demo.url}/orgs/acme/settings/")
    page.get_by_label("Token name").fill("Okta")
    page.get_by_role("button", name="Create SCIM token").click()
    expect(page.locator("#new-token-value")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{demo.url}/orgs/acme/access/")
    expect(page.locator(".matrix td.cell-group").first).to_be_visible()
    wrap = page.locator(".table-wrap:has(.matrix)")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")  # no card cut off on the right
    page.goto(f"{demo.url}/orgs/acme/requests/")
    approve = _box(page.get_by_role("button", name="Approve restricted@example.com's request"))
    deny = _box(page.get_by_label("Deny restricted@example.com's request"))
    assert abs(approve["y"] - deny["y"]) < 2 and deny["x"] > approve["x"]
