"""Platform (dn/) models from a LiteLLM proxy, refreshed lazily with a TTL.

The refresh runs once per request before any transaction
(settings_app.middleware.PlatformRefreshMiddleware), so a rolled-back action can never take the
refreshed rows with it while the "fresh" mark stays, and the proxy is never asked while a lock
is held. Failures keep the last good list and are recorded.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from catalog import caching
from catalog.costmap import capability_flags, per_million, whole_number
from catalog.models import PlatformModel, PlatformModelEvent, SyncRun
from catalog.names import display_name
from catalog.platform_events import change_of, record

log = logging.getLogger(__name__)

FRESH_KEY = "platform-models:fresh"  # its value: when it stops being fresh (epoch seconds)
LOCK_KEY = "platform-models:refreshing"
MAX_BODY = 5 * 1024 * 1024


class ProxyError(Exception):
    pass


@dataclass(frozen=True)
class PlatformStatus:
    """What pages say about freshness: stale when the latest refresh attempt failed."""

    stale: bool
    last_success: datetime | None
    error: str = ""


def _get_json(path: str, deadline: float) -> Any:
    url = settings.LITELLM_PROXY_URL + path
    remaining = deadline - time.monotonic()
    if remaining <= 0.05:
        raise ProxyError("no time left to ask the proxy")
    headers = {"Authorization": f"Bearer {settings.LITELLM_API_KEY}", "Accept": "application/json"}
    try:
        with requests.get(
            url, headers=headers, timeout=(min(1.0, remaining), remaining), stream=True
        ) as response:
            if response.status_code != 200:
                raise ProxyError(f"GET {path} answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BODY:
                    raise ProxyError(f"GET {path} answered more than {MAX_BODY} bytes")
                if time.monotonic() > deadline:
                    raise ProxyError(f"GET {path} took too long")
    except requests.RequestException as exc:
        raise ProxyError(f"GET {path} failed: {exc.__class__.__name__}") from None
    try:
        return json.loads(body)
    except ValueError:
        raise ProxyError(f"GET {path} did not answer JSON") from None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _from_model_info(item: Any) -> dict[str, Any] | None:
    if not isinstance(item, dict) or not isinstance(item.get("model_name"), str):
        return None
    params, info = _object(item.get("litellm_params")), _object(item.get("model_info"))
    row: dict[str, Any] = {
        "model_id": item["model_name"],
        "litellm_model": str(params.get("model") or "")[:255],
        "context_window": whole_number(info.get("max_input_tokens")),
        "max_output": whole_number(info.get("max_output_tokens")),
        "cost_input": per_million(info.get("input_cost_per_token")),
        "cost_output": per_million(info.get("output_cost_per_token")),
        **capability_flags(info),
    }
    row["modalities_input"] = ["text"] + (["image"] if row["supports_vision"] else [])
    row["modalities_output"] = ["text"]
    return row


def _from_v1_models(item: Any) -> dict[str, Any] | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    return {
        "model_id": item["id"],
        "context_window": whole_number(item.get("max_input_tokens")),
        "max_output": whole_number(item.get("max_output_tokens")),
    }


def fetch_deployed(timeout: float | None = None) -> list[dict[str, Any]]:
    """The proxy's dn/ deployments, in proxy order. Raises ProxyError when unusable."""
    deadline = time.monotonic() + (timeout or settings.PLATFORM_MODELS_TIMEOUT)
    errors = []
    for path, parse in (("/model/info", _from_model_info), ("/v1/models", _from_v1_models)):
        try:
            payload = _get_json(path, deadline)
        except ProxyError as exc:
            errors.append(str(exc))
            continue
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, list):
            errors.append(f"GET {path} answered JSON without a data list")
            continue
        rows = [r for r in map(parse, data) if r]
        break
    else:
        raise ProxyError("; ".join(errors))
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["model_id"].startswith("dn/") and len(row["model_id"]) <= 255:
            seen.setdefault(row["model_id"], row)
    if not seen:
        raise ProxyError("the proxy lists no dn/ models")
    return list(seen.values())


