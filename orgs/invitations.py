"""Invitations: owners invite an email, the person behind it accepts or declines. The answer
to an invite is the same whether or not an account uses the email, so it reveals nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from orgs.models import Invitation, Membership, ModelAccessEvent, Organization, Role
from orgs.services import check_role, clean_allowlist

SESSION_KEY = "pending_invitations"
Status = Invitation.Status
Kind = ModelAccessEvent.Kind


def _record(org: Organization, actor: User | None, email: str, kind: str, before, after, via):
    ModelAccessEvent.objects.create(
        org=org, actor=actor, member_email=email, kind=kind, before=before, after=after, via=via
    )


def pending_for(email: str, now: datetime | None = None):
    """Invitations the person with `email` can still accept, oldest first."""
    return (
        Invitation.objects.filter(
            email=email.lower(), status=Status.PENDING, expires_at__gt=now or timezone.now()
        )
        .select_related("org")
        .order_by("created_at", "id")
    )


def invite(
    *,
    org: Organization,
    email: str,
    role: str,
    actor: User,
    via: str,
    link: str,
    resend: bool = False,
    now: datetime | None = None,
) -> Invitation:
    """Invite `email` and mail it. `link` is the absolute URL of the invitation page without
    the token. Refuses members already in the org, and an email with a pending invitation
    unless `resend` (then it is sent again, with `role`: see `resend`). An expired one is
    renewed as a new invitation."""
    email = email.strip().lower()
    check_role(role)
    now = now or timezone.now()
    with transaction.atomic():
        if Membership.objects.filter(org=org, user__in=User.objects.by_email(email)).exists():
            raise ValidationError(f"{email} is already a member.", code="duplicate")
        pending = (
            Invitation.objects.select_for_update()
            .filter(org=org, email=email, status=Status.PENDING)
            .first()
        )
        if pending is not None and not pending.is_expired(now):
            if not resend:
                raise ValidationError(_already_invited(pending, role), code="invited")
            invitation = _resend(pending, org=org, role=role, actor=actor, via=via, now=now)
        else:
            # The one-pending-invitation constraint makes a racing second invite update the
            # first (or an expired one).
            invitation, _ = Invitation.objects.update_or_create(
                org=org,
                email=email,
                status=Status.PENDING,
                defaults={"role": role, "invited_by": actor, "expires_at": _expiry(now)},
            )
            _record(org, actor, email, Kind.INVITED, None, role, via)
    _mail(invitation, actor=actor, link=link)
    return invitation


def resend(
    *,
    org: Organization,
    invitation_id: int,
    role: str,
    actor: User,
    via: str,
    link: str,
    now: datetime | None = None,
) -> tuple[Invitation, str | None]:
    """Send a pending invitation of `org` again, valid for another full term, as `role`:
    returns it and the role it had when that changed (audited), else None. 404 for anything
    but a pending invitation of `org`."""
    check_role(role)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_pending_of(org, invitation_id)
        before = locked.role
        _resend(locked, org=org, role=role, actor=actor, via=via, now=now)
    _mail(locked, actor=actor, link=link)
    return locked, (before if before != role else None)


def _resend(
    locked: Invitation,
    *,
    org: Organization,
    role: str,
    actor: User,
    via: str,
    now: datetime,
) -> Invitation:
    """The same invitation again: a new term and email; an audit row only if the role
    changes (a resend changes no one's access)."""
    before = locked.role
    locked.role, locked.invited_by, locked.expires_at = role, actor, _expiry(now)
    locked.save(update_fields=["role", "invited_by", "expires_at"])
    if role != before:
        _record(org, actor, locked.email, Kind.INVITED, before, role, via)
    return locked


def _already_invited(pending: Invitation, role: str) -> str:
    said = f"{pending.email} is already invited as {pending.role_phrase}."
    if role == pending.role:
        return f"{said} To send the email again, use Resend under Pending invitations."
    wanted = Invitation(role=role).role_phrase
    return (
        f"{said} To invite them as {wanted} instead, choose that role under Pending "
        "invitations and resend it."
    )


def _expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.INVITATION_TTL_DAYS)


def _mail(invitation: Invitation, *, actor: User, link: str) -> None:
    send_mail(
        f"You're invited to join {invitation.org.name}",
        render_to_string(
            "orgs/_invitation_email.txt",
            {"invitation": invitation, "link": link + invitation.token + "/", "actor": actor},
        ),
        None,
        [invitation.email],
    )


