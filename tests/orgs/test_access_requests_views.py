"""Access requests on the web: Request access on Chat Models, the Requests page, the nav count."""

from __future__ import annotations

from html import unescape

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from catalog.models import PlatformModel
from catalog.templatetags.catalog_tags import dom_id
from orgs.models import AccessRequest, Membership, ModelAccessEvent
from tests.helpers import unwrap_ids

pytestmark = pytest.mark.django_db
PAGE = "/orgs/acme/requests/"
NEW = "/orgs/acme/requests/new/"
BULK = "/orgs/acme/requests/decide/"
CHAT = "/settings/chat-models/"
LOCKED_TEXT = "Not available to you: your org's owners decide platform access"
GPT_ROW = f'<tr id="locked-{dom_id("dn/gpt-5.2")}"'


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_has(client: Client, text: str) -> bool:
    return text in unescape(client.get(CHAT).content.decode())


@pytest.fixture
def pending(restricted, owner) -> AccessRequest:
    return AccessRequest.objects.create(
        org=Membership.objects.get(user=restricted).org, member=restricted, model_id="dn/gpt-5.2"
    )


def one(pending, action: str) -> str:
    return f"/orgs/acme/requests/{pending.pk}/{action}/"


# Who may use each URL.

URLS = {
    "page": ("get", lambda p: PAGE, {}),
    "new": ("post", lambda p: NEW, {"model_id": "dn/gemini-3-pro"}),
    "approve": ("post", lambda p: one(p, "approve"), {}),
    "deny": ("post", lambda p: one(p, "deny"), {"note": "no"}),
    "bulk": ("post", lambda p: BULK, {"ids": ["{id}"], "action": "approve"}),
}
OWNER_ONLY = ["approve", "deny", "bulk"]


def call(client, name, pending, method=None):
    verb, url, data = URLS[name]
    data = {
        k: [v.format(id=pending.pk) for v in val] if isinstance(val, list) else val
        for k, val in data.items()
    }
    return getattr(client, method or verb)(url(pending), data)


def state():
    return (
        list(AccessRequest.objects.values_list("status", flat=True)),
        ModelAccessEvent.objects.count(),
    )


@pytest.mark.parametrize("name", URLS)
def test_anonymous_goes_to_login(client, pending, name):
    before = state()
    response = call(client, name, pending)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert state() == before


@pytest.mark.parametrize("name", URLS)
def test_outsider_gets_404(outsider, pending, name):
    before = state()
    assert call(logged_in(outsider), name, pending).status_code == 404
    assert state() == before


@pytest.mark.parametrize("name", OWNER_ONLY)
@pytest.mark.parametrize("persona", ["contributor", "reader", "restricted"])
def test_non_owner_deciding_gets_403(request, pending, persona, name):
    before = state()
    assert call(logged_in(request.getfixturevalue(persona)), name, pending).status_code == 403
    assert state() == before


@pytest.mark.parametrize("name", URLS)
def test_wrong_method_is_405(owner, pending, name):
    method = "post" if URLS[name][0] == "get" else "get"
    assert call(logged_in(owner), name, pending, method=method).status_code == 405


