from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from orgs.access import active_membership, user_memberships


def active_org(request) -> dict:
    """The settings shell's org switcher; evaluated only if a template uses it."""
    return {
        "active_membership": SimpleLazyObject(lambda: active_membership(request)),
        "user_memberships": SimpleLazyObject(lambda: user_memberships(request)),
    }
