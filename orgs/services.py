"""Domain actions on memberships: model access, roles, members; every change is audited."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef

from accounts.models import User
from catalog.models import PlatformModel
from orgs.models import Membership, ModelAccessEvent, Organization, Role

MAX_ALLOWLIST = 500
Kind = ModelAccessEvent.Kind
OWNERS_UNRESTRICTED = "Owners always have every platform model; their access can't be restricted."


class AccessConflict(Exception):
    """The member's access changed since the editor was opened."""

    def __init__(self, current: Membership):
        super().__init__("Someone else changed this member's access since you opened it.")
        self.current = current


def clean_allowlist(value: Any, *, keep: list[str] | None = None) -> list[str] | None:
    """Validate an allowlist: None, or a list of platform model ids (order kept, no repeats).

    Ids in `keep` (the current allowlist) stay valid even if no longer deployed.
    """
    if value is None:
        return None
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(
            "Model access is null (all platform models) or a list of ids.", code="invalid"
        )
    if len(value) > MAX_ALLOWLIST:
        raise ValidationError(f"At most {MAX_ALLOWLIST} models.", code="too_many")
    ids = list(dict.fromkeys(v.strip() for v in value))
    known = set(PlatformModel.objects.filter(model_id__in=ids).values_list("model_id", flat=True))
    known |= set(keep or [])
    unknown = [v for v in ids if v not in known]
    if unknown:
        shown = ", ".join(repr(v[:80]) for v in unknown[:5])
        raise ValidationError(
            f"Not platform models: {shown}. Pick from the deployed dn/ models.",
            code="unknown_model",
        )
    return ids


def record_event(membership: Membership, actor: User | None, kind: str, before, after, via: str):
    ModelAccessEvent.objects.create(
        org_id=membership.org_id,
        actor=actor,
        member_id=membership.user_id,
        member_email=membership.user.email,
        kind=kind,
        before=before,
        after=after,
        via=via,
    )


def check_owner_unrestricted(role: str, allowed: list[str] | None) -> None:
    """Owners are never restricted: refuse any allowlist for the owner role."""
    if role == Role.OWNER and allowed is not None:
        raise ValidationError(OWNERS_UNRESTRICTED, code="owner")


def ownerless_orgs(
    *, leaving: Collection[Any], org: Organization | None = None
) -> list[Organization]:
    """The orgs (or just `org`) that would have no active owner left if the users `leaving`
    stopped owning them: demoted, removed, deleted or deactivated. An inactive owner can't
    sign in, so only active owners keep an org managed."""
    others = Membership.objects.filter(
        org=OuterRef("pk"), role=Role.OWNER, user__is_active=True
    ).exclude(user_id__in=leaving)
    orgs = Organization.objects.filter(
        memberships__role=Role.OWNER, memberships__user_id__in=leaving
    ).exclude(Exists(others))
    if org is not None:
        orgs = orgs.filter(pk=org.pk)
    return list(orgs.distinct().order_by("name"))


def left_without_owner(orgs: list[Organization]) -> ValidationError:
    names = ", ".join(org.name for org in orgs)
    return ValidationError(
        f"That would leave {names} without an owner. Make someone else owner first.",
        code="last_owner",
    )


def check_keeps_an_owner(membership: Membership) -> None:
    """Refuse to demote or remove the org's last owner."""
    if membership.role != Role.OWNER:
        return
    orgs = ownerless_orgs(leaving=[membership.user_id], org=membership.org)
    if orgs:
        raise left_without_owner(orgs)


def _apply_access(locked: Membership, allowed: list[str] | None, *, actor, via) -> bool:
    check_owner_unrestricted(locked.role, allowed)
    before = locked.allowed_model_ids
    if before == allowed:  # None == [] is False, so null and [] stay distinct
        return False
    locked.allowed_model_ids = allowed
    locked.access_version += 1
    locked.save(update_fields=["allowed_model_ids", "access_version"])
    record_event(locked, actor, Kind.ACCESS, before, allowed, via)
    return True


