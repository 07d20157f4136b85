"""/org/{slug}/members, .../model-access and member updates over the API."""

from __future__ import annotations

import pytest

from accounts.models import User
from orgs.models import Membership, ModelAccessEvent, Role
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db


def access(user):
    return Membership.objects.get(user=user, org__slug="acme").allowed_model_ids


def test_members_list_for_any_member_and_404_for_outsiders(reader, owner, restricted, outsider):
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
    searched = ApiClient(reader).get("/org/acme/members", query="restr").json()
    assert [m["user_email"] for m in searched["members"]] == ["restricted@example.com"]
    assert_envelope(ApiClient(outsider).get("/org/acme/members"), 404)
    assert_envelope(ApiClient(reader).get("/org/acme/members", page=0), 422)


@pytest.mark.parametrize("value", [None, [], ["dn/gpt-5.2"], ["dn/gpt-5.2", "dn/gemini-3-pro"]])
def test_put_model_access_stores_exactly_that_and_audits(owner, restricted, value):
    client = ApiClient(owner)
    response = client.put(
        f"/org/acme/members/{restricted.pk}/model-access", {"allowed_model_ids": value}
    )
    assert response.status_code == 200
    assert response.json() == {"allowed_model_ids": value}
    stored = access(restricted)
    assert stored == value and (stored is None) == (value is None)
    event = ModelAccessEvent.objects.get()
    assert (event.via, event.actor, event.before, event.after) == (
        "api",
        owner,
        ["dn/claude-opus-4-6"],
        value,
    )
    listed = client.get("/org/acme/members", query="restricted").json()["members"][0]
    assert listed["allowed_model_ids"] == value


def test_model_access_on_an_owner_is_refused(owner, org, platform_models):
    co_owner = User.objects.create_user("co@example.com", "pw")
    Membership.objects.create(org=org, user=co_owner, role=Role.OWNER)
    client = ApiClient(owner)
    for value in ([], ["dn/gpt-5.2"]):
        body = assert_envelope(
            client.put(
                f"/org/acme/members/{co_owner.pk}/model-access", {"allowed_model_ids": value}
            ),
            422,
        )
        assert "Owners always have every platform model" in body["detail"]
    assert access(co_owner) is None
    body = assert_envelope(
        client.put(f"/org/acme/members/{owner.pk}/model-access", {"allowed_model_ids": []}), 403
    )
    assert "your own" in body["detail"]
    assert not ModelAccessEvent.objects.exists()


def test_model_access_errors(owner, contributor, reader, restricted, outsider):
    url = f"/org/acme/members/{restricted.pk}/model-access"
    assert_envelope(ApiClient(contributor).put(url, {"allowed_model_ids": None}), 403)
    assert_envelope(ApiClient(reader).put(url, {"allowed_model_ids": None}), 403)
    assert_envelope(ApiClient(outsider).put(url, {"allowed_model_ids": None}), 404)
    assert_envelope(
        ApiClient(contributor).put(
            f"/org/acme/members/{contributor.pk}/model-access", {"allowed_model_ids": None}
        ),
        403,
    )
    client = ApiClient(owner)
    for body in (
        {},
        {"allowed_model_ids": "dn/gpt-5.2"},
        {"allowed_model_ids": [1]},
        {"allowed_model_ids": {"a": 1}},
        {"allowed_model_ids": ["dn/fake"]},
        {"allowed_model_ids": ["openai/gpt-4o"]},
        {"allowed_model_ids": ["x" * 10_000]},
    ):
        assert_envelope(client.put(url, body), 422)
    assert_envelope(client.put(url, raw=b"{not json"), 422)
    assert_envelope(
        client.put("/org/acme/members/not-a-uuid/model-access", {"allowed_model_ids": None}), 422
    )
    assert_envelope(
        client.put(
            "/org/acme/members/6f1c1c1e-0000-4000-8000-000000000000/model-access",
            {"allowed_model_ids": None},
        ),
        404,
    )
    assert access(restricted) == ["dn/claude-opus-4-6"]
    assert not ModelAccessEvent.objects.exists()


def test_put_member_changes_role_and_access(owner, restricted, contributor):
    client = ApiClient(owner)
    body = client.put(
        f"/org/acme/members/{contributor.pk}", {"role": "reader", "allowed_model_ids": []}
    ).json()
    assert body["role"] == "reader" and body["allowed_model_ids"] == []
    body = client.put(f"/org/acme/members/{contributor.pk}", {"role": "contributor"}).json()
    assert body["allowed_model_ids"] == []  # absent = unchanged
    body = client.put(f"/org/acme/members/{contributor.pk}", {"allowed_model_ids": None}).json()
    assert body["allowed_model_ids"] is None  # explicit null = all
    body = client.put(f"/org/acme/members/{restricted.pk}", {"role": "owner"}).json()
    assert body["role"] == "owner" and body["allowed_model_ids"] is None
    assert_envelope(client.put(f"/org/acme/members/{contributor.pk}", {"role": "boss"}), 422)
    body = assert_envelope(
        client.put(
            f"/org/acme/members/{contributor.pk}", {"role": "owner", "allowed_model_ids": []}
        ),
        422,
    )
    assert Membership.objects.get(user=contributor).role == "contributor"  # all or nothing
    assert set(ModelAccessEvent.objects.values_list("via", flat=True)) == {"api"}


def test_put_member_is_owner_only(contributor, restricted):
    assert_envelope(
        ApiClient(contributor).put(f"/org/acme/members/{restricted.pk}", {"role": "reader"}), 403
    )
    assert Membership.objects.get(user=restricted).role == "contributor"


@pytest.mark.parametrize("extra", [0, 60])
def test_member_endpoints_query_counts_are_constant(
    owner, restricted, org, django_assert_num_queries, extra
):
    users = User.objects.bulk_create(User(email=f"u{i}@example.com") for i in range(extra))
    Membership.objects.bulk_create(Membership(org=org, user=u) for u in users)
    client = ApiClient(owner)
    client.get("/org/acme/members")
    with django_assert_num_queries(4):
        client.get("/org/acme/members")
    with django_assert_num_queries(9):
        client.put(
            f"/org/acme/members/{restricted.pk}/model-access", {"allowed_model_ids": ["dn/gpt-5.2"]}
        )


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
