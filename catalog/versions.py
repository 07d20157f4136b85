"""Versions of shared data that processes keep in memory, such as the deployed platform models.

A process may keep such data between requests only while the version it read with it is still
the current one in the cache; every write bumps the version, so the next request anywhere
reads the data again. The bump happens at once and again after the transaction commits: a
reader that fetched the old rows just before the commit, under the new version, is corrected
by the second bump.

This needs a cache that every process sees (Redis), or a single process (development, tests):
`settings.SHARED_CACHE`. Without it, readers ask the database every time.
"""

from __future__ import annotations

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

PLATFORM_MODELS = "version:platform-models"
CATALOG = "version:catalog"


def byok(user_id: object) -> str:
    """One person's BYOK list and the names of their saved secrets."""
    return f"version:byok:{user_id}"


def current(key: str) -> str:
    """The version now in force, starting one when the cache has none (e.g. after a flush)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid4().hex, timeout=None)
        version = cache.get(key, "")
    return version


def bump(key: str) -> None:
    cache.set(key, uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(key, uuid4().hex, timeout=None))
