"""Recording platform model changes (deployed, no longer deployed, deployed again) where they
happen: the proxy sync, the admin and demo data call these in their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from catalog.models import PlatformModel, PlatformModelEvent

Kind = PlatformModelEvent.Kind


def change_of(was_active: bool | None, is_active: bool) -> str | None:
    """The event a row's move from `was_active` (None: it didn't exist) to `is_active` is."""
    if was_active is None:
        return Kind.DEPLOYED if is_active else None
    if was_active != is_active:
        return Kind.REACTIVATED if is_active else Kind.REMOVED
    return None


def record(
    changes: Iterable[tuple[PlatformModel, str | None]],
    *,
    via: str,
    actor: Any = None,
    at: datetime | None = None,
) -> None:
    """One event per (model, kind) with a kind, in one insert."""
    at = at or timezone.now()
    PlatformModelEvent.objects.bulk_create(
        PlatformModelEvent(
            model_id=model.model_id,
            display_name=model.display_name,
            kind=kind,
            via=via,
            actor=actor,
            at=at,
        )
        for model, kind in changes
        if kind
    )
