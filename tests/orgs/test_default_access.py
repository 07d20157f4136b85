"""Model access for new members (org settings), and newly deployed platform models: on no
list, marked "New" in the editors, dated on the audit page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import platform
from catalog.models import PlatformModel
from orgs import invitations
from orgs.models import Membership, ModelAccessEvent, Organization

pytestmark = pytest.mark.django_db
URL = "/orgs/acme/settings/"


def default() -> list[str] | None:
    return Organization.objects.get(slug="acme").default_allowed_model_ids


@pytest.mark.parametrize(
    ("data", "stored"),
    [
        ({"models": ["dn/gpt-5.2", "dn/gemini-3-pro"]}, ["dn/gpt-5.2", "dn/gemini-3-pro"]),
        ({}, []),
        ({"allow_all": "on", "models": ["dn/gpt-5.2"]}, None),
    ],
)
def test_owner_sets_the_default(client, owner, org, platform_models, data, stored):
    org.default_allowed_model_ids = ["dn/claude-opus-4-6"]
    org.save()
    client.force_login(owner)
    page = client.post(URL, data, follow=True).content.decode()
    assert "Saved: people who join get this model access." in page
    assert default() == stored
    event = ModelAccessEvent.objects.get()
    assert (event.kind, event.member_email, event.before, event.after) == (
        "default_access",
        "",
        ["dn/claude-opus-4-6"],
        stored,
    )
    audit = client.get("/orgs/acme/audit/").content.decode()
    audit = re.sub(r'</?span( class="id-whole")?>', "", audit)  # ids are kept whole in spans
    assert "Default access" in audit and "1 platform model (dn/claude-opus-4-6)" in audit


def test_unknown_model_is_refused_and_shown_again(client, owner, platform_models):
    client.force_login(owner)
    page = client.post(URL, {"models": ["dn/gpt-5.2", "dn/nope"]}).content.decode()
    assert "Not platform models: &#x27;dn/nope&#x27;" in page
    assert 'value="dn/gpt-5.2" checked' in page
    assert default() is None and not ModelAccessEvent.objects.exists()


def test_saving_the_same_records_nothing(client, owner, platform_models):
    client.force_login(owner)
    client.post(URL, {"allow_all": "on"})
    assert not ModelAccessEvent.objects.exists()


def test_a_retired_model_in_the_default_stays_valid(client, owner, org, platform_models):
    org.default_allowed_model_ids = ["dn/gpt-5.2"]
    org.save()
    PlatformModel.objects.filter(model_id="dn/gpt-5.2").update(is_active=False)
    client.force_login(owner)
    page = client.get(URL).content.decode()
    assert "no longer deployed" in page
    client.post(URL, {"models": ["dn/gpt-5.2", "dn/gemini-3-pro"]})
    assert default() == ["dn/gpt-5.2", "dn/gemini-3-pro"]


def test_settings_page_is_in_the_owners_navigation(client, owner, reader):
    client.force_login(owner)
    assert 'href="/orgs/acme/settings/"' in client.get("/orgs/acme/members/").content.decode()
    client.force_login(reader)
    assert "/orgs/acme/settings/" not in client.get("/orgs/acme/members/").content.decode()


def test_new_model_is_on_no_list(org, owner, restricted, contributor, platform_models):
    platform.store_deployed(
        [{"model_id": m.model_id} for m in platform_models] + [{"model_id": "dn/brand-new"}]
    )
    by_email = {
        m.user.email: m.allowed_model_ids
        for m in Membership.objects.filter(org=org).select_related("user")
    }
    assert by_email["restricted@example.com"] == ["dn/claude-opus-4-6"]
    assert by_email["member@example.com"] is None  # unrestricted members have every model


def test_store_deployed_dates_deployments_and_retirements(platform_models):
    before = timezone.now()
    platform.store_deployed([{"model_id": "dn/gpt-5.2"}, {"model_id": "dn/brand-new"}])
    new = PlatformModel.objects.get(model_id="dn/brand-new")
    assert new.first_seen_at >= before and new.retired_at is None
    gone = PlatformModel.objects.get(model_id="dn/gemini-3-pro")
    assert gone.retired_at >= before and gone.is_active is False
    kept = PlatformModel.objects.get(model_id="dn/gpt-5.2")
    assert kept.first_seen_at is None  # known before first deployments were recorded
    platform.store_deployed([{"model_id": "dn/gemini-3-pro"}])
    back = PlatformModel.objects.get(model_id="dn/gemini-3-pro")
    assert back.is_active and back.retired_at is None
    assert PlatformModel.objects.get(model_id="dn/brand-new").first_seen_at == new.first_seen_at


def test_new_for_fourteen_days():
    now = timezone.now()
    model = PlatformModel(model_id="dn/x", first_seen_at=now - timedelta(days=13, hours=23))
    assert model.is_new(now)
    assert not model.is_new(now + timedelta(hours=2))
    assert not PlatformModel(model_id="dn/y").is_new(now)


@pytest.fixture
def fresh(platform_models) -> PlatformModel:
    model = platform_models[1]
    model.first_seen_at = timezone.now() - timedelta(days=1)
    model.save()
    PlatformModel.objects.filter(model_id="dn/gemini-3-pro").update(
        first_seen_at=timezone.now() - timedelta(days=15)
    )
    return model


def _new_badges(html: str) -> int:
    return html.count(">New</span>")


def test_new_marker_in_every_editor(client, owner, restricted, fresh):
    client.force_login(owner)
    members = client.get("/orgs/acme/members/").content.decode()  # the bulk form
    editor = client.get(f"/orgs/acme/members/{restricted.pk}/access/").content.decode()
    settings_page = client.get(URL).content.decode()
    for page in [members, editor, settings_page]:
        assert _new_badges(page) == 1
        assert page.index(">New</span>") > page.index('value="dn/gpt-5.2"')
        assert page.index(">New</span>") < page.index('value="dn/gemini-3-pro"')


@pytest.mark.parametrize("count", [1, 40])
def test_audit_and_settings_query_counts_are_constant(
    client, org, owner, django_assert_num_queries, count
):
    now = timezone.now()
    PlatformModel.objects.bulk_create(
        PlatformModel(model_id=f"dn/m{i}", first_seen_at=now, retired_at=now) for i in range(count)
    )
    for i in range(count):
        invitations.set_default_access(
            org=org, allowed_model_ids=None if i % 2 else [], actor=owner, via="web"
        )
    client.force_login(owner)
    with django_assert_num_queries(6):  # 7: with the nav's pending access requests
        assert client.get("/orgs/acme/audit/").status_code == 200
    # The person, their orgs and the nav's count are kept; the SCIM tokens are read.
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200


def test_a_model_added_in_admin_is_dated(rf, staff):
    from django.contrib import admin

    model_admin = admin.site._registry[PlatformModel]
    model = PlatformModel(model_id="dn/by-hand")
    request = rf.post("/")
    request.user = staff
    model_admin.save_model(request, model, form=None, change=False)
    assert model.first_seen_at is not None and model.is_new()
    model.first_seen_at = None
    model_admin.save_model(request, model, form=None, change=True)
    assert PlatformModel.objects.get(model_id="dn/by-hand").first_seen_at is None
