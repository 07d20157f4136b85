"""GET /api/v1/gateway/access: what the model gateway asks before it runs a `dn/` alias."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import ApiKey
from catalog.models import PlatformModel
from orgs import gateway
from orgs.models import Membership, Organization, Role
from orgs.services import set_model_access
from tests.conftest import make_user
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db
PATH = "/gateway/access"
ALL = ["dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro"]


@pytest.fixture(autouse=True)
def _fresh_marks(monkeypatch):
    monkeypatch.setattr(gateway, "_marked", {})


def access(user, **params) -> dict:
    response = ApiClient(user).get(PATH, **params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.usefixtures("platform_models")
def test_an_owner_may_run_every_alias(owner, org):
    body = access(owner)
    assert body == {
        "user": {"id": str(owner.pk), "email": "owner@example.com"},
        "org": {"slug": "acme", "name": "Acme Corp", "role": "owner"},
        "all_models": True,
        "models": ALL,
        "ttl": 5,
    }


@pytest.mark.usefixtures("platform_models")
def test_an_unrestricted_member_may_run_every_alias(contributor):
    body = access(contributor)
    assert (body["all_models"], body["models"]) == (True, ALL)
    assert body["org"]["role"] == "contributor"


def test_a_list_is_that_list_among_the_deployed(restricted):
    Membership.objects.filter(user=restricted).update(
        allowed_model_ids=["dn/gemini-3-pro", "dn/retired", "dn/claude-opus-4-6"]
    )
    body = access(restricted)
    # In platform order; an id no longer deployed gives nothing.
    assert (body["all_models"], body["models"]) == (
        False,
        ["dn/claude-opus-4-6", "dn/gemini-3-pro"],
    )


@pytest.mark.usefixtures("platform_models")
def test_an_empty_list_is_no_alias_at_all(contributor):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    body = access(contributor)
    assert (body["all_models"], body["models"]) == (False, [])


@pytest.mark.usefixtures("platform_models")
def test_someone_in_no_org_may_run_nothing(db):
    body = access(make_user("loner@example.com"))
    assert (body["org"], body["all_models"], body["models"]) == (None, False, [])


@pytest.mark.usefixtures("platform_models")
def test_a_member_of_several_orgs_gets_the_first_by_name_or_the_one_named(restricted, org):
    # "Acme Corp" (restricted) sorts before "Zeta" (unrestricted).
    zeta = Organization.objects.create(name="Zeta", slug="zeta")
    Membership.objects.create(org=zeta, user=restricted, role=Role.CONTRIBUTOR)
    client = ApiClient(restricted)
    default = client.get(PATH).json()
    assert (default["org"]["slug"], default["models"]) == ("acme", ["dn/claude-opus-4-6"])
    named = client.get(PATH, org="zeta").json()
    assert (named["org"]["slug"], named["all_models"], named["models"]) == ("zeta", True, ALL)


def test_an_org_the_caller_is_not_in_is_404(restricted, other_org):
    assert_envelope(ApiClient(restricted).get(PATH, org="globex"), 404)
    assert_envelope(ApiClient(restricted).get(PATH, org="x" * 51), 422)


def test_the_answer_follows_an_allowlist_change_at_once(restricted, owner):
    client = ApiClient(restricted)
    assert client.get(PATH).json()["models"] == ["dn/claude-opus-4-6"]
    membership = Membership.objects.get(user=restricted)
    set_model_access(
        membership=membership, allowed_model_ids=["dn/gpt-5.2"], actor=owner, via="api"
    )
    assert client.get(PATH).json()["models"] == ["dn/gpt-5.2"]


def test_unknown_revoked_and_deactivated_are_401(contributor):
    assert_envelope(ApiClient(key="dnk_not-a-real-key").get(PATH), 401)
    assert_envelope(ApiClient().get(PATH), 401)
    key, raw = ApiKey.issue(user=contributor, name="gateway")
    client = ApiClient(key=raw)
    assert client.get(PATH).status_code == 200  # and now kept in the cache
    key.revoked_at = timezone.now()
    key.save()
    assert_envelope(client.get(PATH), 401)

    _, raw = ApiKey.issue(user=contributor, name="second")
    client = ApiClient(key=raw)
    assert client.get(PATH).status_code == 200
    contributor.is_active = False
    contributor.save()
    assert_envelope(client.get(PATH), 401)


def test_a_browser_session_is_not_the_gateway(contributor):
    client = Client()
    client.force_login(contributor)
    assert_envelope(client.get("/api/v1" + PATH), 401)


@pytest.mark.parametrize(
    "key",
    ["Bearer dnk_abc", "dnk_" + "a" * 10_000, "dnk_abc\x00def", "dnk_é", "", " "],
)
def test_bad_keys_are_401_never_500(key):
    assert_envelope(Client().get("/api/v1" + PATH, headers={"X-API-Key": key}), 401)


def test_a_warm_answer_costs_no_query_for_any_number_of_models(
    restricted, django_assert_num_queries
):
    PlatformModel.objects.bulk_create(
        PlatformModel(model_id=f"dn/extra-{i}", position=10 + i) for i in range(50)
    )
    Membership.objects.filter(user=restricted).update(
        allowed_model_ids=["dn/claude-opus-4-6", *(f"dn/extra-{i}" for i in range(50))]
    )
    cache.clear()
    client = ApiClient(restricted)
    client.get(PATH)  # records the key's last use, a write of its own, every few minutes
    assert len(client.get(PATH).json()["models"]) == 51  # reads the holder again and keeps it
    with django_assert_num_queries(0):
        assert len(client.get(PATH).json()["models"]) == 51
        assert len(client.get(PATH).json()["models"]) == 51


def test_the_gateway_asking_marks_the_org_without_a_write_per_request(
    contributor, org, platform_models, django_assert_num_queries
):
    assert gateway.last_asked(org.pk) is None
    client = ApiClient(contributor)
    client.get(PATH)
    first = gateway.last_asked(org.pk)
    assert first is not None and abs((timezone.now() - first).total_seconds()) < 5
    cache.delete(f"gateway:last-asked:{org.pk}")
    client.get(PATH)  # within MARK_EVERY of the last mark: this process doesn't write again
    assert gateway.last_asked(org.pk) is None
