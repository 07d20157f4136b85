"""Who may see what: the one access function per org resource (STYLE: healthchecks)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from orgs.models import Membership, Role

SESSION_KEY = "active_org"


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
    if not hasattr(request, "_memberships"):
        request._memberships = (
            list(
                Membership.objects.filter(user=request.user)
                .select_related("org")
                .order_by("org__name")
            )
            if request.user.is_authenticated
            else []
        )
    return request._memberships


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
