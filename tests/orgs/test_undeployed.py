"""Platform models no longer deployed but still on allowlists: the owners' list, taking one
off every list (one transaction, version-checked, audited per member), who may do it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import PlatformModel
from orgs import services
from orgs.models import Membership, ModelAccessEvent, Role
from orgs.undeployed import undeployed_in_allowlists
from tests.conftest import make_user

PAGE = "/orgs/acme/access/undeployed/"
REMOVE = PAGE + "remove/"
HTMX = {"HTTP_HX_REQUEST": "true"}
GONE = "dn/gpt-4-legacy"


@pytest.fixture
def gone(org, owner, restricted, platform_models):
    """dn/gpt-4-legacy withdrawn, still on two lists; a third member lists only it; an id
    the platform never had is on one list."""
    PlatformModel.objects.create(
        model_id=GONE, display_name="GPT-4 Legacy", is_active=False, retired_at=timezone.now()
    )
    for email, allowed in [
        ("a@example.com", ["dn/gpt-5.2", GONE]),
        ("b@example.com", [GONE]),
        ("c@example.com", ["dn/never-was", "dn/gpt-5.2"]),
        ("d@example.com", None),
    ]:
        Membership.objects.create(
            org=org, user=make_user(email), role=Role.CONTRIBUTOR, allowed_model_ids=allowed
        )
    # Edited before: the removal checks the version it read, whatever it is.
    Membership.objects.filter(user__email="a@example.com").update(access_version=3)
    return org


def lists(org) -> dict[str, list[str] | None]:
    return dict(Membership.objects.filter(org=org).values_list("user__email", "allowed_model_ids"))


def test_lists_each_undeployed_model_with_the_members_it_affects(gone, django_assert_num_queries):
    with django_assert_num_queries(3):
        found = undeployed_in_allowlists(gone)
    assert [(u.model_id, u.name, [m.user.email for m in u.members], u.emptied) for u in found] == [
        ("dn/gpt-4-legacy", "GPT-4 Legacy", ["a@example.com", "b@example.com"], 1),
        ("dn/never-was", "dn/never-was", ["c@example.com"], 0),
    ]


def test_query_count_does_not_grow_with_members(gone, django_assert_num_queries):
    for i in range(30):
        Membership.objects.create(
            org=gone, user=make_user(f"x{i}@example.com"), allowed_model_ids=[GONE]
        )
    with django_assert_num_queries(3):
        assert len(undeployed_in_allowlists(gone)[0].members) == 32


def test_remove_from_all_allowlists_audits_each_member(gone, owner):
    before = lists(gone)
    result = services.remove_from_allowlists(org=gone, model_id=GONE, actor=owner, via="web")
    after = lists(gone)
    assert result.changed == 2 and not result.stale
    assert after["a@example.com"] == ["dn/gpt-5.2"]
    assert after["b@example.com"] == []  # their only model: none left, not "all"
    assert {k: v for k, v in after.items() if k[0] not in "ab"} == {
        k: v for k, v in before.items() if k[0] not in "ab"
    }
    events = ModelAccessEvent.objects.filter(via="web").order_by("member_email")
    assert [(e.member_email, e.before, e.after) for e in events] == [
        ("a@example.com", ["dn/gpt-5.2", GONE], ["dn/gpt-5.2"]),
        ("b@example.com", [GONE], []),
    ]


def test_remove_is_one_transaction(gone, owner, monkeypatch):
    calls = []
    real = services._apply_access

    def fail_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_apply_access", fail_second)
    before = lists(gone)
    with pytest.raises(RuntimeError):
        services.remove_from_allowlists(org=gone, model_id=GONE, actor=owner, via="web")
    assert lists(gone) == before and not ModelAccessEvent.objects.exists()


def test_a_list_changed_meanwhile_is_left_and_reported(gone, owner, monkeypatch):
    real = services.set_many_model_access

    def racing(**kwargs):  # another owner edits b@ between the read and the lock
        Membership.objects.filter(user__email="b@example.com").update(access_version=9)
        return real(**kwargs)

    monkeypatch.setattr(services, "set_many_model_access", racing)
    result = services.remove_from_allowlists(org=gone, model_id=GONE, actor=owner, via="web")
    assert result.changed == 1 and result.stale == ["b@example.com"]
    assert lists(gone)["b@example.com"] == [GONE]


@pytest.mark.parametrize(
    ("model_id", "message"),
    [("dn/gpt-5.2", "is deployed"), ("dn/nobody-lists", "No allowlist in Acme Corp names")],
)
def test_refusals(gone, owner, model_id, message):
    with pytest.raises(Exception, match=message):
        services.remove_from_allowlists(org=gone, model_id=model_id, actor=owner, via="web")


def test_page_lists_them_with_a_confirmation_that_works_without_js(gone, owner, client):
    client.force_login(owner)
    html = client.get(PAGE).content.decode()
    assert "GPT-4 Legacy" in html and "a@example.com, b@example.com" in html
    assert '<details class="confirm">' in html and 'name="model_id" value="dn/gpt-4-legacy"' in html
    assert "For 1 of them it is the only model listed" in html
    assert PAGE in client.get("/orgs/acme/access/").content.decode()  # linked from the matrix


@pytest.mark.parametrize("htmx", [False, True])
def test_remove_view(gone, owner, client, htmx):
    client.force_login(owner)
    response = client.post(REMOVE, {"model_id": GONE}, **(HTMX if htmx else {}))
    if htmx:
        html = response.content.decode()
        assert "Removed dn/gpt-4-legacy from 2 allowlists." in html
        assert 'id="undeployed"' in html and "GPT-4 Legacy" not in html
    else:
        assert response.status_code == 302 and response["Location"] == PAGE
    assert lists(gone)["a@example.com"] == ["dn/gpt-5.2"]


def test_remove_view_error(gone, owner, client):
    client.force_login(owner)
    response = client.post(REMOVE, {"model_id": "dn/gpt-5.2"}, **HTMX)
    assert "dn/gpt-5.2 is deployed" in response.content.decode()


def state(org) -> tuple:
    return lists(org), ModelAccessEvent.objects.count()


@pytest.mark.parametrize(("method", "url"), [("get", PAGE), ("post", REMOVE)])
def test_anonymous_goes_to_login(gone, client, method, url):
    before = state(gone)
    response = getattr(client, method)(url, {"model_id": GONE})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert state(gone) == before


@pytest.mark.parametrize(("method", "url"), [("get", PAGE), ("post", REMOVE)])
def test_outsider_gets_404(gone, client, outsider, method, url):
    client.force_login(outsider)
    before = state(gone)
    assert getattr(client, method)(url, {"model_id": GONE}).status_code == 404
    assert state(gone) == before


@pytest.mark.parametrize(("method", "url"), [("get", PAGE), ("post", REMOVE)])
@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_gets_403(gone, client, request, persona, method, url):
    client.force_login(request.getfixturevalue(persona))
    before = state(gone)
    assert getattr(client, method)(url, {"model_id": GONE}).status_code == 403
    assert state(gone) == before


@pytest.mark.parametrize(("method", "url"), [("post", PAGE), ("get", REMOVE), ("put", REMOVE)])
def test_wrong_method_is_405(gone, client, owner, method, url):
    client.force_login(owner)
    before = state(gone)
    assert getattr(client, method)(url).status_code == 405
    assert state(gone) == before


def test_remove_needs_csrf(gone, owner):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    before = state(gone)
    assert strict.post(REMOVE, {"model_id": GONE}).status_code == 403
    assert state(gone) == before
