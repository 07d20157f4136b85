"""When the model gateway (gateway/litellm_auth.py) last asked this app about an org."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.core.cache import cache

# Marks are written at most this often per process and org: the hot path stays free of
# writes, and "last asked" is never off by more than this.
MARK_EVERY = 30.0
# A gateway that hasn't asked for this long is shown as not asking.
MARK_KEPT_FOR = 7 * 24 * 3600
_marked: dict[int, float] = {}


def _mark_key(org_id: int) -> str:
    return f"gateway:last-asked:{org_id}"


def mark_asked(org_id: int) -> None:
    """Remember that the gateway asked about a member of this org: one cache write per
    process and org every MARK_EVERY seconds, never a database write."""
    now = time.monotonic()
    if now - _marked.get(org_id, -MARK_EVERY) < MARK_EVERY:
        return
    _marked[org_id] = now
    cache.set(_mark_key(org_id), time.time(), timeout=MARK_KEPT_FOR)


def last_asked(org_id: int) -> datetime | None:
    """When the gateway last asked about a member of this org (to within MARK_EVERY)."""
    stamp = cache.get(_mark_key(org_id))
    return datetime.fromtimestamp(stamp, tz=UTC) if isinstance(stamp, float) else None
