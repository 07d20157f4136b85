"""Fetch a cost map and apply it to the catalog in one transaction."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from django.db import transaction
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from catalog.costmap import FEATURED_IDS, CostMapError, parse_cost_map
from catalog.models import CatalogModel, SyncRun

SNAPSHOT = Path(__file__).resolve().parent / "data" / "litellm_model_prices.json.gz"
FIELDS = [
    f.name
    for f in CatalogModel._meta.concrete_fields
    if f.name not in {"id", "model_id", "featured", "is_active", "synced_at", "knowledge_cutoff"}
]


def fetch_url(url: str, *, timeout: float = 30.0, retries: int = 3) -> bytes:
    session = requests.Session()
    retry = Retry(total=retries, backoff_factor=0.5, status_forcelist=(429, 500, 502, 503, 504))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    try:
        response = session.get(url, timeout=(5, timeout))
        response.raise_for_status()
    except requests.RequestException as exc:
        raise CostMapError(f"Couldn't download the catalog from {url}: {exc}") from None
    return response.content


def read_file(path: str | Path) -> bytes:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CostMapError(f"Couldn't read {path}: {exc.strerror}.") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise CostMapError(f"{path} is not a valid gzip file ({exc}).") from None
    return raw


def apply_records(
    records: dict[str, dict[str, Any]],
    *,
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> SyncRun:
    """Insert, update and retire catalog rows so they match `records`. Idempotent."""
    now = timezone.now()
    run = SyncRun(kind=SyncRun.Kind.CATALOG, source=source[:500])
    with transaction.atomic():
        existing = {m.model_id: m for m in CatalogModel.objects.select_for_update()}
        to_create, to_update = [], []
        for done, (model_id, record) in enumerate(records.items(), start=1):
            row = existing.get(model_id)
            if row is None:
                to_create.append(
                    CatalogModel(
                        model_id=model_id,
                        featured=model_id in FEATURED_IDS,
                        synced_at=now,
                        **record,
                    )
                )
            elif not row.is_active or any(getattr(row, k) != v for k, v in record.items()):
                for key, value in record.items():
                    setattr(row, key, value)
                row.is_active, row.synced_at = True, now
                to_update.append(row)
            if progress and (done % 500 == 0 or done == len(records)):
                progress(done, len(records))
        CatalogModel.objects.bulk_create(to_create, batch_size=500)
        CatalogModel.objects.bulk_update(
            to_update, [*FIELDS, "is_active", "synced_at"], batch_size=500
        )
        # Retiring touches two columns: plain UPDATEs in chunks (bind parameters are finite).
        retired = [m.pk for m in existing.values() if m.is_active and m.model_id not in records]
        for start in range(0, len(retired), 10_000):
            CatalogModel.objects.filter(pk__in=retired[start : start + 10_000]).update(
                is_active=False, synced_at=now
            )
        run.created, run.updated, run.retired = len(to_create), len(to_update), len(retired)
        run.unchanged = len(records) - run.created - run.updated
        run.ok, run.finished_at = True, timezone.now()
        run.save()
    return run


def record_failure(source: str, error: str) -> SyncRun:
    return SyncRun.objects.create(
        kind=SyncRun.Kind.CATALOG,
        source=source[:500],
        ok=False,
        error=error,
        finished_at=timezone.now(),
    )


def sync_catalog(
    *, url: str = "", file: str = "", progress: Callable[[int, int], None] | None = None
) -> SyncRun:
    source = url or file or str(SNAPSHOT)
    raw = fetch_url(url) if url else read_file(file or SNAPSHOT)
    return apply_records(parse_cost_map(raw), source=source, progress=progress)
