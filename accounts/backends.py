"""Django's ModelBackend, with the signed-in person read from the cache while their version
is current (catalog/caching.py): no query per request to know who is asking. Saving or
deleting the account bumps it (accounts/signals.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts.models import User
from accounts.signals import person
from catalog import caching


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = caching.cached(
            f"account:{user_id}",
            [person(user_id)],
            lambda: User._default_manager.filter(pk=user_id).first(),
        )
        return user if user is not None and self.user_can_authenticate(user) else None
