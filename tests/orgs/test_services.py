"""The membership rules every caller (pages, API, admin) goes through."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from orgs import services
from orgs.models import Membership, ModelAccessEvent

pytestmark = pytest.mark.django_db


def m(user) -> Membership:
    return Membership.objects.select_related("user", "org").get(user=user, org__slug="acme")


def test_the_last_owner_cannot_be_demoted(owner):
    with pytest.raises(ValidationError, match="leave Acme Corp without an owner") as caught:
        services.set_role(membership=m(owner), role="reader", actor=owner, via="web")
    assert caught.value.code == "last_owner"
    assert m(owner).role == "owner"
    assert not ModelAccessEvent.objects.exists()


def test_the_last_owner_cannot_be_removed(owner):
    with pytest.raises(ValidationError, match="leave Acme Corp without an owner") as caught:
        services.remove_member(membership=m(owner), actor=owner, via="web")
    assert caught.value.code == "last_owner"
    assert Membership.objects.filter(user=owner).exists()


def test_an_inactive_co_owner_does_not_count(owner, co_owner):
    User.objects.filter(pk=co_owner.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="without an owner"):
        services.set_role(membership=m(owner), role="reader", actor=owner, via="web")


def test_with_another_owner_the_owner_can_step_down(owner, co_owner):
    services.set_role(membership=m(owner), role="reader", actor=owner, via="web")
    assert m(owner).role == "reader"


def test_ownerless_orgs_looks_only_at_the_orgs_the_users_own(owner, outsider, co_owner, org):
    # owner shares acme with co_owner; outsider is globex's only owner.
    assert services.ownerless_orgs(leaving=[owner.pk]) == []
    assert [o.slug for o in services.ownerless_orgs(leaving=[owner.pk, co_owner.pk])] == ["acme"]
    assert [o.slug for o in services.ownerless_orgs(leaving=[outsider.pk])] == ["globex"]
    assert services.ownerless_orgs(leaving=[outsider.pk], org=org) == []


def test_bulk_reports_stale_members_and_leaves_them(owner, contributor, reader, platform_models):
    Membership.objects.filter(user=reader).update(access_version=3)
    result = services.bulk_set_model_access(
        org=m(owner).org,
        expected_versions={contributor.pk: 0, reader.pk: 2, owner.pk: 0},
        allowed_model_ids=[],
        actor=owner,
        via="web",
    )
    assert (result.changed, result.skipped, result.stale) == (1, 1, ["reader@example.com"])
    assert m(contributor).allowed_model_ids == [] and m(reader).allowed_model_ids is None
