"""What the identity provider's requests do to an org: people provisioned, deactivated and
removed, groups kept in sync. Every change goes through the orgs services (or is recorded
as they record theirs), audited as made via SCIM with no person as actor."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from orgs import groups
from orgs.models import Group, Membership, ModelAccessEvent, Organization, Role
from orgs.services import record_event, remove_member
from scim.errors import ScimError, invalid_value
from scim.models import ScimProfile, ScimToken
from scim.resources import UserFields, clean_group, clean_user

SCIM = ModelAccessEvent.Via.SCIM
Kind = ModelAccessEvent.Kind
LAST_USED_GRANULARITY = timedelta(minutes=1)


def token_holder(*, slug: str, raw: str) -> Organization | None:
    """The org whose live token this is, if it is `slug`'s; notes when it was last used."""
    token = (
        ScimToken.objects.select_related("org")
        .filter(key_hash=ScimToken.hash(raw), revoked_at__isnull=True, org__slug=slug)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.org


def revoke_token(*, org: Organization, token_id: int) -> ScimToken | None:
    token = ScimToken.objects.filter(org=org, pk=token_id, revoked_at__isnull=True).first()
    if token is not None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def _keeps_an_active_owner(membership: Membership) -> None:
    """Refuse to deactivate or remove the org's last active owner."""
    if membership.role != Role.OWNER:
        return
    others = Membership.objects.filter(
        org_id=membership.org_id, role=Role.OWNER, is_active=True, user__is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ScimError(
            400,
            f"{membership.user.email} is the organization's last owner: make someone else "
            "owner in the app first.",
            "mutability",
        )


def _set_active(membership: Membership, active: bool) -> None:
    if membership.is_active == active:
        return
    if not active:
        _keeps_an_active_owner(membership)
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    before, after = ("deactivated", "active") if active else ("active", "deactivated")
    kind = Kind.REACTIVATED if active else Kind.DEACTIVATED
    record_event(membership, None, kind, before, after, SCIM)


def _save_profile(membership: Membership, fields: UserFields) -> None:
    ScimProfile.objects.update_or_create(
        membership=membership, defaults={"attributes": fields.attributes}
    )


def create_user(*, org: Organization, data: object) -> Membership:
    """An account (found by email, whatever its case, or made) and its membership in `org`
    with the org's default access; a member added by hand is claimed."""
    fields = clean_user(data)
    try:
        with transaction.atomic():
            user = User.objects.by_email(fields.user_name).first()
            if user is None:
                user = User.objects.create_user(fields.user_name, name=fields.display_name)
            membership = Membership.objects.filter(org=org, user=user).first()
            if membership is not None and membership.provisioned:
                raise ScimError(409, f"{user.email} is already provisioned.", "uniqueness")
            if membership is None:
                membership = Membership.objects.create(
                    org=org,
                    user=user,
                    role=Role.CONTRIBUTOR,
                    allowed_model_ids=org.default_allowed_model_ids,
                    provisioned=True,
                    external_id=fields.external_id,
                )
                record_event(membership, None, Kind.ADDED, None, membership.role, SCIM)
            else:
                membership.provisioned, membership.external_id = True, fields.external_id
                membership.save(update_fields=["provisioned", "external_id"])
            membership.user = user
            _set_active(membership, fields.active is not False)
            _save_profile(membership, fields)
    except IntegrityError:  # the same person created by two requests at once
        raise ScimError(409, f"{fields.user_name} is already provisioned.", "uniqueness") from None
    return membership


def update_user(*, membership: Membership, data: object) -> None:
    """Replace what the identity provider keeps of a member (PUT, or PATCH's result)."""
    fields = clean_user(data)
    if fields.user_name.lower() != membership.user.email.lower():
        raise ScimError(
            400, "userName is the person's email, their login: it can't change.", "mutability"
        )
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if fields.active is not None:
            _set_active(locked, fields.active)
        if locked.external_id != fields.external_id:
            locked.external_id = fields.external_id
            locked.save(update_fields=["external_id"])
        _save_profile(locked, fields)


def delete_user(*, membership: Membership) -> None:
    """Their membership goes (audited); their account and its history stay."""
    with transaction.atomic():
        _keeps_an_active_owner(membership)
        remove_member(membership=membership, actor=None, via=SCIM)


def _members(org: Organization, user_ids: Collection[str]) -> list[Membership]:
    """The org's memberships of these users (SCIM ids); unknown ones are refused."""
    try:
        wanted = {uuid.UUID(user_id) for user_id in user_ids}
    except ValueError:
        raise invalid_value("A member's value is the id of a User of this organization.") from None
    found = list(Membership.objects.filter(org=org, user_id__in=wanted).select_related("user"))
    missing = wanted - {m.user_id for m in found}
    if missing:
        shown = ", ".join(sorted(str(user_id) for user_id in missing)[:5])
        raise invalid_value(f"Not Users of this organization: {shown}.")
    return found


def _set_members(group: Group, member_ids: list[str], current: Collection[str]) -> None:
    wanted, present = set(member_ids), set(current)
    changed = _members(group.org, wanted ^ present)
    joining = [m for m in changed if str(m.user_id) in wanted]
    leaving = [m for m in changed if str(m.user_id) not in wanted]
    if joining:
        groups.add_group_members(group=group, memberships=joining, actor=None, via=SCIM)
    if leaving:
        groups.remove_group_members(group=group, memberships=leaving, actor=None, via=SCIM)


def create_group(*, org: Organization, data: object) -> Group:
    fields = clean_group(data)
    with transaction.atomic():
        group = groups.create_group(
            org=org,
            name=fields.name,
            actor=None,
            via=SCIM,
            external_id=fields.external_id,
            provisioned=True,
        )
        _set_members(group, fields.member_ids, [])
    return group


def update_group(*, group: Group, data: object) -> None:
    """Replace the group's name, externalId and members (PUT, or PATCH's result). One
    transaction, a constant number of queries whatever the number of members."""
    fields = clean_group(data)
    with transaction.atomic():
        locked = Group.objects.select_for_update().select_related("org").get(pk=group.pk)
        groups.rename_group(group=locked, name=fields.name, actor=None, via=SCIM)
        if locked.external_id != fields.external_id:
            locked.external_id = fields.external_id
            locked.save(update_fields=["external_id"])
        current = locked.members.values_list("user_id", flat=True)
        _set_members(locked, fields.member_ids, [str(user_id) for user_id in current])


def delete_group(*, group: Group) -> None:
    groups.delete_group(group=group, actor=None, via=SCIM)


def refusal(error: ValidationError) -> ScimError:
    """A domain refusal (a group name taken, too long) as SCIM says it."""
    if getattr(error, "code", None) == "unique":
        return ScimError(409, error.messages[0], "uniqueness")
    return invalid_value(error.messages[0])