@pytest.mark.parametrize("name", ["new", *OWNER_ONLY])
def test_post_without_csrf_token_is_refused(owner, restricted, pending, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(restricted if name == "new" else owner)
    before = state()
    assert call(client, name, pending).status_code == 403
    assert state() == before


def test_unknown_request_is_404(owner, org):
    assert logged_in(owner).post("/orgs/acme/requests/999/approve/").status_code == 404


# Chat Models: locked models and Request access.


def test_restricted_member_sees_locked_models_below_the_allowed(restricted):
    html = logged_in(restricted).get(CHAT).content.decode()
    assert LOCKED_TEXT in html
    assert html.count(">Not available</span>") == 2
    assert html.count(">Request access</button>") == 2
    assert html.index(f'id="pm-{dom_id("dn/claude-opus-4-6")}"') < html.index(GPT_ROW)
    assert 'id="restricted-banner"' in html
    assert "On your list: your org" in html and "Not on your list." in html


@pytest.mark.parametrize(
    ("persona", "why"),
    [("owner", "owners always have every platform model"), ("contributor", "every platform model")],
)
def test_everyone_else_is_told_why_they_have_every_model(request, platform_models, persona, why):
    html = logged_in(request.getfixturevalue(persona)).get(CHAT).content.decode()
    assert why in html.split('id="platform-why">')[1].split("</p>")[0]


def test_listed_ids_no_longer_deployed_are_shown_without_a_button(restricted):
    PlatformModel.objects.filter(model_id="dn/claude-opus-4-6").update(is_active=False)
    html = logged_in(restricted).get(CHAT).content.decode()
    assert "On your list, but no longer deployed." in html
    assert html.count(">Request access</button>") == 2


def test_unrestricted_member_sees_no_locked_models(contributor, platform_models):
    html = logged_in(contributor).get(CHAT).content.decode()
    assert LOCKED_TEXT not in html and "Request access" not in html


def test_request_access_without_js_redirects_and_mails_the_owner(restricted, owner):
    response = logged_in(restricted).post(NEW, {"model_id": "dn/gpt-5.2"})
    assert response.status_code == 302 and response["Location"] == CHAT + "#platform"
    assert AccessRequest.objects.get().model_id == "dn/gpt-5.2"
    assert mail.outbox[0].to == ["owner@example.com"]
    page = logged_in(restricted).get(CHAT).content.decode()
    assert "Requested" in page and page.count(">Request access</button>") == 1


def test_the_page_seen_before_a_request_shows_it_and_then_the_answer(restricted, owner):
    """The platform section is kept under the member's requests too: the page they saw
    before asking shows the request, then the owner's answer and its note."""
    client = logged_in(restricted)
    assert page_has(client, "Request access to GPT") and not page_has(client, "Requested")
    client.post(NEW, {"model_id": "dn/gpt-5.2"})
    assert page_has(client, "Requested")
    request = AccessRequest.objects.get()
    logged_in(owner).post(one(request, "deny"), {"note": "Budget is spent"})
    assert page_has(client, "Denied") and page_has(client, "Budget is spent")


def test_request_access_with_htmx_swaps_the_row(restricted, owner):
    client = logged_in(restricted)
    response = client.post(NEW, {"model_id": "dn/gpt-5.2"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(GPT_ROW)
    assert "Requested" in html and 'role="status"' in html
    again = client.post(NEW, {"model_id": "dn/gpt-5.2"}, headers={"HX-Request": "true"})
    assert "already asked" in again.content.decode()
    assert AccessRequest.objects.count() == 1


def test_request_access_refusal_shows_the_reason(contributor, platform_models):
    response = logged_in(contributor).post(NEW, {"model_id": "dn/gpt-5.2"}, follow=True)
    assert "already gives you every platform model" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_denied_request_shows_its_note_and_can_be_asked_again(pending, owner, restricted):
    logged_in(owner).post(one(pending, "deny"), {"note": "Budget is spent"})
    html = logged_in(restricted).get(CHAT).content.decode()
    assert "Denied" in html and "Budget is spent" in html
    assert html.count(">Request access</button>") == 2


def test_chat_models_queries_are_constant_in_models_and_requests(
    restricted, owner, django_assert_num_queries
):
    client = logged_in(restricted)
    client.get(CHAT)
    # Built again from what is kept, the member's requests included.
    with django_assert_num_queries(0):
        client.get(CHAT)
    with django_assert_num_queries(0) as few:
        client.get(CHAT, {"page": "1"})
    few_count = len(few.captured_queries)  # read now: each request resets the log
    org = Membership.objects.get(user=restricted).org
    for i in range(8):
        PlatformModel.objects.create(model_id=f"dn/extra-{i}", position=10 + i)
        AccessRequest.objects.create(org=org, member=restricted, model_id=f"dn/extra-{i}")
    client.get(CHAT)  # the changed platform list is read once
    with django_assert_num_queries(few_count):
        html = client.get(CHAT, {"page": "1"}).content.decode()
        assert html.count("Requested") == 8


# The Requests page.


def test_owner_sees_pending_with_actions(pending, owner):
    html = unwrap_ids(logged_in(owner).get(PAGE).content.decode())
    assert "restricted@example.com" in html and '<div class="model-id">dn/gpt-5.2<' in html
    assert f'value="{pending.pk}" form="bulk-form"' in html
    assert ">Approve selected</button>" in html and ">Yes, deny</button>" in html


def test_member_sees_only_their_own_without_actions(pending, restricted, org, platform_models):
    other = User.objects.create_user("x@example.com", "pw")
    Membership.objects.create(org=org, user=other, allowed_model_ids=[])
    AccessRequest.objects.create(org=org, member=other, model_id="dn/gemini-3-pro")
    html = unwrap_ids(logged_in(restricted).get(PAGE).content.decode())
    assert '<div class="model-id">dn/gpt-5.2<' in html and "dn/gemini-" not in html
    assert "Approve" not in html


def test_approve_one_without_js(pending, owner, restricted):
    response = logged_in(owner).post(one(pending, "approve"))
    assert response.status_code == 302 and response["Location"] == PAGE
    assert Membership.objects.get(user=restricted).allowed_model_ids == [
        "dn/claude-opus-4-6",
        "dn/gpt-5.2",
    ]
    event = ModelAccessEvent.objects.get()
    assert (event.actor, event.via) == (owner, "web")


def test_deny_one_with_htmx_swaps_the_row(pending, owner):
    response = logged_in(owner).post(
        one(pending, "deny"), {"note": "Not now"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="request-{pending.pk}"')
    assert "Denied" in html and 'role="status"' in html
    pending.refresh_from_db()
    assert (pending.status, pending.note, pending.decided_by_id) == (
        "denied",
        "Not now",
        pending.decided_by_id,
    )


def test_deciding_twice_on_the_page_says_so(pending, owner):
    client = logged_in(owner)
    client.post(one(pending, "approve"))
    response = client.post(one(pending, "deny"), follow=True)
    assert "already approved" in response.content.decode()


@pytest.mark.parametrize(("action", "status"), [("approve", "approved"), ("deny", "denied")])
def test_decide_a_selection(owner, org, platform_models, action, status):
    users = [User.objects.create_user(f"m{i}@example.com", "pw") for i in range(3)]
    asked = []
    for user in users:
        Membership.objects.create(org=org, user=user, allowed_model_ids=[])
        asked.append(AccessRequest.objects.create(org=org, member=user, model_id="dn/gpt-5.2"))
    response = logged_in(owner).post(
        BULK, {"ids": [asked[0].pk, asked[2].pk], "action": action}, follow=True
    )
    assert (
        f"{'Approved' if action == 'approve' else 'Denied'} 2 requests."
        in response.content.decode()
    )
    assert [AccessRequest.objects.get(pk=a.pk).status for a in asked] == [status, "pending", status]


def test_decide_a_selection_needs_a_selection(owner, pending):
    response = logged_in(owner).post(BULK, {"action": "approve"}, follow=True)
    assert "Select requests" in response.content.decode()
    assert AccessRequest.objects.get().status == "pending"


# The navigation count.


def test_owner_sees_the_pending_count_in_the_nav(pending, owner):
    html = logged_in(owner).get("/settings/secrets/").content.decode()
    assert 'id="pending-requests">1<' in html


def test_members_see_no_count(pending, restricted):
    html = logged_in(restricted).get("/settings/secrets/").content.decode()
    assert "pending-requests" not in html and "Access requests" in html


def test_requests_page_queries_are_constant(pending, owner, org, django_assert_num_queries):
    client = logged_in(owner)
    client.get(PAGE)
    with django_assert_num_queries(2) as few:
        client.get(PAGE)
    for i in range(6):
        user = User.objects.create_user(f"n{i}@example.com", "pw")
        Membership.objects.create(org=org, user=user, allowed_model_ids=[])
        AccessRequest.objects.create(org=org, member=user, model_id="dn/gpt-5.2")
    # One more: the nav's count, read again once after the change.
    with django_assert_num_queries(len(few.captured_queries) + 1):
        assert 'id="pending-requests">7<' in client.get(PAGE).content.decode()


# Issue 22, point 11: a reason, names, and a banner that points at the button.


def test_a_member_may_say_why_and_owners_read_it(restricted, owner):
    html = logged_in(restricted).get(CHAT).content.decode()
    row = html[html.index(GPT_ROW) :]
    row = row[: row.index("</tr>")]
    field = f'id="reason-{dom_id("dn/gpt-5.2")}"'
    assert f'<label for="reason-{dom_id("dn/gpt-5.2")}" class="small">Why you need it' in row
    assert f'name="reason" {field}' in row and "required" not in row
    logged_in(restricted).post(NEW, {"model_id": "dn/gpt-5.2", "reason": "  Evals next week "})
    assert AccessRequest.objects.get().reason == "Evals next week"
    assert ">Evals next week</td>" in logged_in(owner).get(PAGE).content.decode()
    logged_in(restricted).post(NEW, {"model_id": "dn/gemini-3-pro"})  # the reason is optional
    assert AccessRequest.objects.filter(model_id="dn/gemini-3-pro").exists()


def test_requests_show_model_names_and_messages_use_them(pending, owner, restricted):
    owner_page = logged_in(owner).get(PAGE).content.decode()
    assert '<div class="model-name">GPT-5.2</div>' in owner_page
    assert "Approve restricted@example.com's request for GPT-5.2" in owner_page
    page = unescape(logged_in(owner).post(one(pending, "approve"), follow=True).content.decode())
    assert "Approved restricted@example.com's request for GPT-5.2." in page
    mine = logged_in(restricted).get(PAGE).content.decode()
    assert '<div class="model-name">GPT-5.2</div>' in mine  # the decided table too
    asked = logged_in(restricted).post(NEW, {"model_id": "dn/gemini-3-pro"}, follow=True)
    assert "Asked the owners of Acme Corp for Gemini 3 Pro." in asked.content.decode()


def test_the_restricted_banner_points_at_request_access(restricted):
    html = logged_in(restricted).get(CHAT).content.decode()
    banner = html[html.index('id="restricted-banner"') :]
    banner = banner[: banner.index("</div>")]
    assert "Your org has restricted available models. Contact your org owner for changes." in banner
    assert '<a href="#locked-heading">Request access under Other platform models</a>' in banner
