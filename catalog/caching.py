"""The one way this app keeps things in the cache: `cached(key, depends_on, build)`.

A value is kept with the versions of what it was built from, named by plain strings such as
"catalog", "platform", "person:42" or "org:7". Writing those rows bumps their versions (each
app's signals.py, and the services that write in bulk, which the ORM's signals don't see), so
the next read builds the value again. Every entry also expires after `TTL` seconds whatever
happened: a write that bypasses the ORM (raw SQL, a restore) is seen within a minute, and
`manage.py clear_cache` bumps every version at once. What only the catalog decides (search
results, provider counts) is kept an `HOUR`: the catalog changes through sync_catalog and the
admin, which bump its version.

Only with a cache that every process shares (settings.SHARED_CACHE: Redis, or the single
process of development and tests) is anything kept; without one, `build()` runs every time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

TTL = 60  # seconds: how long a write that bypasses the ORM can go unseen
HOUR = 3600  # for what the catalog alone decides, and HTML named by all it shows
EVERYTHING = "everything"  # every entry depends on it: clear_cache bumps it
CATALOG = "catalog"  # the catalog's rows: search results, provider counts, BYOK rows' details
PLATFORM = "platform"  # the deployed platform models and their status


def cached(key: str, depends_on: Sequence[str], build: Callable[[], T], ttl: int = TTL) -> T:
    """`build()`, kept under `key` while the versions of `depends_on` stay as they were."""
    return cached_many({key: build}, depends_on, ttl)[key]


def cached_many(
    builds: Mapping[str, Callable[[], T]], depends_on: Sequence[str], ttl: int = TTL
) -> dict[str, T]:
    """Several entries depending on the same versions, in one cache round trip. The versions
    are read before anything is built, so a write committed meanwhile leaves entries that the
    next read rejects, never stale ones under the new versions."""
    if not settings.SHARED_CACHE:
        return {key: build() for key, build in builds.items()}
    names = [_version_key(name) for name in (EVERYTHING, *depends_on)]
    entries = {key: f"{settings.RELEASE}:{key}" for key in builds}
    found = cache.get_many([*names, *entries.values()])
    stamp = [found.get(name) for name in names]
    now = time.time()
    values, missing = {}, {}
    for key, entry_key in entries.items():
        entry = found.get(entry_key)
        if entry is not None and entry[0] == stamp and entry[1] > now and None not in stamp:
            values[key] = entry[2]
        else:
            missing[key] = entry_key
    if missing:
        if None in stamp:
            stamp = _start(names)
        for key in missing:
            values[key] = builds[key]()
        cache.set_many({missing[k]: (stamp, now + ttl, values[k]) for k in missing}, ttl)
    return values


def version(name: str) -> str:
    """The current version of `name` (one is started if the cache has none); "" without a
    shared cache."""
    if not settings.SHARED_CACHE:
        return ""
    found = cache.get(_version_key(name))
    return found if found is not None else _start([_version_key(name)])[0]


def bump(*names: str) -> None:
    """Whatever depends on these is built again: at once, and once more when the transaction
    commits (a reader that read the old rows just before the commit is corrected then)."""
    if not names:
        return

    def new_versions() -> None:
        cache.set_many({_version_key(name): uuid4().hex for name in names}, timeout=None)

    new_versions()
    transaction.on_commit(new_versions)


def _version_key(name: str) -> str:
    return f"version:{name}"


def _start(keys: list[str]) -> list[Any]:
    for key in keys:
        cache.add(key, uuid4().hex, timeout=None)
    found = cache.get_many(keys)
    return [found.get(key, "") for key in keys]
