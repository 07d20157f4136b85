"""Domain actions on an org's groups: pages, the API and SCIM call these; every change is
audited. A group's allowlist means what a member's does; a member gets the union of theirs."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from orgs.models import Group, Membership, ModelAccessEvent, Organization
from orgs.services import clean_allowlist

Kind = ModelAccessEvent.Kind
MAX_NAME = 100


def clean_name(org: Organization, name: Any, *, group: Group | None = None) -> str:
    """A group name: 1 to 100 characters, unique in the org ignoring case."""
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise ValidationError("Give the group a name.", code="required")
    if len(name) > MAX_NAME:
        raise ValidationError(f"At most {MAX_NAME} characters.", code="max_length")
    taken = Group.objects.filter(org=org, name__iexact=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise ValidationError(f"{org.name} already has a group named {name}.", code="unique")
    return name


def _record(group: Group, actor: User | None, kind: str, before, after, via: str, **member):
    ModelAccessEvent.objects.create(
        org_id=group.org_id,
        group=group.name,
        actor=actor,
        kind=kind,
        before=before,
        after=after,
        via=via,
        **member,
    )


def create_group(
    *,
    org: Organization,
    name: Any,
    actor: User | None,
    via: str,
    allowed_model_ids: list[str] | None = None,
    external_id: str = "",
    provisioned: bool = False,
) -> Group:
    """A new group; it gives no platform models until some are chosen."""
    with transaction.atomic():
        group = Group.objects.create(
            org=org,
            name=clean_name(org, name),
            allowed_model_ids=[] if allowed_model_ids is None else allowed_model_ids,
            external_id=external_id,
            provisioned=provisioned,
        )
        _record(group, actor, Kind.GROUP_CREATED, None, group.name, via)
    return group


def rename_group(*, group: Group, name: Any, actor: User | None, via: str) -> None:
    name = clean_name(group.org, name, group=group)
    if name == group.name:
        return
    with transaction.atomic():
        before, group.name = group.name, name
        group.save(update_fields=["name"])
        _record(group, actor, Kind.GROUP_RENAMED, before, name, via)


def delete_group(*, group: Group, actor: User | None, via: str) -> None:
    """Its members lose what only it gave them; the audit log keeps its name."""
    with transaction.atomic():
        _record(group, actor, Kind.GROUP_DELETED, group.name, None, via)
        group.delete()


class GroupConflict(Exception):
    """The group's models changed since the owner opened them."""

    def __init__(self, current: Group):
        super().__init__("Someone else changed this group's models since you opened it.")
        self.current = current


def set_group_models(
    *,
    group: Group,
    allowed_model_ids: Any,
    actor: User | None,
    via: str,
    expected_version: int | None = None,
) -> bool:
    """Validate and set the group's allowlist (None = all, [] = none); False if unchanged.
    With `expected_version`, refuse (GroupConflict) if someone changed it since."""
    allowed = clean_allowlist(allowed_model_ids, keep=group.allowed_model_ids)
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        if expected_version is not None and locked.access_version != expected_version:
            raise GroupConflict(locked)
        before = locked.allowed_model_ids
        if before == allowed:
            return False
        locked.allowed_model_ids = group.allowed_model_ids = allowed
        locked.access_version = group.access_version = locked.access_version + 1
        locked.save(update_fields=["allowed_model_ids", "access_version"])
        _record(locked, actor, Kind.GROUP_ACCESS, before, allowed, via)
    return True


def _members_event(group: Group, member: Membership, kind: str, actor, via: str):
    return ModelAccessEvent(
        org_id=group.org_id,
        group=group.name,
        actor=actor,
        member_id=member.user_id,
        member_email=member.user.email,
        kind=kind,
        via=via,
    )


def add_group_members(
    *, group: Group, memberships: Collection[Membership], actor: User | None, via: str
) -> list[Membership]:
    """Add members of the group's org (others are refused); returns those newly added. One
    transaction and a constant number of queries, whatever the count."""
    if any(m.org_id != group.org_id for m in memberships):
        raise ValidationError("Only members of this organization can join its groups.")
    with transaction.atomic():
        present = set(group.members.values_list("pk", flat=True))
        new = [m for m in memberships if m.pk not in present]
        group.members.add(*new)
        ModelAccessEvent.objects.bulk_create(
            [_members_event(group, m, Kind.GROUP_JOINED, actor, via) for m in new]
        )
    return new


def remove_group_members(
    *, group: Group, memberships: Collection[Membership], actor: User | None, via: str
) -> list[Membership]:
    """Remove members from the group; returns those who were in it."""
    with transaction.atomic():
        present = set(group.members.values_list("pk", flat=True))
        gone = [m for m in memberships if m.pk in present]
        group.members.remove(*gone)
        ModelAccessEvent.objects.bulk_create(
            [_members_event(group, m, Kind.GROUP_LEFT, actor, via) for m in gone]
        )
    return gone


def members_by_email(*, org: Organization, emails: Collection[str]) -> list[Membership]:
    """The org's members with these (lower-case) emails, in that order; refused, naming them,
    if any isn't a member."""
    found = {
        m.user.email: m
        for m in Membership.objects.filter(org=org, user__email__in=emails).select_related("user")
    }
    unknown = [email for email in emails if email not in found]
    if unknown:
        shown = ", ".join(email[:100] for email in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ValidationError(
            f"Not members of {org.name}: {shown}{more}. Invite them on the Members page first.",
            code="not_member",
        )
    return [found[email] for email in emails]
