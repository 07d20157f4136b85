from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from catalog import caching
from orgs.access import active_membership, user_memberships
from orgs.invitations import SESSION_KEY
from orgs.requests import pending_count
from orgs.signals import org


def active_org(request) -> dict:
    """The settings shell's org switcher; evaluated only if a template uses it."""
    return {
        "active_membership": SimpleLazyObject(lambda: active_membership(request)),
        "user_memberships": SimpleLazyObject(lambda: user_memberships(request)),
        "pending_requests": SimpleLazyObject(lambda: _pending_requests(request)),
        # The switcher's (slug, name, is the active one) per org, as plain values.
        "org_choices": SimpleLazyObject(lambda: _org_choices(request)),
        # Kept in the session at login, so the notice costs no query on every page.
        "pending_invitations": SimpleLazyObject(
            lambda: getattr(request, "session", {}).get(SESSION_KEY, [])
        ),
    }


def _pending_requests(request) -> int:
    """Pending access requests of the active org, only for its owners: kept while the org's
    version is current (every access request's write bumps it)."""
    membership = active_membership(request)
    if not (membership and membership.is_owner):
        return 0
    org_id = membership.org_id
    return caching.cached(
        f"pending-requests:{org_id}", [org(org_id)], lambda: pending_count(org_id)
    )


def _org_choices(request) -> tuple[tuple[str, str, bool], ...]:
    active = active_membership(request)
    return tuple(
        (m.org.slug, m.org.name, active is not None and m.pk == active.pk)
        for m in user_memberships(request)
    )
