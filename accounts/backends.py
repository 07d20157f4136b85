"""Django's ModelBackend, with the signed-in person read from the cache while their version
is current (catalog/caching.py): no query per request to know who is asking. Saving or
deleting the account bumps it (accounts/signals.py). Their memberships, which every page reads
next (orgs.access.user_memberships), come in the same round trip."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts.models import User
from accounts.signals import person
from catalog import caching


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        from orgs.access import MEMBERSHIPS, read_memberships  # orgs builds on accounts

        account, memberships = f"account:{user_id}", f"memberships:{user_id}"
        found: dict[str, Any] = caching.cached_many(
            {
                account: lambda: User._default_manager.filter(pk=user_id).first(),
                memberships: lambda: read_memberships(user_id),
            },
            [person(user_id)],
        )
        user = found[account]
        if user is None or not self.user_can_authenticate(user):
            return None
        setattr(user, MEMBERSHIPS, found[memberships])
        return user
