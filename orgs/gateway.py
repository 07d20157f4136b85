"""What the model gateway asks this app (gateway/litellm_auth.py): which `dn/` aliases the
holder of a personal API key may run now, and when the gateway last asked about an org.

The answer is the picker's own rule (accounts.picker.permitted_platform_models), so the
gateway refuses exactly what the pages and the API say a member can't use.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache

from accounts.picker import permitted_platform_models
from catalog.models import PlatformModel
from orgs.models import Membership

# Marks are written at most this often per process and org: the hot path stays free of
# writes, and "last asked" is never off by more than this.
MARK_EVERY = 30.0
# A gateway that hasn't asked for this long is shown as not asking.
MARK_KEPT_FOR = 7 * 24 * 3600
_marked: dict[int, float] = {}


@dataclass(frozen=True)
class Runnable:
    """`all_models`: the member may run every platform model the gateway serves, including
    aliases deployed after this app last read the list. Otherwise exactly `models`."""

    all_models: bool
    models: list[str]


def runnable(membership: Membership | None, deployed: list[PlatformModel]) -> Runnable:
    """Owners and an allowlist of null: every alias; a list: that list ∩ deployed; []: none.
    Someone in no org has no platform models (as in the picker)."""
    models = [m.model_id for m in permitted_platform_models(membership, deployed)]
    every = membership is not None and membership.allowed_model_ids is None
    return Runnable(every, models)


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
