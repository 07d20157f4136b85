"""Every page in its main states, as the person who sees it: axe-core finds nothing serious or
critical at 1280 and 390 px; with SCREENSHOTS=1, screenshots of both widths land in
artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import ApiKey, User
from accounts.services import add_model, save_secret
from catalog.models import CatalogModel, PlatformModel
from orgs.invitations import invite
from orgs.models import AccessRequest, Invitation, Membership, Organization, Role
from orgs.models import Group as OrgGroup
from orgs.services import set_model_access
from settings_app.urls import urlpatterns as app_urls
from tests.browser.helpers import AccessibilityViolations, assert_accessible, force_login

pytestmark = pytest.mark.browser
Open = Callable[[object, str], None]

OWNER = "owner@example.com"
MEMBER = "member@example.com"
RESTRICTED = "restricted@example.com"
READER = "reader@example.com"
STAFF = "admin@example.com"


@pytest.fixture
def walkthrough(demo):
    """The demo data plus a row in every list a page or changelist shows."""
    owner = User.objects.get(email=OWNER)
    add_model(user=owner, model_id="anthropic/claude-opus-4-5")
    save_secret(user=owner, name="ANTHROPIC_API_KEY", value="sk-ant-walkthrough-value-123")
    save_secret(user=owner, name="OPENAI_API_KEY", value="sk-openai-walkthrough-value-456")
    ApiKey.issue(user=owner, name="laptop TUI")
    set_model_access(
        membership=Membership.objects.get(user__email=RESTRICTED),
        allowed_model_ids=["dn/claude-opus-4-6", "dn/gpt-5.2"],
        actor=owner,
        via="web",
    )
    Group.objects.create(name="Support")
    for org, email in [("globex", MEMBER), ("acme", "pending@example.com")]:
        invite(
            org=Organization.objects.get(slug=org),
            email=email,
            role="reader",
            actor=owner,
            via="web",
            link="/invitations/",
        )
    PlatformModel.objects.filter(model_id="dn/gpt-5.2").update(first_seen_at=timezone.now())
    return demo


@pytest.fixture(scope="module")
def module_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pages = [context.new_page()]
    yield pages
    context.close()


@pytest.fixture
def page(module_page, live_server):
    """The module's page, on about:blank, without cookies, storage or routes, at the usual
    size: each state starts as in a new browser context, but in the same renderer, where
    axe-core (injected into each new document) is compiled once. A new context for each of
    the ~70 states started a renderer and compiled axe-core anew: ~0.5 s more a state."""
    page = module_page[0]
    page.goto("about:blank")
    page.context.clear_cookies()
    cdp = page.context.new_cdp_session(page)  # the origin's local storage, IndexedDB, …
    cdp.send("Storage.clearDataForOrigin", {"origin": live_server.url, "storageTypes": "all"})
    cdp.detach()
    page.set_viewport_size({"width": 1280, "height": 900})
    yield page
    page.unroute_all(behavior="ignoreErrors")
    try:  # the page's session storage, from the app's document the state left it on
        page.evaluate("() => sessionStorage.clear()")
    except PlaywrightError:  # on none (a failed state): a new page, then
        page.close()
        module_page[0] = page.context.new_page()


def goto(path: str) -> Open:
    return lambda page, url: page.goto(url + path)


def compatibility_check(page, url):
    page.goto(f"{url}/settings/chat-models/")
    page.get_by_text("Add a model that isn't in the catalog").click()
    page.get_by_label("Model id").fill("openrouter/acme/house-model")
    page.get_by_role("button", name="Check compatibility").click()
    expect(page.locator("#compat .alert")).to_be_visible()


def retiring_model(page, url):
    soon = timezone.localdate() + timedelta(days=30)
    CatalogModel.objects.filter(model_id="anthropic/claude-opus-4-5").update(deprecation_date=soon)
    page.goto(f"{url}/settings/chat-models/")
    expect(
        page.get_by_role("button", name="Replace anthropic/claude-opus-4-5 with")
    ).to_be_visible()


def undeployed_models(page, url):
    PlatformModel.objects.filter(model_id="dn/gpt-5.2").update(
        is_active=False, retired_at=timezone.now()
    )
    page.goto(f"{url}/orgs/acme/access/undeployed/")
    page.get_by_text("Remove from all allowlists").click()
    expect(page.get_by_role("button", name="Yes, remove it from all")).to_be_visible()


def restricted_member(page, url):
    page.goto(f"{url}/settings/chat-models/")
    expect(page.locator("#restricted-banner")).to_be_visible()


def locked_model_requested(page, url):
    page.goto(f"{url}/settings/chat-models/")
    page.get_by_role("button", name="Request access to Gemini 3 Pro").click()
    expect(page.get_by_text("Asked the owners of")).to_be_focused()


def ask_for_gemini() -> None:
    AccessRequest.objects.get_or_create(
        org=Organization.objects.get(slug="acme"),
        member=User.objects.get(email=RESTRICTED),
        model_id="dn/gemini-3-pro",
        status="pending",
        defaults={"reason": "Long documents"},
    )


def access_requests(page, url):
    ask_for_gemini()
    page.goto(f"{url}/orgs/acme/requests/")


def access_request_deny(page, url):
    access_requests(page, url)
    page.get_by_text("Deny", exact=True).click()
    expect(page.get_by_label(f"Note for {RESTRICTED} (optional)")).to_be_visible()


def secret_replace_form(page, url):
    page.goto(f"{url}/settings/secrets/")
    page.locator("tr", has_text="ANTHROPIC_API_KEY").get_by_text("Replace").click()
    expect(page.get_by_label("New value for ANTHROPIC_API_KEY")).to_be_visible()


def secret_delete_confirmation(page, url):
    page.goto(f"{url}/settings/secrets/")
    page.locator("summary[aria-label='Delete ANTHROPIC_API_KEY']").click()
    expect(page.get_by_role("button", name="Yes, delete ANTHROPIC_API_KEY")).to_be_visible()


def new_api_key(page, url):
    page.goto(f"{url}/settings/api-keys/")
    page.get_by_label("Name").fill("ci runner")
    with page.expect_navigation():
        page.get_by_role("button", name="Create key").click()
    expect(page.locator("#new-key")).to_be_visible()


def new_scim_token(page, url):
    page.goto(f"{url}/orgs/acme/settings/")
    page.get_by_label("Token name").fill("Okta")
    with page.expect_navigation():
        page.get_by_role("button", name="Create SCIM token").click()
    expect(page.locator("#new-token")).to_be_visible()
    page.get_by_text("Revoke", exact=True).click()
    expect(page.get_by_role("button", name="Yes, revoke")).to_be_visible()


def access_editor(page, url):
    page.goto(f"{url}/orgs/acme/members/")
    page.get_by_role("link", name=f"Model access for {RESTRICTED}").click()
    editor = page.locator("tr form.access-editor")
    expect(editor.get_by_label("GPT-5.2")).to_be_checked()


def access_matrix_preview(page, url):
    page.goto(f"{url}/orgs/acme/access/")
    page.get_by_label(f"Select {RESTRICTED}").check()
    page.get_by_label("Model", exact=True).select_option("dn/gemini-3-pro")
    page.get_by_role("button", name="Allow model…", exact=True).click()
    expect(page.get_by_role("heading", name="Preview: nothing is saved yet")).to_be_focused()


def access_matrix_pending(page, url):
    page.goto(f"{url}/orgs/acme/access/")
    page.get_by_label(f"dn/gemini-3-pro for {RESTRICTED}").check()
    expect(page.get_by_text("Allow (not saved)")).to_be_visible()


def secret_name_error(page, url):
    page.goto(f"{url}/settings/secrets/")
    page.fill("#id_name", "ANTHROPIC_API_KEY")
    page.fill("#id_value", "sk-another-value-0123456789")
    page.get_by_role("button", name="Save secret").click()
    expect(page.locator("#id_name_error")).to_be_visible()


def invitation(page, url):
    token = Invitation.objects.get(email=MEMBER).token
    page.goto(f"{url}/invitations/{token}/")


def membership_change_form(page, url):
    pk = Membership.objects.get(user__email=RESTRICTED).pk
    page.goto(f"{url}/admin/orgs/membership/{pk}/change/")


def membership_admin(action: str) -> Open:
    def open_state(page, url):
        pk = Membership.objects.get(user__email=RESTRICTED).pk
        page.goto(f"{url}/admin/orgs/membership/{pk}/{action}/")

    return open_state


def membership_history(page, url):
    membership = Membership.objects.get(user__email=RESTRICTED)
    LogEntry.objects.create(
        user=User.objects.get(email=STAFF),
        content_type=ContentType.objects.get_for_model(Membership),
        object_id=str(membership.pk),
        object_repr=str(membership),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Role"]}}]',
    )
    membership_admin("history")(page, url)


def user_admin(action: str) -> Open:
    def open_state(page, url):
        pk = User.objects.get(email=RESTRICTED).pk
        page.goto(f"{url}/admin/accounts/user/{pk}/{action}/")

    return open_state


def admin_login_error(page, url):
    page.goto(f"{url}/admin/login/")
    page.get_by_label("Email").fill(STAFF)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_be_visible()


def login_error(page, url):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", OWNER)
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator(".alert-error")).to_be_visible()


def locked_out(page, url):
    """Ten wrong passwords from this address (the browser's too: 127.0.0.1), then the form."""
    for _ in range(10):
        Client().post("/accounts/login/", {"username": OWNER, "password": "wrong"})
    login_error(page, url)
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()


def _boom(request):
    raise RuntimeError("a bug, for the 500 page")


urlpatterns = [path("boom/", _boom), *app_urls]


def error_500(page, url):
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        assert page.goto(f"{url}/boom/").status == 500
    expect(page.get_by_role("heading", name="Something went wrong on our side")).to_be_visible()


def api_docs(page, url):
    page.goto(f"{url}/api/v1/docs#schemas")
    expect(page.locator("#schemas")).to_be_in_viewport()


def org_switcher(page, url):
    Membership.objects.create(
        org=Organization.objects.get(slug="globex"),
        user=User.objects.get(email=OWNER),
        role=Role.READER,
    )
    page.goto(f"{url}/settings/chat-models/")
    page.get_by_label("Organization").focus()
    expect(page.locator("#org-switch option")).to_have_count(2)


ACCESS_CSV = f"email,role,allowed_model_ids\r\n{RESTRICTED},contributor,dn/gemini-3-pro\r\n"
BAD_CSV = "email,role,allowed_model_ids\r\nnobody@example.com,contributor,dn/gemini-3-pro\r\n"


def import_file(content: str) -> Open:
    def open_state(page, url):
        page.goto(f"{url}/orgs/acme/access/")
        page.set_input_files(
            "#import-file",
            {"name": "access.csv", "mimeType": "text/csv", "buffer": content.encode()},
        )
        page.get_by_role("button", name="Preview import").click()
        expect(page.locator("#preview-heading")).to_contain_text("mport")

    return open_state


def member_access_page(page, url):
    user_id = Membership.objects.get(user__email=MEMBER).user_id
    page.goto(f"{url}/orgs/acme/members/{user_id}/access/")
    page.get_by_label("Allow all platform models").uncheck()
    expect(page.get_by_label("GPT-5.2")).to_be_visible()


def group_page(page, url):
    group = OrgGroup.objects.get(org__slug="acme", name="Research")  # the demo's
    page.goto(f"{url}/orgs/acme/groups/{group.pk}/")
    expect(page.get_by_label("GPT-5.2")).to_be_checked()


ADMIN_CHANGELISTS = sorted(
    f"/admin/{model._meta.app_label}/{model._meta.model_name}/" for model in admin.site._registry
)

# (name, persona, open): the persona logs in first; None stays anonymous.
STATES: list[tuple[str, str | None, Open]] = [
    ("login", None, goto("/accounts/login/")),
    ("chat-models", MEMBER, goto("/settings/chat-models/")),
    ("chat-models-search", MEMBER, goto("/settings/chat-models/?q=opus+4.5")),
    ("chat-models-compatibility", MEMBER, compatibility_check),
    ("chat-models-restricted", RESTRICTED, restricted_member),
    ("chat-models-retiring", OWNER, retiring_model),
    ("chat-models-locked-requested", RESTRICTED, locked_model_requested),
    ("access-requests-owner", OWNER, access_requests),
    ("access-requests-deny", OWNER, access_request_deny),
    ("access-requests-member", RESTRICTED, access_requests),
    ("secrets", OWNER, goto("/settings/secrets/")),
    ("secrets-replace", OWNER, secret_replace_form),
    ("secrets-delete-confirmation", OWNER, secret_delete_confirmation),
    ("secrets-name-error", OWNER, secret_name_error),
    ("api-keys", OWNER, goto("/settings/api-keys/")),
    ("api-keys-created", OWNER, new_api_key),
    ("members-owner", OWNER, goto("/orgs/acme/members/")),
    ("members-access-editor", OWNER, access_editor),
    ("members-contributor", MEMBER, goto("/orgs/acme/members/")),
    ("audit-log", OWNER, goto("/orgs/acme/audit/")),
    ("groups", OWNER, goto("/orgs/acme/groups/")),
    ("group", OWNER, group_page),
    ("access-matrix", OWNER, goto("/orgs/acme/access/")),
    ("access-matrix-preview", OWNER, access_matrix_preview),
    ("access-matrix-pending", OWNER, access_matrix_pending),
    ("access-undeployed", OWNER, undeployed_models),
    ("org-settings", OWNER, goto("/orgs/acme/settings/")),
    ("org-settings-scim-token-created", OWNER, new_scim_token),
    ("invitations", MEMBER, goto("/invitations/")),
    ("invitation", MEMBER, invitation),
    ("error-403", READER, goto("/orgs/acme/audit/")),
    ("error-404", MEMBER, goto("/orgs/globex/members/")),
    ("error-405", MEMBER, goto("/settings/chat-models/add/")),
    ("admin-index", STAFF, goto("/admin/")),
    *[
        (f"admin{path.removeprefix('/admin').rstrip('/').replace('/', '-')}", STAFF, goto(path))
        for path in ADMIN_CHANGELISTS
    ],
    ("admin-membership-change", STAFF, membership_change_form),
    ("login-error", None, login_error),
    ("locked-out", None, locked_out),
    ("error-500", MEMBER, error_500),
    ("api-docs", MEMBER, api_docs),
    ("org-switcher", OWNER, org_switcher),
    ("access-import-preview", OWNER, import_file(ACCESS_CSV)),
    ("access-import-errors", OWNER, import_file(BAD_CSV)),
    ("admin-login", None, goto("/admin/login/")),
    ("admin-login-error", None, admin_login_error),
    ("admin-app-index", STAFF, goto("/admin/orgs/")),
    ("admin-platformmodel-add", STAFF, goto("/admin/catalog/platformmodel/add/")),
    ("admin-user-change", STAFF, user_admin("change")),
    ("admin-user-password", STAFF, user_admin("password")),
    ("admin-membership-delete", STAFF, membership_admin("delete")),
    ("admin-membership-history", STAFF, membership_history),
    ("admin-password-change", STAFF, goto("/admin/password_change/")),
]

# The pages a form submits to when htmx doesn't swap a fragment in, as without JavaScript.
# axe runs as a script, which a context with JavaScript disabled never finishes: these load
# with JavaScript but without the app's scripts, so the forms submit as plain forms.
NO_SCRIPTS_STATES: list[tuple[str, str | None, Open]] = [
    ("no-js-access-matrix-preview", OWNER, access_matrix_preview),
    ("no-js-access-import-preview", OWNER, import_file(ACCESS_CSV)),
    ("no-js-member-access", OWNER, member_access_page),
]


CASES = [pytest.param(*state, id=state[0]) for state in STATES]


@pytest.mark.parametrize(("name", "persona", "open_state"), CASES)
def test_page_has_no_serious_accessibility_violations(walkthrough, page, name, persona, open_state):
    if persona:
        force_login(page, walkthrough.url, persona)
    open_state(page, walkthrough.url)
    assert_accessible(page, name, shots=name)


@pytest.mark.parametrize(
    ("name", "persona", "open_state"), [pytest.param(*s, id=s[0]) for s in NO_SCRIPTS_STATES]
)
def test_page_reached_without_scripts_has_no_serious_accessibility_violations(
    walkthrough, page, name, persona, open_state
):
    page.route("**/*.js", lambda route: route.abort())
    force_login(page, walkthrough.url, persona)
    open_state(page, walkthrough.url)
    assert page.evaluate("typeof window.htmx") == "undefined"
    assert_accessible(page, name, shots=name)


def test_the_check_reports_what_it_finds(demo, page):
    """An unlabelled checkbox is a critical violation, named with its selector."""
    page.goto(f"{demo.url}/accounts/login/")
    page.evaluate("document.querySelector('form').append(document.createElement('input'))")
    page.evaluate("document.querySelector('form input:last-child').type = 'checkbox'")
    found = r"(?s)1280px label \(critical\).*390px label \(critical\)"
    with pytest.raises(AccessibilityViolations, match=found):
        assert_accessible(page, "login-with-unlabelled-checkbox")
