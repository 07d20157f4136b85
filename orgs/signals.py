"""What a write of an org's rows makes the cache build again (catalog/caching.py): a member's
memberships are part of who they are (`person`, accounts/signals.py), and an org's members,
invitations and requests are what its pages count (`org`). Bulk writes, which send no
signals, bump in the services that make them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from accounts.models import User
from accounts.signals import person
from catalog import caching
from orgs.models import AccessRequest, Group, Invitation, Membership, Organization


def org(org_id: object) -> str:
    """What an org's pages count and list: its members, invitations and access requests."""
    return f"org:{org_id}"


def _org_changed(instance: Organization, **kwargs: Any) -> None:
    """Its name and slug are part of every member's memberships."""
    members = Membership.objects.filter(org_id=instance.pk).values_list("user_id", flat=True)
    caching.bump(org(instance.pk), *map(person, members))


def _membership_changed(instance: Membership, **kwargs: Any) -> None:
    caching.bump(org(instance.org_id), person(instance.user_id))


def _group_changed(instance: Group, **kwargs: Any) -> None:
    """A group's allowlist is part of what each of its members may run."""
    members = instance.members.values_list("user_id", flat=True) if instance.pk else []
    caching.bump(org(instance.org_id), *map(person, members))


def _group_members_changed(
    instance: Group | Membership, action: str, pk_set: set | None, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if isinstance(instance, Membership):  # membership.groups.add(...)
        caching.bump(org(instance.org_id), person(instance.user_id))
        return
    members = (
        instance.members
        if action == "pre_clear"
        else Membership.objects.filter(pk__in=pk_set or ())
    )
    caching.bump(org(instance.org_id), *map(person, members.values_list("user_id", flat=True)))


def _org_row_changed(instance: Invitation | AccessRequest, **kwargs: Any) -> None:
    caching.bump(org(instance.org_id))


def _account_changed(instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    """Members are listed and searched by name and email (a login changes neither)."""
    if update_fields == {"last_login"}:
        return
    orgs = Membership.objects.filter(user_id=instance.pk).values_list("org_id", flat=True)
    caching.bump(*map(org, orgs))


for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
    signal.connect(_org_changed, sender=Organization, dispatch_uid=f"orgs.org.{name}")
    signal.connect(_membership_changed, sender=Membership, dispatch_uid=f"orgs.member.{name}")
    signal.connect(_org_row_changed, sender=Invitation, dispatch_uid=f"orgs.invitation.{name}")
    signal.connect(_org_row_changed, sender=AccessRequest, dispatch_uid=f"orgs.request.{name}")
    signal.connect(_account_changed, sender=User, dispatch_uid=f"orgs.account.{name}")
post_save.connect(_group_changed, sender=Group, dispatch_uid="orgs.group.saved")
pre_delete.connect(_group_changed, sender=Group, dispatch_uid="orgs.group.deleted")
m2m_changed.connect(
    _group_members_changed, sender=Group.members.through, dispatch_uid="orgs.group.members"
)
