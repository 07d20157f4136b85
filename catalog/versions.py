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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from settings_app import release

T = TypeVar("T")

KEPT_FOR = 3600  # entries are checked against their versions on every read: this bounds memory

PLATFORM_MODELS = "version:platform-models"
CATALOG = "version:catalog"


def byok(user_id: object) -> str:
    """One person's BYOK list and the names of their saved secrets."""
    return f"version:byok:{user_id}"


def person(user_id: object) -> str:
    """Who someone is and where they belong: their account, live API keys and memberships."""
    return f"version:person:{user_id}"


def org(org_id: object) -> str:
    """What an org's members page lists: its members, invitations and pending requests."""
    return f"version:org:{org_id}"


def current(key: str) -> str:
    """The version now in force, starting one when the cache has none (e.g. after a flush)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid4().hex, timeout=None)
        version = cache.get(key, "")
    return version


def bump(*keys: str) -> None:
    if not keys:
        return

    def new_versions() -> None:
        cache.set_many({key: uuid4().hex for key in keys}, timeout=None)

    new_versions()
    transaction.on_commit(new_versions)


def kept(
    entry_key: str,
    stamp_keys: Sequence[str],
    build: Callable[[], T],
    timeout: int = KEPT_FOR,
    read: Read | None = None,
) -> T:
    """`build()`, kept in the cache under `entry_key` with the versions `stamp_keys` name: one
    cache round trip while they are all current (none with `read`, what `fresh` read for
    several entries at once). A new entry is kept under the versions read before building,
    so a write committed meanwhile leaves an entry that the next read rejects, never a stale
    one under the new versions. Without a shared cache, `build()` every time."""
    if not settings.SHARED_CACHE:
        return build()
    if read is None:
        read = fresh([entry_key], stamp_keys)
    if entry_key in read.found:
        return cast(T, read.found[entry_key])
    stamp = read.stamp if None not in read.stamp else [current(key) for key in stamp_keys]
    value = build()
    cache.set(_named(entry_key), (stamp, value), timeout=timeout)
    return value


def _named(entry_key: str) -> str:
    """Entries are this code's (settings_app/release.py); versions are everyone's."""
    return f"{release.CODE}:{entry_key}"


@dataclass(frozen=True)
class Read:
    found: dict[str, Any]  # the entries kept under the versions read
    stamp: list[str | None]  # the versions read (None: not in the cache)


def fresh(entry_keys: Sequence[str], stamp_keys: Sequence[str]) -> Read:
    """The entries among `entry_keys` kept under the current versions `stamp_keys` names,
    read in one round trip with those versions (none without a shared cache)."""
    if not settings.SHARED_CACHE:
        return Read({}, [None] * len(stamp_keys))
    values = cache.get_many([*stamp_keys, *map(_named, entry_keys)])
    stamp = [values.get(key) for key in stamp_keys]
    found = {
        key: entry[1]
        for key in entry_keys
        if None not in stamp
        and (entry := values.get(_named(key))) is not None
        and entry[0] == stamp
    }
    return Read(found, stamp)
