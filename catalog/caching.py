"""The one way this app keeps things in the cache: `cached(key, depends_on, build)`.

A value is kept with the versions of what it was built from, named by plain strings such as
"catalog", "platform", "person:42" or "org:7". Writing those rows bumps their versions (each
app's signals.py, and the services that write in bulk, which the ORM's signals don't see), so
the next read builds the value again. Every entry also expires after `TTL` seconds whatever
happened: a write that bypasses the ORM (raw SQL, a restore) is seen within a minute, and
`manage.py clear_cache` bumps every version at once. What only the catalog decides (search
results, provider counts) is kept an `HOUR`: the catalog changes through sync_catalog and the
admin, which bump its version.

An entry that depends on no version is named by all it holds (a digest of a fragment's inputs,
the catalog version among them): each process also keeps the ones it used last, up to
PROCESS_BYTES, and asks the shared cache only for the others.

Only with a cache that every process shares (settings.SHARED_CACHE: Redis, or the single
process of development and tests) is anything kept; without one, `build()` runs every time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
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
PROCESS_BYTES = 32 * 1024 * 1024  # what each process keeps of entries named by all they hold
# The versions this request has read or written (None outside a request).
_read: ContextVar[dict[str, Any] | None] = ContextVar("versions read", default=None)


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
    if not depends_on:
        return _in_process.get_many(builds, ttl)
    return _shared(builds, depends_on, ttl)


def _shared(
    builds: Mapping[str, Callable[[], T]], depends_on: Sequence[str], ttl: int
) -> dict[str, T]:
    names = [_version_key(name) for name in (EVERYTHING, *depends_on)]
    entries = {key: f"{settings.RELEASE}:{key}" for key in builds}
    unread = _unread(names)
    found = cache.get_many([*unread, *entries.values()])
    _remember({key: found[key] for key in unread if key in found})
    known = _read.get() or {}
    stamp = [found.get(name, known.get(name)) for name in names]
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
    key = _version_key(name)
    found = (_read.get() or {}).get(key) or cache.get(key)
    if found is None:
        return _start([key])[0]
    _remember({key: found})
    return found


def bump(*names: str) -> None:
    """Whatever depends on these is built again: at once, and once more when the transaction
    commits (a reader that read the old rows just before the commit is corrected then)."""
    if not names:
        return

    def new_versions() -> None:
        versions = {_version_key(name): uuid4().hex for name in names}
        cache.set_many(versions, timeout=None)
        _remember(versions)

    new_versions()
    transaction.on_commit(new_versions)


def _version_key(name: str) -> str:
    return f"version:{name}"


def _start(keys: list[str]) -> list[Any]:
    for key in keys:
        cache.add(key, uuid4().hex, timeout=None)
    found = cache.get_many(keys)
    _remember(found)
    return [found.get(key, "") for key in keys]


def _unread(keys: list[str]) -> list[str]:
    known = _read.get()
    if known is None:
        return keys
    if not known:  # a request's first read: also the versions most pages go on to read
        keys = [
            *keys,
            *(_version_key(n) for n in (CATALOG, PLATFORM) if _version_key(n) not in keys),
        ]
    return [key for key in keys if key not in known]


def _remember(versions: Mapping[str, Any]) -> None:
    known = _read.get()
    if known is not None:
        known.update(versions)


def versions_per_request(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Middleware: each version is read from the cache once per request, and a write's new
    versions are the ones the rest of the request reads."""

    def middleware(request: Any) -> Any:
        token = _read.set({})
        try:
            return get_response(request)
        finally:
            _read.reset(token)

    return middleware


class _InProcess:
    """This process's last used entries named by all they hold, each kept `ttl` at most like
    its shared copy; the least recently used go first once they pass PROCESS_BYTES."""

    def __init__(self) -> None:
        self.kept: OrderedDict[str, tuple[float, int, Any]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get_many(self, builds: Mapping[str, Callable[[], T]], ttl: int) -> dict[str, T]:
        now = time.time()
        with self.lock:
            found = {k: e[2] for k in builds if (e := self.kept.get(k)) and e[0] > now}
            for key in found:
                self.kept.move_to_end(key)
        missing = {key: build for key, build in builds.items() if key not in found}
        if missing:
            made = _shared(missing, (), ttl)
            with self.lock:
                for key, value in made.items():
                    size = len(value) if isinstance(value, str) else 1_000
                    self.size += size - (self.kept.pop(key, (0, 0))[1])
                    self.kept[key] = (now + ttl, size, value)
                while self.size > PROCESS_BYTES:
                    self.size -= self.kept.popitem(last=False)[1][1]
            found |= made
        return found

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()
            self.size = 0


_in_process = _InProcess()
