"""Fetch a cost map and apply it to the catalog in one transaction."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from django.db import transaction
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from catalog import caching
from catalog.costmap import FEATURED_IDS, CostMapError, parse_cost_map
from catalog.models import CatalogModel, SyncRun
from catalog.openrouter import SNAPSHOT as OPENROUTER_SNAPSHOT
from catalog.openrouter import parse_openrouter

LITELLM, OPENROUTER = CatalogModel.Source.LITELLM.value, CatalogModel.Source.OPENROUTER.value

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


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.retired} retired, {self.unchanged} unchanged"
        )


@dataclass
class SyncReport:
    run: SyncRun
    per_source: dict[str, Counts]
    failures: dict[str, str] = field(default_factory=dict)  # source -> why it didn't load
    notes: dict[str, str] = field(default_factory=dict)  # source -> what it skipped


def apply_records(
    records: dict[str, dict[str, Any]],
    *,
    source: str,
    sources: Collection[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[SyncRun, dict[str, Counts]]:
    """Insert, update and retire catalog rows so they match `records`. Idempotent."""
    # Only rows of the sources that loaded may retire: a source that failed keeps its rows.
    loaded = set(sources) if sources is not None else {r["source"] for r in records.values()}
    counts = {name: Counts() for name in sorted(loaded)}
    now = timezone.now()
    run = SyncRun(kind=SyncRun.Kind.CATALOG, source=source[:500])
    with transaction.atomic():
        existing = {m.model_id: m for m in CatalogModel.objects.select_for_update()}
        to_create, to_update = [], []
        for done, (model_id, record) in enumerate(records.items(), start=1):
            row = existing.get(model_id)
            tally = counts.setdefault(record["source"], Counts())
            if row is None:
                to_create.append(
                    CatalogModel(
                        model_id=model_id,
                        featured=model_id in FEATURED_IDS,
                        synced_at=now,
                        **record,
                    )
                )
                tally.created += 1
            elif not row.is_active or any(getattr(row, k) != v for k, v in record.items()):
                for key, value in record.items():
                    setattr(row, key, value)
                row.is_active, row.synced_at = True, now
                to_update.append(row)
                tally.updated += 1
            else:
                tally.unchanged += 1
            if progress and (done % 500 == 0 or done == len(records)):
                progress(done, len(records))
        CatalogModel.objects.bulk_create(to_create, batch_size=500)
        CatalogModel.objects.bulk_update(
            to_update, [*FIELDS, "is_active", "synced_at"], batch_size=500
        )
        # Retiring touches two columns: plain UPDATEs in chunks (bind parameters are finite).
        retired = [
            m
            for m in existing.values()
            if m.is_active and m.source in loaded and m.model_id not in records
        ]
        for m in retired:
            counts[m.source].retired += 1
        pks = [m.pk for m in retired]
        for start in range(0, len(pks), 10_000):
            CatalogModel.objects.filter(pk__in=pks[start : start + 10_000]).update(
                is_active=False, synced_at=now
            )
        run.created, run.updated, run.retired = len(to_create), len(to_update), len(retired)
        run.unchanged = len(records) - run.created - run.updated
        run.ok, run.finished_at = True, timezone.now()
        run.save()
        caching.bump(caching.CATALOG)  # bulk writes send no signals
    return run, counts


def _load_litellm(url: str, file: str) -> dict[str, dict[str, Any]]:
    return parse_cost_map(fetch_url(url) if url else read_file(file or SNAPSHOT))


def sync_catalog(
    *,
    url: str = "",
    file: str = "",
    openrouter_file: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Both sources in one transaction: LiteLLM's cost map (`url`, `file` or the snapshot) and
    OpenRouter's list (`openrouter_file` or its snapshot). A source that fails to load leaves
    its rows as they are; CostMapError only when none loads."""
    litellm_source = url or file or str(SNAPSHOT)
    openrouter_source = openrouter_file or str(OPENROUTER_SNAPSHOT)
    records: dict[str, dict[str, Any]] = {}
    failures: dict[str, str] = {}
    notes: dict[str, str] = {}
    try:
        openrouter = parse_openrouter(read_file(openrouter_source))
    except CostMapError as exc:
        failures[OPENROUTER] = str(exc)
    else:
        records.update(openrouter.records)
        notes[OPENROUTER] = (
            f"{openrouter.normalised} listed without a vendor were given theirs, "
            f"{len(openrouter.unclear)} without a clear vendor were skipped"
        )
    try:
        records.update(_load_litellm(url, file))  # the cost map wins an id both list
    except CostMapError as exc:
        failures[LITELLM] = str(exc)
    if len(failures) == 2:
        raise CostMapError(" ".join(failures.values()))
    loaded = {LITELLM, OPENROUTER} - failures.keys()
    source = " + ".join(
        s
        for name, s in ((LITELLM, litellm_source), (OPENROUTER, openrouter_source))
        if name in loaded
    )
    run, counts = apply_records(records, source=source, sources=loaded, progress=progress)
    return SyncReport(run=run, per_source=counts, failures=failures, notes=notes)
