"""Django's ModelBackend, with the signed-in person read from the cache while their version
(catalog/versions.py) is current: no query per request to know who is asking. Saving the
account (password, is_active, email), deleting it, or any bulk write of it bumps that version."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts.models import User
from catalog import versions


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        stamp = [versions.person(user_id)]
        # Their memberships are kept under the same version: read with the person, for
        # orgs.access.user_memberships, in the same round trip.
        read = versions.fresh([f"person:{user_id}", memberships_key(user_id)], stamp)
        user = versions.kept(
            f"person:{user_id}",
            stamp,
            lambda: User._default_manager.filter(pk=user_id).first(),
            read=read,
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        if memberships_key(user_id) in read.found:
            user.kept_memberships = read.found[memberships_key(user_id)]
        return user


def memberships_key(user_id: Any) -> str:
    return f"memberships:{user_id}"