def set_model_access(
    *,
    membership: Membership,
    allowed_model_ids: Any,
    actor: User | None,
    via: str,
    expected_version: int | None = None,
) -> Membership:
    """Store null / [] / [ids] for one member. Raises ValidationError or AccessConflict."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if expected_version is not None and locked.access_version != expected_version:
            raise AccessConflict(locked)
        allowed = clean_allowlist(allowed_model_ids, keep=locked.allowed_model_ids)
        _apply_access(locked, allowed, actor=actor, via=via)
    return locked


@dataclass
class BulkResult:
    changed: int = 0
    skipped: int = 0
    stale: list[str] = field(default_factory=list)  # emails of members changed meanwhile


def bulk_set_model_access(
    *,
    org: Organization,
    expected_versions: Mapping[UUID, int],
    allowed_model_ids: Any,
    actor: User,
    via: str,
) -> BulkResult:
    """Apply one setting to several members (user id -> the access version the owner saw),
    as `set_many_model_access` does."""
    allowed = clean_allowlist(allowed_model_ids)
    wanted = {user_id: (version, allowed) for user_id, version in expected_versions.items()}
    return set_many_model_access(org=org, wanted=wanted, actor=actor, via=via)


def check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(f"Role must be one of {', '.join(Role.values)}.", code="invalid")


def _lock_owners(org: Organization) -> None:
    """Serialise role changes and removals in one org, so two owners demoting each other
    at once can't both succeed."""
    list(Membership.objects.select_for_update().filter(org=org, role=Role.OWNER))


def set_role(*, membership: Membership, role: str, actor: User | None, via: str) -> Membership:
    check_role(role)
    with transaction.atomic():
        _lock_owners(membership.org)
        locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        before = locked.role
        if before == role:
            return locked
        check_keeps_an_owner(locked)
        if role == Role.OWNER and locked.allowed_model_ids is not None:
            _apply_access(locked, None, actor=actor, via=via)  # owners are never restricted
        locked.role = role
        locked.save(update_fields=["role"])
        record_event(locked, actor, Kind.ROLE, before, role, via)
    return locked


def remove_member(*, membership: Membership, actor: User | None, via: str) -> None:
    with transaction.atomic():
        _lock_owners(membership.org)
        check_keeps_an_owner(membership)
        record_event(membership, actor, Kind.REMOVED, membership.role, None, via)
        membership.delete()


def set_many_model_access(
    *,
    org: Organization,
    wanted: Mapping[UUID, tuple[int, list[str] | None]],
    actor: User | None,
    via: str,
) -> BulkResult:
    """Give each member its own allowlist in one transaction: user id -> (the access version
    the caller saw, the new allowlist). Owners and the actor are skipped; members whose access
    changed since it was read are left alone and reported in `stale`. Each list may name
    deployed models and, as `clean_allowlist` allows, ids already in that member's list."""
    named = {i for _, allowed in wanted.values() for i in allowed or []}
    deployed = set(
        PlatformModel.objects.filter(model_id__in=named, is_active=True).values_list(
            "model_id", flat=True
        )
    )
    result = BulkResult()
    with transaction.atomic():
        members = (
            Membership.objects.select_for_update()
            .select_related("user")
            .filter(org=org, user_id__in=list(wanted))
            .order_by("pk")
        )
        for locked in members:
            version, allowed = wanted[locked.user_id]
            if (
                locked.role == Role.OWNER
                or (actor is not None and locked.user_id == actor.pk)
                or not locked.is_active  # deactivated by SCIM: reactivate them there first
            ):
                result.skipped += 1
            elif locked.access_version != version:
                result.stale.append(locked.user.email)
            else:
                unknown = set(allowed or []) - deployed - set(locked.allowed_model_ids or [])
                if unknown or len(allowed or []) > MAX_ALLOWLIST:
                    clean_allowlist(allowed, keep=locked.allowed_model_ids)  # raises its message
                if _apply_access(locked, allowed, actor=actor, via=via):
                    result.changed += 1
    return result


def remove_from_allowlists(
    *, org: Organization, model_id: str, actor: User, via: str
) -> BulkResult:
    """Take a platform model that is no longer deployed off every allowlist in the org, in
    one transaction through set_many_model_access: each member audited, each checked against
    the access version read here (a list changed meanwhile is left and reported stale)."""
    if PlatformModel.objects.filter(model_id=model_id, is_active=True).exists():
        raise ValidationError(
            f"{model_id} is deployed; change who may use it in the matrix.", code="deployed"
        )
    lists = Membership.objects.filter(org=org, allowed_model_ids__isnull=False).values_list(
        "user_id", "access_version", "allowed_model_ids"
    )
    wanted: dict[UUID, tuple[int, list[str] | None]] = {
        user_id: (version, [i for i in allowed or [] if i != model_id])
        for user_id, version, allowed in lists
        if model_id in (allowed or [])
    }
    if not wanted:
        raise ValidationError(f"No allowlist in {org.name} names {model_id}.", code="missing")
    return set_many_model_access(org=org, wanted=wanted, actor=actor, via=via)