def invitation_for(user: User, token: str) -> Invitation:
    """The invitation behind `token` if it was sent to the user's email; 404 otherwise, so a
    token reveals nothing to anyone else."""
    invitation = (
        Invitation.objects.select_related("org", "invited_by")
        .filter(token=token[:64], email=user.email.lower())
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def _locked_pending(invitation: Invitation, now: datetime) -> Invitation:
    locked = Invitation.objects.select_for_update().select_related("org").get(pk=invitation.pk)
    if locked.status != Status.PENDING:
        raise ValidationError(
            f"This invitation was already {locked.get_status_display().lower()}.",
            code="decided",
        )
    if locked.is_expired(now):
        raise ValidationError(
            f"This invitation expired. Ask an owner of {locked.org.name} to invite you again.",
            code="expired",
        )
    return locked


def accept(*, invitation: Invitation, user: User, via: str, now: datetime | None = None):
    """Join the org with the invitation's role and the org's default model access."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_pending(invitation, now)
        org = Organization.objects.select_for_update().get(pk=locked.org_id)
        membership = Membership.objects.filter(org=org, user=user).first()
        if membership is None:
            membership = Membership.objects.create(
                org=org,
                user=user,
                role=locked.role,
                # Owners are never restricted, whatever the default.
                allowed_model_ids=None
                if locked.role == Role.OWNER
                else org.default_allowed_model_ids,
                invited_by=locked.invited_by,
            )
            _record(org, user, user.email, Kind.JOINED, None, locked.role, via)
        locked.status, locked.decided_at = Status.ACCEPTED, now
        locked.save(update_fields=["status", "decided_at"])
    return membership


def decline(*, invitation: Invitation, user: User, via: str, now: datetime | None = None):
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_pending(invitation, now)
        _close(locked, locked.org, Status.DECLINED, Kind.DECLINED, actor=user, via=via, now=now)


def revoke(*, org: Organization, invitation_id: int, actor: User, via: str) -> Invitation:
    """Withdraw a pending invitation of `org` (expired ones too); 404 for anything else."""
    with transaction.atomic():
        locked = _locked_pending_of(org, invitation_id)
        _close(locked, org, Status.REVOKED, Kind.UNINVITED, actor=actor, via=via)
    return locked


def _locked_pending_of(org: Organization, invitation_id: int) -> Invitation:
    """A pending invitation of `org`, locked for this transaction; 404 for anything else."""
    locked = (
        Invitation.objects.select_for_update()
        .filter(org=org, pk=invitation_id, status=Status.PENDING)
        .first()
    )
    if locked is None:
        raise Http404("No such pending invitation.")
    return locked


def _close(
    locked: Invitation,
    org: Organization,
    status: str,
    kind: str,
    *,
    actor: User,
    via: str,
    now: datetime | None = None,
) -> None:
    """Decide a locked pending invitation without a membership: audited as the invited role
    going to none."""
    locked.status, locked.decided_at = status, now or timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    _record(org, actor, locked.email, kind, locked.role, None, via)


def set_default_access(*, org: Organization, allowed_model_ids: Any, actor: User, via: str):
    """The model access people get when they accept an invitation: null, [] or a list."""
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=org.pk)
        before = locked.default_allowed_model_ids
        allowed = clean_allowlist(allowed_model_ids, keep=before)
        if allowed != before:
            locked.default_allowed_model_ids = allowed
            locked.save(update_fields=["default_allowed_model_ids"])
            _record(locked, actor, "", Kind.DEFAULT_ACCESS, before, allowed, via)
    return locked


def remember_pending(request: HttpRequest, pending: list[Invitation]) -> None:
    """Keep what the settings shell's invitation notice shows in the session, so pages show
    it without a query: filled at login, refreshed by the invitation pages."""
    notice = [{"org": i.org.name, "token": i.token} for i in pending[:20]]
    if request.session.get(SESSION_KEY) != notice:  # saving the session costs a write
        request.session[SESSION_KEY] = notice


def _on_login(sender, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember_pending(request, list(pending_for(user.email)))


user_logged_in.connect(_on_login, dispatch_uid="orgs.invitations.remember_pending")


def org_pending(org: Organization, limit: int = 100) -> list[Invitation]:
    """The org's pending invitations, newest first, expired ones included (owners revoke
    or re-send them)."""
    return list(
        Invitation.objects.filter(org=org, status=Status.PENDING).select_related("invited_by")[
            :limit
        ]
    )
