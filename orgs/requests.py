"""Access requests: a restricted member asks for a platform model; an owner approves it (the
model joins their allowlist through the editor's service, version-checked and audited as the
owner's change) or denies it. Each side is emailed."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from catalog import caching
from catalog.models import PlatformModel
from orgs.groups import add_group_members
from orgs.models import AccessRequest, Group, Membership, Organization, Role
from orgs.services import set_model_access
from orgs.signals import org

Status = AccessRequest.Status


class RequestRefused(Exception):
    """A request that can't be made or decided; `status` is the HTTP status the API answers."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def _notify(subject: str, template: str, context: dict, to: list[str]) -> None:
    if to:
        send_mail(subject, render_to_string(template, context), None, to)


def request_access(
    *, membership: Membership, model_id: str, reason: str = "", link: str = ""
) -> tuple[AccessRequest, bool]:
    """The member's pending request for `model_id`, made now (True) or already there (False).
    Refused for models not deployed, models already allowed, owners and unrestricted members."""
    if membership.is_owner:
        raise RequestRefused("Owners always have every platform model.", 409)
    if not membership.is_restricted:
        raise RequestRefused("Your org already gives you every platform model.", 409)
    model = PlatformModel.objects.filter(model_id=model_id, is_active=True).first()
    if model is None:
        raise RequestRefused(f"{model_id[:200]} is not a deployed platform model.", 404)
    if model_id in (membership.allowed_model_ids or []):
        raise RequestRefused(f"You can already use {model_id}.", 409)
    if groups := [name for name in membership.sources_of(model_id) if name != "own"]:
        given = f"group {groups[0]}" if len(groups) == 1 else f"groups {', '.join(groups)}"
        raise RequestRefused(f"You can already use {model_id}: your {given} gives it.", 409)
    pending = {
        "org_id": membership.org_id,
        "member_id": membership.user_id,
        "model_id": model_id,
        "status": Status.PENDING,
    }
    try:
        with transaction.atomic():
            request, created = AccessRequest.objects.get_or_create(
                **pending, defaults={"reason": reason.strip()[:500]}
            )
    except IntegrityError:  # a concurrent identical request won: answer that one
        request, created = AccessRequest.objects.get(**pending), False
    if created:
        owners = Membership.objects.filter(
            org_id=membership.org_id, role=Role.OWNER, user__is_active=True
        ).values_list("user__email", flat=True)
        _notify(
            f"{membership.user.email} asks for {model_id} in {membership.org.name}",
            "orgs/_access_request_email.txt",
            {"request": request, "membership": membership, "link": link},
            list(owners),
        )
    return request, created


def decide(
    *,
    org: Organization,
    request_id: int,
    approve: bool,
    actor: User,
    via: str,
    note: str = "",
    group_id: int | None = None,
) -> AccessRequest:
    """Approve or deny one pending request: approving adds the model to the member's own list,
    or, given `group_id`, adds them to that group of the org, which must give the model. The
    request row stays locked until the decision is stored, so of two owners deciding at once
    the second is refused (409)."""
    with transaction.atomic():
        locked = (
            AccessRequest.objects.select_for_update()
            .filter(org=org, pk=request_id)
            .select_related("member")
            .first()
        )
        if locked is None:
            raise RequestRefused("No such access request.", 404)
        if locked.status != Status.PENDING:
            raise RequestRefused(
                f"This request was already {locked.get_status_display().lower()}.", 409
            )
        locked.status, locked.note = Status.DENIED, note.strip()[:500]
        if approve:
            locked.status = _grant(locked, actor=actor, via=via, group_id=group_id)
            if locked.status == Status.CLOSED:
                locked.note = "Nothing to change: they already have every platform model."
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "note", "decided_by", "decided_at"])
    outcome = locked.get_status_display().lower()
    _notify(
        f"Your request for {locked.model_id} in {org.name} was {outcome}",
        "orgs/_access_decision_email.txt",
        {"request": locked, "org": org},
        [locked.member.email],
    )
    return locked


def _group(locked: AccessRequest, group_id: int) -> Group:
    """The org's group that gives the requested model (refused otherwise)."""
    group = Group.objects.filter(org_id=locked.org_id, pk=group_id).first()
    if group is None:
        raise RequestRefused("That group is no longer in this org.", 409)
    if group.allowed_model_ids is not None and locked.model_id not in group.allowed_model_ids:
        raise RequestRefused(f"Group {group.name} doesn't give {locked.model_id}.", 409)
    return group


def _grant(locked: AccessRequest, *, actor: User, via: str, group_id: int | None) -> str:
    member = (
        Membership.objects.select_related("user", "org")
        .filter(org_id=locked.org_id, user_id=locked.member_id)
        .first()
    )
    if member is None:
        raise RequestRefused("They are no longer a member of this org.", 409)
    allowed = member.allowed_model_ids
    if allowed is None:  # became unrestricted or owner since asking
        return Status.CLOSED
    if group_id is not None:
        group = _group(locked, group_id)
        add_group_members(group=group, memberships=[member], actor=actor, via=via)
        locked.note = locked.note or f"Added to group {group.name}."
    elif locked.model_id not in allowed:
        set_model_access(
            membership=member,
            allowed_model_ids=[*allowed, locked.model_id],
            actor=actor,
            via=via,
            expected_version=member.access_version,
        )
    return Status.APPROVED


def decide_many(
    *, org: Organization, request_ids: Iterable[int], approve: bool, actor: User, via: str
) -> tuple[int, list[str]]:
    """Decide each selected request on its own; returns (decided, messages of refusals)."""
    done, refused = 0, []
    for request_id in request_ids:
        try:
            decide(org=org, request_id=request_id, approve=approve, actor=actor, via=via)
            done += 1
        except RequestRefused as exc:
            refused.append(exc.message)
    return done, refused


def visible_requests(membership: Membership, status: str | None = None) -> QuerySet:
    """Owners see every request of the org, members their own."""
    requests = AccessRequest.objects.filter(org_id=membership.org_id).select_related(
        "member", "decided_by"
    )
    if not membership.is_owner:
        requests = requests.filter(member_id=membership.user_id)
    else:
        requests = requests.annotate(has_groups=Exists(Group.objects.filter(org=OuterRef("org"))))
    return requests.filter(status=status) if status else requests


def latest_by_model(membership: Membership | None) -> dict[str, AccessRequest]:
    """The member's newest request per model (one query, kept while the org's version is
    current: every access request's write bumps it), for the locked rows."""
    if membership is None or not membership.is_restricted:
        return {}

    def read() -> dict[str, AccessRequest]:
        rows = AccessRequest.objects.filter(org_id=membership.org_id, member_id=membership.user_id)
        return {request.model_id: request for request in rows.order_by("created_at", "id")}

    return caching.cached(f"requests:{membership.pk}", [org(membership.org_id)], read)


def giving_groups(org_id: int, rows: list[AccessRequest]) -> list[list[Group]]:
    """For each request, the org's groups that give its model (an owner may approve by adding
    the member to one): one query, none for an org without groups (`has_groups`, annotated
    by `visible_requests`)."""
    if not any(getattr(r, "has_groups", False) for r in rows):
        return [[] for _ in rows]
    groups = list(Group.objects.filter(org_id=org_id))
    return [
        [g for g in groups if g.allowed_model_ids is None or r.model_id in g.allowed_model_ids]
        for r in rows
    ]


def pending_count(org_id: int) -> int:
    return AccessRequest.objects.filter(org_id=org_id, status=Status.PENDING).count()
