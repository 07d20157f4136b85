"""A member's effective access: their own allowlist combined with their groups' (None anywhere
= every platform model), owners unrestricted, deactivated memberships giving nothing; and the
answers the API gives follow group changes at once."""

from __future__ import annotations

import pytest

from orgs import groups
from orgs.models import Group, Membership, ModelAccessEvent
from tests.helpers import ApiClient

pytestmark = pytest.mark.django_db
SCIM = ModelAccessEvent.Via.SCIM


def membership(user) -> Membership:
    return Membership.objects.select_related("user").get(user=user)


def test_a_member_gets_their_own_and_their_groups_models(org, restricted, owner):
    research = groups.create_group(org=org, name="Research", actor=None, via=SCIM)
    groups.set_group_models(group=research, allowed_model_ids=["dn/gpt-5.2"], actor=None, via=SCIM)
    assert membership(restricted).effective_model_ids == ["dn/claude-opus-4-6"]
    groups.add_group_members(
        group=research, memberships=[membership(restricted)], actor=None, via=SCIM
    )
    member = membership(restricted)
    assert member.effective_model_ids == ["dn/claude-opus-4-6", "dn/gpt-5.2"]
    assert member.sources_of("dn/gpt-5.2") == ["Research"]
    assert member.sources_of("dn/claude-opus-4-6") == ["own"]
    assert member.sources_of("dn/gemini-3-pro") == []


def test_a_group_with_every_model_unrestricts_its_members(org, restricted):
    everything = groups.create_group(org=org, name="Everyone", actor=None, via=SCIM)
    groups.set_group_models(group=everything, allowed_model_ids=None, actor=None, via=SCIM)
    groups.add_group_members(
        group=everything, memberships=[membership(restricted)], actor=None, via=SCIM
    )
    member = membership(restricted)
    assert member.effective_model_ids is None
    assert not member.is_restricted


def test_an_empty_own_list_takes_only_what_groups_give(org, contributor, platform_models):
    member = membership(contributor)
    member.allowed_model_ids = []
    member.save()
    research = groups.create_group(
        org=org, name="Research", actor=None, via=SCIM, allowed_model_ids=["dn/gemini-3-pro"]
    )
    groups.add_group_members(group=research, memberships=[member], actor=None, via=SCIM)
    assert membership(contributor).effective_model_ids == ["dn/gemini-3-pro"]


def test_unrestricted_members_and_owners_stay_unrestricted(org, owner, contributor):
    none = groups.create_group(org=org, name="Nothing", actor=None, via=SCIM)
    groups.add_group_members(
        group=none, memberships=[membership(owner), membership(contributor)], actor=None, via=SCIM
    )
    assert membership(owner).effective_model_ids is None
    assert membership(contributor).effective_model_ids is None


def test_the_api_follows_group_changes_at_once(org, restricted):
    api = ApiClient(restricted)

    def enabled() -> list[str]:
        body = api.get("/user/preferences").json()
        return [m["id"] for m in body["models"] if m["id"].startswith("dn/")]

    assert enabled() == ["dn/claude-opus-4-6"]
    research = groups.create_group(
        org=org, name="Research", actor=None, via=SCIM, allowed_model_ids=["dn/gpt-5.2"]
    )
    groups.add_group_members(
        group=research, memberships=[membership(restricted)], actor=None, via=SCIM
    )
    assert sorted(enabled()) == ["dn/claude-opus-4-6", "dn/gpt-5.2"]
    groups.set_group_models(group=research, allowed_model_ids=None, actor=None, via=SCIM)
    assert len(enabled()) == 3
    groups.remove_group_members(
        group=research, memberships=[membership(restricted)], actor=None, via=SCIM
    )
    assert enabled() == ["dn/claude-opus-4-6"]
    groups.add_group_members(
        group=research, memberships=[membership(restricted)], actor=None, via=SCIM
    )
    groups.delete_group(group=Group.objects.get(), actor=None, via=SCIM)
    assert enabled() == ["dn/claude-opus-4-6"]


def test_a_deactivated_member_gets_no_platform_models_at_once(org, contributor, platform_models):
    api = ApiClient(contributor)
    assert (
        len([m for m in api.get("/user/preferences").json()["models"] if m["id"].startswith("dn/")])
        == 3
    )
    Membership.objects.filter(user=contributor).update(is_active=False)
    member = membership(contributor)
    member.save()  # what the SCIM service does: a save, whose signal bumps their versions
    models = api.get("/user/preferences").json()["models"]
    assert [m for m in models if m["id"].startswith("dn/")] == []


def test_group_changes_are_audited(org, contributor):
    research = groups.create_group(org=org, name="Research", actor=None, via=SCIM)
    groups.rename_group(group=research, name="Research Lab", actor=None, via=SCIM)
    groups.add_group_members(
        group=research, memberships=[membership(contributor)], actor=None, via=SCIM
    )
    kinds = list(
        ModelAccessEvent.objects.order_by("id").values_list("kind", "group", "member_email")
    )
    assert kinds == [
        ("group_created", "Research", ""),
        ("group_renamed", "Research Lab", ""),
        ("group_joined", "Research Lab", "member@example.com"),
    ]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "research"])
def test_bad_group_names_are_refused(org, name):
    groups.create_group(org=org, name="Research", actor=None, via=SCIM)
    with pytest.raises(Exception, match="name|characters|already"):
        groups.create_group(org=org, name=name, actor=None, via=SCIM)
    assert Group.objects.count() == 1