def store_deployed(rows: list[dict[str, Any]]) -> SyncRun:
    """Upsert the deployed rows in proxy order; rows no longer deployed become inactive."""
    now = timezone.now()
    run = SyncRun(kind=SyncRun.Kind.PLATFORM, source=settings.LITELLM_PROXY_URL[:500])
    with transaction.atomic():
        existing = {m.model_id: m for m in PlatformModel.objects.select_for_update()}
        changes = []
        for position, row in enumerate(rows):
            values = {**row, "position": position, "is_active": True}
            model = existing.get(row["model_id"])
            was_active = None if model is None else model.is_active
            if model is None:
                model = PlatformModel(**values, first_seen_at=now)
                run.created += 1
            elif any(getattr(model, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(model, key, value)
                run.updated += 1
            else:
                run.unchanged += 1
            model.display_name = model.display_name or display_name(row["model_id"])
            model.last_seen_at = now
            model.retired_at = None  # deployed again
            model.save()
            changes.append((model, change_of(was_active, True)))
        deployed = {row["model_id"] for row in rows}
        gone = [m for m in existing.values() if m.is_active and m.model_id not in deployed]
        run.retired = PlatformModel.objects.filter(pk__in=[m.pk for m in gone]).update(
            is_active=False, retired_at=now
        )
        changes += [(m, PlatformModelEvent.Kind.REMOVED) for m in gone]
        record(changes, via=PlatformModelEvent.Via.PROXY, at=now)
        run.ok, run.finished_at = True, timezone.now()
        run.save()
    return run


def sync_platform_models(timeout: float | None = None) -> SyncRun:
    """Ask the proxy now; on failure record it and keep the stored list."""
    try:
        run = store_deployed(fetch_deployed(timeout))
    except ProxyError as exc:
        log.warning("Platform model refresh failed: %s", exc)
        run = SyncRun.record_failure(
            SyncRun.Kind.PLATFORM, settings.LITELLM_PROXY_URL, str(exc)[:2000]
        )
    caching.bump(caching.PLATFORM)  # the status changed, and maybe the list
    return run


def _status_from_db() -> PlatformStatus:
    runs = SyncRun.objects.filter(kind=SyncRun.Kind.PLATFORM).order_by("-started_at")
    last = runs.first()
    good = last if last and last.ok else runs.filter(ok=True).first()
    failed = last if last and not last.ok else None
    return PlatformStatus(
        stale=bool(failed),
        last_success=good.finished_at if good else None,
        error=failed.error if failed else "",
    )


@dataclass(frozen=True)
class PlatformSnapshot:
    """The deployed models and their freshness (status is None when no proxy is configured)."""

    version: str
    models: tuple[PlatformModel, ...]
    status: PlatformStatus | None
    read_at: float = 0.0  # kept at most caching.TTL, like everything cached


_snapshot: PlatformSnapshot | None = None  # this process's copy
_fresh_until = 0.0  # this process knows the stored list is fresh until then (epoch seconds)


def mark_fresh() -> None:
    """The stored list was just read from the proxy: no refresh for PLATFORM_MODELS_TTL."""
    ttl = max(1, settings.PLATFORM_MODELS_TTL)
    cache.set(FRESH_KEY, time.time() + ttl, timeout=ttl)


def expire() -> None:
    """Forget the fresh mark here and in this process: the next request asks the proxy."""
    global _fresh_until
    cache.delete(FRESH_KEY)
    _fresh_until = 0.0


def refresh_if_due() -> None:
    """Refresh from the proxy when the stored list is older than the TTL (one caller wins).
    Within the TTL this asks nothing: the fresh mark's expiry is remembered in the process."""
    global _fresh_until
    if not settings.LITELLM_PROXY_URL or time.time() < _fresh_until:
        return
    fresh_until = cache.get(FRESH_KEY)
    if fresh_until:
        _fresh_until = float(fresh_until)
        return
    if not cache.add(LOCK_KEY, 1, timeout=int(settings.PLATFORM_MODELS_TIMEOUT) + 5):
        return  # someone else is refreshing; serve the stored list
    try:
        sync_platform_models()
        mark_fresh()
    finally:
        cache.delete(LOCK_KEY)


def platform_snapshot() -> PlatformSnapshot:
    """The stored list and its status: one cache read while this process's copy is current."""
    version = caching.version(caching.PLATFORM)  # "" without a shared cache: never kept
    snapshot, now = _snapshot, time.time()
    if snapshot is None or snapshot.version != version or now - snapshot.read_at > caching.TTL:
        models = PlatformModel.objects.filter(is_active=True).order_by("position", "model_id")
        status = _status_from_db() if settings.LITELLM_PROXY_URL else None
        snapshot = PlatformSnapshot(version, tuple(models), status, now)
        if version:
            globals()["_snapshot"] = snapshot
    return snapshot


def deployed_models() -> list[PlatformModel]:
    """Active platform models in platform order, as last stored (see `refresh_if_due`)."""
    return list(platform_snapshot().models)
