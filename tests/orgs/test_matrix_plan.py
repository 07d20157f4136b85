"""How a matrix change turns each member's allowlist into the next one, and the service that
saves many members' lists at once."""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError

from orgs import services
from orgs.matrix import Change, preview
from orgs.models import Membership, ModelAccessEvent

DEPLOYED = ["dn/a", "dn/b", "dn/c"]


def member(allowed) -> Membership:
    return Membership(user_id=uuid4(), allowed_model_ids=allowed)


@pytest.mark.parametrize(
    ("before", "kind", "after"),
    [
        (None, "allow", None),
        (["dn/a"], "allow", ["dn/a", "dn/b"]),
        (["dn/b", "dn/a"], "allow", ["dn/b", "dn/a"]),
        ([], "allow", ["dn/b"]),
        (None, "disallow", ["dn/a", "dn/c"]),
        (["dn/b", "dn/gone"], "disallow", ["dn/gone"]),
        (["dn/a"], "disallow", ["dn/a"]),
    ],
)
def test_allow_and_disallow_one_model(before, kind, after):
    assert Change(kind, "dn/b").after(member(before), DEPLOYED) == after


@pytest.mark.parametrize(
    ("before", "ticked", "after"),
    [
        (None, {"dn/a", "dn/b", "dn/c"}, None),
        (None, {"dn/c", "dn/a"}, ["dn/a", "dn/c"]),
        (None, set(), []),
        (["dn/c", "dn/gone"], {"dn/c", "dn/a"}, ["dn/c", "dn/gone", "dn/a"]),
        (["dn/a", "dn/b", "dn/c"], {"dn/a", "dn/b", "dn/c"}, ["dn/a", "dn/b", "dn/c"]),
    ],
)
def test_ticked_cells(before, ticked, after):
    m = member(before)
    assert Change("cells", ticked={m.user_id: frozenset(ticked)}).after(m, DEPLOYED) == after


def test_preview_counts_gains_losses_and_lists():
    me, a, b = member(None), member(None), member(["dn/a"])
    me.role = "owner"
    result = preview(me, Change("disallow", "dn/a"), [me, a, b], {}, DEPLOYED)
    assert result.effects == ["2 members lose dn/a"]
    assert result.owners == 1 and result.to_lists == 1


@pytest.mark.django_db
def test_many_at_once_skips_owners_and_the_actor_and_audits_each(
    org, owner, contributor, restricted, reader, platform_models
):
    versions = {u.pk: (0, ["dn/gpt-5.2"]) for u in (owner, contributor, restricted, reader)}
    result = services.set_many_model_access(org=org, wanted=versions, actor=reader, via="web")
    assert (result.changed, result.skipped, result.stale) == (2, 2, [])
    assert Membership.objects.get(user=contributor).allowed_model_ids == ["dn/gpt-5.2"]
    assert Membership.objects.get(user=reader).allowed_model_ids is None
    assert ModelAccessEvent.objects.count() == 2


@pytest.mark.django_db
def test_many_at_once_refuses_an_unknown_model_and_changes_nothing(
    org, owner, contributor, restricted, platform_models
):
    wanted = {contributor.pk: (0, []), restricted.pk: (0, ["dn/nope"])}
    with pytest.raises(ValidationError, match="Not platform models"):
        services.set_many_model_access(org=org, wanted=wanted, actor=owner, via="web")
    assert Membership.objects.get(user=contributor).allowed_model_ids is None
    assert ModelAccessEvent.objects.count() == 0
