"""The access-request API and GET /inference/access: who may call what, and every rule."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from catalog.models import PlatformModel
from orgs.models import AccessRequest, Membership, ModelAccessEvent, Role
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db
LIST = "/org/acme/access-requests"
ASK = {"model_id": "dn/gpt-5.2", "reason": "For the eval suite"}


@pytest.fixture
def co_owner(org) -> User:
    user = User.objects.create_user("co@example.com", "pw")
    Membership.objects.create(org=org, user=user, role=Role.OWNER)
    return user


def _ask(user, body=ASK):
    return ApiClient(user).post(LIST, body)


@pytest.fixture
def pending(restricted, owner) -> AccessRequest:
    response = _ask(restricted)
    assert response.status_code == 201, response.content
    return AccessRequest.objects.get(pk=response.json()["id"])


def decide_path(pending, action: str) -> str:
    return f"{LIST}/{pending.pk}/{action}"


# Who may call each operation.

OPERATIONS = [("get", LIST), ("post", LIST), ("post", "approve"), ("post", "deny")]


def _call(user, method, what, pending):
    path = decide_path(pending, what) if what in ("approve", "deny") else what
    return ApiClient(user).call(method, path, ASK if what == LIST else {"note": "no"})


@pytest.mark.parametrize(("method", "what"), OPERATIONS)
def test_anonymous_gets_401(pending, method, what):
    assert_envelope(
        ApiClient().call(method, decide_path(pending, what) if what != LIST else LIST, {}), 401
    )
    assert AccessRequest.objects.get().status == "pending"


@pytest.mark.parametrize(("method", "what"), OPERATIONS)
def test_outsider_gets_404(pending, outsider, method, what):
    assert_envelope(_call(outsider, method, what, pending), 404)
    assert AccessRequest.objects.get().status == "pending"


@pytest.mark.parametrize("action", ["approve", "deny"])
@pytest.mark.parametrize("persona", ["contributor", "reader", "restricted"])
def test_non_owner_deciding_gets_403(request, pending, persona, action):
    assert_envelope(_call(request.getfixturevalue(persona), "post", action, pending), 403)
    assert AccessRequest.objects.get().status == "pending"


@pytest.mark.parametrize(
    ("method", "what"),
    [("put", LIST), ("delete", LIST), ("get", "approve"), ("delete", "deny")],
)
def test_unserved_methods_get_405(pending, owner, method, what):
    assert_envelope(_call(owner, method, what, pending), 405)


@pytest.mark.parametrize("what", [LIST, "approve", "deny"])
def test_session_post_without_csrf_token_is_refused(pending, owner, restricted, what):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner if what != LIST else restricted)
    path = decide_path(pending, what) if what != LIST else LIST
    response = client.post("/api/v1" + path, {}, content_type="application/json")
    assert_envelope(response, 403)
    assert AccessRequest.objects.count() == 1
    assert AccessRequest.objects.get().status == "pending"


# Asking.


def test_ask_creates_a_pending_request_and_mails_the_owners(restricted, owner, co_owner):
    response = _ask(restricted)
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("model_id", "member_email", "reason", "status")} == {
        "model_id": "dn/gpt-5.2",
        "member_email": "restricted@example.com",
        "reason": "For the eval suite",
        "status": "pending",
    }
    assert body["id"] and body["created_at"]
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["co@example.com", "owner@example.com"]
    assert "dn/gpt-5.2" in mail.outbox[0].subject
    assert "/orgs/acme/requests/" in mail.outbox[0].body


def test_asking_again_answers_the_pending_request_with_200(pending, restricted):
    mail.outbox.clear()
    response = _ask(restricted)
    assert response.status_code == 200
    assert response.json()["id"] == pending.pk
    assert AccessRequest.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("persona", "model_id", "code"),
    [
        ("restricted", "dn/no-such-model", 404),
        ("restricted", "dn/claude-opus-4-6", 409),  # already on the list
        ("owner", "dn/gpt-5.2", 409),
        ("contributor", "dn/gpt-5.2", 409),  # unrestricted
    ],
)
def test_refused_requests(request, platform_models, persona, model_id, code):
    user = request.getfixturevalue(persona)
    body = assert_envelope(_ask(user, {"model_id": model_id}), code)
    assert body["detail"]
    assert not AccessRequest.objects.exists()


def test_a_retired_model_cannot_be_asked_for(restricted):
    PlatformModel.objects.filter(model_id="dn/gpt-5.2").update(is_active=False)
    assert_envelope(_ask(restricted), 404)


@pytest.mark.parametrize(
    "body", [{}, {"model_id": "x" * 201}, {"model_id": "dn/a", "reason": "r" * 501}, []]
)
def test_bad_bodies_are_422(restricted, body):
    assert_envelope(_ask(restricted, body), 422)


# Listing.


def test_owners_see_all_members_their_own(pending, owner, restricted, org, platform_models):
    other = Membership.objects.create(
        org=org,
        user=User.objects.create_user("x@example.com", "pw"),
        allowed_model_ids=[],
    )
    assert _ask(other.user).status_code == 201
    assert len(ApiClient(owner).get(LIST).json()) == 2
    mine = ApiClient(restricted).get(LIST).json()
    assert [r["id"] for r in mine] == [pending.pk]


def test_list_filters_by_status(pending, owner):
    assert len(ApiClient(owner).get(LIST, status="pending").json()) == 1
    assert ApiClient(owner).get(LIST, status="denied").json() == []
    assert_envelope(ApiClient(owner).get(LIST, status="bogus"), 422)


def test_list_query_count_is_constant(pending, owner, org, django_assert_num_queries):
    client = ApiClient(owner)
    client.get(LIST)  # warm the key lookup path: its first use records it...
    client.get(LIST)  # ... and the next reads the holder again, kept from then on
    with django_assert_num_queries(1) as few:
        assert len(client.get(LIST).json()) == 1
    for i in range(5):
        user = User.objects.create_user(f"m{i}@example.com", "pw")
        Membership.objects.create(org=org, user=user, allowed_model_ids=[])
        AccessRequest.objects.create(org=org, member=user, model_id="dn/gpt-5.2")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(LIST).json()) == 6


# Deciding.


def test_approve_adds_the_model_through_the_editor_service(pending, owner, restricted):
    mail.outbox.clear()
    response = ApiClient(owner).post(decide_path(pending, "approve"))
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    membership = Membership.objects.get(user=restricted)
    assert membership.allowed_model_ids == ["dn/claude-opus-4-6", "dn/gpt-5.2"]
    assert membership.access_version == 1
    event = ModelAccessEvent.objects.get(kind="access")
    assert (event.actor, event.via, event.after) == (owner, "api", membership.allowed_model_ids)
    assert mail.outbox[0].to == ["restricted@example.com"]
    assert "approved" in mail.outbox[0].subject


def test_deny_keeps_the_list_and_mails_the_note(pending, owner, restricted):
    mail.outbox.clear()
    response = ApiClient(owner).post(decide_path(pending, "deny"), {"note": "Too costly"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("denied", "Too costly")
    assert Membership.objects.get(user=restricted).allowed_model_ids == ["dn/claude-opus-4-6"]
    assert not ModelAccessEvent.objects.exists()
    assert "Too costly" in mail.outbox[0].body


@pytest.mark.parametrize("first", ["approve", "deny"])
@pytest.mark.parametrize("second", ["approve", "deny"])
def test_deciding_twice_is_409(pending, owner, first, second):
    assert ApiClient(owner).post(decide_path(pending, first)).status_code == 200
    assert_envelope(ApiClient(owner).post(decide_path(pending, second)), 409)
    assert ModelAccessEvent.objects.filter(kind="access").count() == (first == "approve")


@pytest.mark.parametrize("role", [Role.OWNER, Role.CONTRIBUTOR])
def test_approving_for_a_member_who_has_everything_closes_it(pending, owner, restricted, role):
    Membership.objects.filter(user=restricted).update(role=role, allowed_model_ids=None)
    response = ApiClient(owner).post(decide_path(pending, "approve"))
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert "Nothing to change" in response.json()["note"]
    assert Membership.objects.get(user=restricted).allowed_model_ids is None
    assert not ModelAccessEvent.objects.exists()


def test_unknown_request_is_404(owner, org):
    assert_envelope(ApiClient(owner).post(f"{LIST}/999/approve"), 404)
    assert_envelope(ApiClient(owner).post(f"{LIST}/99999999999/approve"), 422)


def test_another_orgs_request_is_404(pending, outsider):
    assert_envelope(
        ApiClient(outsider).post(f"/org/globex/access-requests/{pending.pk}/approve"), 404
    )


# GET /inference/access


def test_access_says_why_for_a_restricted_member(pending, restricted):
    body = ApiClient(restricted).get("/inference/access", org="acme").json()
    assert body["restricted"] is True
    rows = {m["id"]: m for m in body["models"]}
    assert rows["dn/claude-opus-4-6"] == {
        "id": "dn/claude-opus-4-6",
        "name": "Claude Opus 4.6",
        "allowed": True,
        "reason": "listed",
        "request": None,
    }
    assert rows["dn/gpt-5.2"]["allowed"] is False
    assert rows["dn/gpt-5.2"]["reason"] == "not_listed"
    assert rows["dn/gpt-5.2"]["request"] == {"id": pending.pk, "status": "pending"}
    assert [m["id"] for m in body["models"]][0] == "dn/claude-opus-4-6"  # allowed ones first


@pytest.mark.parametrize(
    ("persona", "allowed", "reason", "restricted_flag"),
    [
        ("owner", None, "owner", False),
        ("contributor", None, "unrestricted", False),
        ("reader", [], "no_platform_access", True),
    ],
)
def test_access_reasons(request, platform_models, persona, allowed, reason, restricted_flag):
    user = request.getfixturevalue(persona)
    Membership.objects.filter(user=user).update(allowed_model_ids=allowed)
    body = ApiClient(user).get("/inference/access", org="acme").json()
    assert body["restricted"] is restricted_flag
    assert {m["reason"] for m in body["models"]} == {reason}
    assert len(body["models"]) == 3


def test_access_lists_only_deployed_models(restricted):
    Membership.objects.filter(user=restricted).update(
        allowed_model_ids=["dn/claude-opus-4-6", "dn/old"]
    )
    ids = [
        m["id"] for m in ApiClient(restricted).get("/inference/access", org="acme").json()["models"]
    ]
    assert sorted(ids) == ["dn/claude-opus-4-6", "dn/gemini-3-pro", "dn/gpt-5.2"]


def test_access_for_an_outsider_org_is_404_and_anonymous_401(restricted, outsider):
    assert_envelope(ApiClient(outsider).get("/inference/access", org="acme"), 404)
    assert_envelope(ApiClient().get("/inference/access", org="acme"), 401)


def test_access_query_count_is_constant_in_models(restricted, django_assert_num_queries):
    client = ApiClient(restricted)
    client.get("/inference/access", org="acme")  # records the key's first use
    client.get("/inference/access", org="acme")  # reads its holder again, kept from then on
    with django_assert_num_queries(0) as few:  # the member's requests are kept too
        client.get("/inference/access", org="acme")
    few_count = len(few.captured_queries)  # read now: each request resets the log
    for i in range(10):
        PlatformModel.objects.create(model_id=f"dn/extra-{i}", position=10 + i)
        AccessRequest.objects.create(
            org_id=Membership.objects.get(user=restricted).org_id,
            member=restricted,
            model_id=f"dn/extra-{i}",
        )
    client.get("/inference/access", org="acme")  # the changed platform list is read once
    with django_assert_num_queries(few_count):
        assert len(client.get("/inference/access", org="acme").json()["models"]) == 13


def test_existing_inference_endpoint_is_unchanged(restricted):
    body = ApiClient(restricted).get("/inference", org="acme").json()
    assert set(body) == {"models"}
    assert [m["id"] for m in body["models"]] == ["dn/claude-opus-4-6"]
