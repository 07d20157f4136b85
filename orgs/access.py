"""Who may see what. Every org view and API operation starts with one of these: outsiders
get 404 (an org's existence isn't revealed), members whose role is too low get 403."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import ApiKey, User
from orgs.models import Membership, Role

SESSION_KEY = "active_org"
_CACHE = "_org_memberships"


def get_membership(request: HttpRequest, slug: str) -> Membership:
    """The caller's membership in org `slug`; 404 for outsiders (and anonymous API callers)."""
    for membership in user_memberships(request):
        if membership.org.slug == slug:
            return membership
    raise Http404("No such organization.")


def get_owner_membership(request: HttpRequest, slug: str) -> Membership:
    """Like get_membership, but 403 unless the caller owns the org."""
    membership = get_membership(request, slug)
    if membership.role != Role.OWNER:
        raise PermissionDenied("Only owners of this organization can do that.")
    return membership


def user_memberships(request: HttpRequest) -> list[Membership]:
    """All the caller's memberships (one query, cached on the request)."""
    cached = request.__dict__.get(_CACHE)
    if cached is None:
        cached = request.__dict__[_CACHE] = (
            list(
                Membership.objects.filter(user=request.user)
                .select_related("org")
                .order_by("org__name")
            )
            if request.user.is_authenticated
            else []
        )
    return cached


@dataclass(frozen=True)
class KeyHolder:
    user: User
    key_id: int
    last_used_at: datetime | None


def api_key_holder(request: HttpRequest, key_hash: str) -> KeyHolder | None:
    """Who holds the live API key with this hash. The same query reads their memberships,
    which `user_memberships` then reuses: one query for a member of any org (two for someone
    in none, or an unknown key)."""
    memberships = list(
        Membership.objects.filter(
            user__api_keys__key_hash=key_hash,
            user__api_keys__revoked_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user", "org")
        .annotate(key_id=F("user__api_keys__id"), key_used=F("user__api_keys__last_used_at"))
        .order_by("org__name")
    )
    if memberships:
        user = memberships[0].user
        for membership in memberships:
            membership.user = user
        request.__dict__[_CACHE] = memberships
        return KeyHolder(user, memberships[0].key_id, memberships[0].key_used)
    api_key = (
        ApiKey.objects.select_related("user")
        .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if api_key is None:
        return None
    request.__dict__[_CACHE] = []
    return KeyHolder(api_key.user, api_key.pk, api_key.last_used_at)


def active_membership(request: HttpRequest, slug: str | None = None) -> Membership | None:
    """The membership whose org decides the caller's platform models: `slug` if given,
    else the one chosen in the switcher, else the first."""
    memberships = user_memberships(request)
    wanted = slug or getattr(request, "session", {}).get(SESSION_KEY)
    for membership in memberships:
        if membership.org.slug == wanted:
            return membership
    if slug:
        raise Http404("No such organization.")
    return memberships[0] if memberships else None


def target_membership(me: Membership, user_id: UUID) -> Membership:
    """A member of the caller's org, for an owner action that may not touch the caller."""
    target = get_object_or_404(
        Membership.objects.select_related("user"), org=me.org, user_id=user_id
    )
    if target.user_id == me.user_id:
        raise PermissionDenied("You can't change your own role or model access.")
    return target
