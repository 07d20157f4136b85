"""/org/{slug}/members, .../model-access and member updates over the API."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from orgs.models import Membership, ModelAccessEvent, Role
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db

# (method, path, body); "{id}" is the target member's user id.
ENDPOINTS = {
    "list": ("get", "/org/acme/members", None),
    "get-access": ("get", "/org/acme/members/{id}/model-access", None),
    "put-access": ("put", "/org/acme/members/{id}/model-access", {"allowed_model_ids": None}),
    "put-member": ("put", "/org/acme/members/{id}", {"role": "reader"}),
}
OWNER_ONLY = ["get-access", "put-access", "put-member"]
WRITES = ["put-access", "put-member"]


@pytest.fixture
def co_owner(org) -> User:
    user = User.objects.create_user("co@example.com", "pw")
    Membership.objects.create(org=org, user=user, role=Role.OWNER)
    return user


def access(user):
    return Membership.objects.get(user=user, org__slug="acme").allowed_model_ids


def snapshot(user) -> tuple:
    membership = Membership.objects.get(user=user, org__slug="acme")
    return membership.role, membership.allowed_model_ids, ModelAccessEvent.objects.count()


def call(client: ApiClient, endpoint: str, target, method: str | None = None):
    verb, path, body = ENDPOINTS[endpoint]
    return client.call(method or verb, path.format(id=target.pk), body)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_gets_401(restricted, endpoint):
    before = snapshot(restricted)
    assert_envelope(call(ApiClient(), endpoint, restricted), 401)
    assert snapshot(restricted) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_outsider_gets_404(outsider, restricted, endpoint):
    before = snapshot(restricted)
    assert_envelope(call(ApiClient(outsider), endpoint, restricted), 404)
    assert snapshot(restricted) == before


@pytest.mark.parametrize("endpoint", OWNER_ONLY)
@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_gets_403(request, persona, restricted, endpoint):
    client = ApiClient(request.getfixturevalue(persona))
    before = snapshot(restricted)
    assert_envelope(call(client, endpoint, restricted), 403)
    assert snapshot(restricted) == before


@pytest.mark.parametrize("endpoint", OWNER_ONLY)
def test_owner_on_themselves_gets_403(owner, endpoint):
    body = assert_envelope(call(ApiClient(owner), endpoint, owner), 403)
    assert "your own" in body["detail"]
    assert snapshot(owner) == ("owner", None, 0)


@pytest.mark.parametrize("endpoint", OWNER_ONLY)
def test_unknown_member_gets_404(owner, endpoint):
    ghost = User(pk="6f1c1c1e-0000-4000-8000-000000000000")
    assert_envelope(call(ApiClient(owner), endpoint, ghost), 404)


@pytest.mark.parametrize("endpoint", OWNER_ONLY)
def test_member_id_must_be_a_uuid(owner, endpoint):
    _, path, body = ENDPOINTS[endpoint]
    response = ApiClient(owner).call(ENDPOINTS[endpoint][0], path.format(id="not-a-uuid"), body)
    assert_envelope(response, 422)


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [("list", "post"), ("list", "delete"), ("get-access", "post"), ("get-access", "delete")],
)
def test_unserved_methods_get_405(owner, restricted, endpoint, method):
    assert_envelope(call(ApiClient(owner), endpoint, restricted, method=method), 405)


@pytest.mark.parametrize("endpoint", WRITES)
def test_session_write_without_csrf_token_is_refused(owner, restricted, endpoint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    verb, path, body = ENDPOINTS[endpoint]
    response = getattr(client, verb)(
        "/api/v1" + path.format(id=restricted.pk), body, content_type="application/json"
    )
    assert_envelope(response, 403)
    assert snapshot(restricted) == ("contributor", ["dn/claude-opus-4-6"], 0)


def test_members_list_for_any_member(reader, owner, restricted):
    body = ApiClient(reader).get("/org/acme/members").json()
    assert body["total"] == 3 and body["page"] == 1 and body["page_size"] == 50
    by_email = {m["user_email"]: m for m in body["members"]}
    assert by_email["restricted@example.com"]["allowed_model_ids"] == ["dn/claude-opus-4-6"]
    assert by_email["owner@example.com"]["allowed_model_ids"] is None
    assert by_email["owner@example.com"]["role"] == "owner"
    assert set(by_email["reader@example.com"]) >= {
        "user_id",
        "user_email",
        "role",
        "allowed_model_ids",
        "joined_at",
    }


def test_members_list_search(reader, owner, restricted):
    searched = ApiClient(reader).get("/org/acme/members", query="restr").json()
    assert [m["user_email"] for m in searched["members"]] == ["restricted@example.com"]


@pytest.mark.parametrize("params", [{"page": 0}, {"query": "x" * 201}])
def test_members_list_refuses_bad_parameters(reader, params):
    assert_envelope(ApiClient(reader).get("/org/acme/members", **params), 422)


@pytest.mark.parametrize("value", [None, [], ["dn/gpt-5.2"], ["dn/gpt-5.2", "dn/gemini-3-pro"]])
def test_put_model_access_stores_exactly_that(owner, restricted, value):
    client = ApiClient(owner)
    response = client.put(
        f"/org/acme/members/{restricted.pk}/model-access", {"allowed_model_ids": value}
    )
    assert response.status_code == 200
    assert response.json() == {"allowed_model_ids": value}
    stored = access(restricted)
    assert stored == value and (stored is None) == (value is None)
    listed = client.get("/org/acme/members", query="restricted").json()["members"][0]
    assert listed["allowed_model_ids"] == value


def test_put_model_access_is_audited(owner, restricted):
    ApiClient(owner).put(
        f"/org/acme/members/{restricted.pk}/model-access", {"allowed_model_ids": []}
    )
    event = ModelAccessEvent.objects.get()
    assert (event.via, event.actor, event.before, event.after) == (
        "api",
        owner,
        ["dn/claude-opus-4-6"],
        [],
    )


@pytest.mark.parametrize("value", [[], ["dn/gpt-5.2"]])
def test_model_access_on_an_owner_is_refused(owner, co_owner, platform_models, value):
    response = ApiClient(owner).put(
        f"/org/acme/members/{co_owner.pk}/model-access", {"allowed_model_ids": value}
    )
    assert "Owners always have every platform model" in assert_envelope(response, 422)["detail"]
    assert access(co_owner) is None
    assert not ModelAccessEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"allowed_model_ids": "dn/gpt-5.2"},
        {"allowed_model_ids": [1]},
        {"allowed_model_ids": {"a": 1}},
        {"allowed_model_ids": ["dn/fake"]},
        {"allowed_model_ids": ["openai/gpt-4o"]},
        {"allowed_model_ids": ["x" * 10_000]},
    ],
)
def test_put_model_access_refuses_invalid_bodies(owner, restricted, body):
    response = ApiClient(owner).put(f"/org/acme/members/{restricted.pk}/model-access", body)
    assert_envelope(response, 422)
    assert snapshot(restricted) == ("contributor", ["dn/claude-opus-4-6"], 0)


def test_put_model_access_refuses_malformed_json(owner, restricted):
    url = f"/org/acme/members/{restricted.pk}/model-access"
    assert_envelope(ApiClient(owner).put(url, raw=b"{not json"), 422)


def test_get_model_access_sends_the_version_as_etag(owner, restricted):
    Membership.objects.filter(user=restricted).update(access_version=3)
    response = ApiClient(owner).get(f"/org/acme/members/{restricted.pk}/model-access")
    assert response.status_code == 200
    assert response.json() == {"allowed_model_ids": ["dn/claude-opus-4-6"]}
    assert response["ETag"] == '"3"'


def test_put_with_the_current_etag_saves_and_sends_the_next(owner, restricted):
    client = ApiClient(owner)
    url = f"/org/acme/members/{restricted.pk}/model-access"
    etag = client.get(url)["ETag"]
    client.headers["If-Match"] = etag
    response = client.put(url, {"allowed_model_ids": ["dn/gpt-5.2"]})
    assert response.status_code == 200
    assert response["ETag"] == '"1"' != etag
    assert access(restricted) == ["dn/gpt-5.2"]


@pytest.mark.parametrize("if_match", ['"0"', '"7"', "1", '"0", "2"', "garbage"])
def test_put_with_a_stale_or_malformed_etag_is_412(owner, restricted, if_match):
    Membership.objects.filter(user=restricted).update(access_version=1)
    client = ApiClient(owner)
    client.headers["If-Match"] = if_match
    url = f"/org/acme/members/{restricted.pk}/model-access"
    body = assert_envelope(client.put(url, {"allowed_model_ids": None}), 412)
    assert 'ETag now "1"' in body["detail"]
    assert snapshot(restricted) == ("contributor", ["dn/claude-opus-4-6"], 0)


@pytest.mark.parametrize("if_match", ['W/"5"', '"4", "5"'])
def test_put_with_a_matching_weak_or_listed_etag_saves(owner, restricted, if_match):
    Membership.objects.filter(user=restricted).update(access_version=5)
    client = ApiClient(owner)
    client.headers["If-Match"] = if_match
    url = f"/org/acme/members/{restricted.pk}/model-access"
    assert client.put(url, {"allowed_model_ids": None}).status_code == 200


@pytest.mark.parametrize("if_match", [None, "*"])
def test_put_without_a_precondition_saves(owner, restricted, if_match):
    Membership.objects.filter(user=restricted).update(access_version=5)
    client = ApiClient(owner)
    if if_match:
        client.headers["If-Match"] = if_match
    url = f"/org/acme/members/{restricted.pk}/model-access"
    assert client.put(url, {"allowed_model_ids": None}).status_code == 200
    assert access(restricted) is None


def test_put_member_changes_role_and_access_together(owner, contributor):
    body = (
        ApiClient(owner)
        .put(f"/org/acme/members/{contributor.pk}", {"role": "reader", "allowed_model_ids": []})
        .json()
    )
    assert body["role"] == "reader" and body["allowed_model_ids"] == []


def test_put_member_without_allowlist_leaves_it(owner, contributor):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    body = ApiClient(owner).put(f"/org/acme/members/{contributor.pk}", {"role": "reader"}).json()
    assert body["allowed_model_ids"] == []


def test_put_member_with_null_allowlist_allows_all(owner, contributor):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    client = ApiClient(owner)
    body = client.put(f"/org/acme/members/{contributor.pk}", {"allowed_model_ids": None}).json()
    assert body["allowed_model_ids"] is None


def test_put_member_promotion_clears_the_allowlist(owner, restricted):
    body = ApiClient(owner).put(f"/org/acme/members/{restricted.pk}", {"role": "owner"}).json()
    assert body["role"] == "owner" and body["allowed_model_ids"] is None
    assert set(ModelAccessEvent.objects.values_list("via", flat=True)) == {"api"}


@pytest.mark.parametrize(
    "body", [{"role": "boss"}, {"role": "owner", "allowed_model_ids": []}], ids=["role", "owner"]
)
def test_put_member_refusals_change_nothing(owner, contributor, platform_models, body):
    response = ApiClient(owner).put(f"/org/acme/members/{contributor.pk}", body)
    assert_envelope(response, 422)
    assert snapshot(contributor) == ("contributor", None, 0)


@pytest.mark.parametrize("extra", [0, 60])
def test_member_endpoints_query_counts_are_constant(
    owner, restricted, org, django_assert_num_queries, extra
):
    users = User.objects.bulk_create(User(email=f"u{i}@example.com") for i in range(extra))
    Membership.objects.bulk_create(Membership(org=org, user=u) for u in users)
    client = ApiClient(owner)
    client.get("/org/acme/members")
    url = f"/org/acme/members/{restricted.pk}/model-access"
    with django_assert_num_queries(3):
        client.get("/org/acme/members")
    with django_assert_num_queries(2):  # the member, and their groups (orgs/access.py)
        client.get(url)
    with django_assert_num_queries(8):
        client.put(url, {"allowed_model_ids": ["dn/gpt-5.2"]})


def test_restriction_takes_effect_on_the_members_next_api_call(owner, contributor, platform_models):
    member = ApiClient(contributor)
    assert member.get("/user/preferences").json()["access_restricted"] is False
    ApiClient(owner).put(
        f"/org/acme/members/{contributor.pk}/model-access", {"allowed_model_ids": ["dn/gpt-5.2"]}
    )
    body = member.get("/user/preferences").json()
    assert body["access_restricted"] is True
    assert [m["id"] for m in body["models"] if m["is_system_model"]] == ["dn/gpt-5.2"]
    assert [m["id"] for m in member.get("/inference").json()["models"]] == ["dn/gpt-5.2"]
