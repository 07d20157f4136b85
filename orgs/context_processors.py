from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from orgs.access import active_membership, user_memberships
from orgs.invitations import SESSION_KEY


def active_org(request) -> dict:
    """The settings shell's org switcher; evaluated only if a template uses it."""
    return {
        "active_membership": SimpleLazyObject(lambda: active_membership(request)),
        "user_memberships": SimpleLazyObject(lambda: user_memberships(request)),
        # Kept in the session at login, so the notice costs no query on every page.
        "pending_invitations": SimpleLazyObject(
            lambda: getattr(request, "session", {}).get(SESSION_KEY, [])
        ),
    }
