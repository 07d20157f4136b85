"""Suggested replacements for retiring models: the newest current model of the same line."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import Q
from django.utils import timezone

from catalog.models import RETIRING_WITHIN, CatalogModel, Lifecycle
from catalog.names import family, model_tail
from catalog.providers import provider_of

# What ranking needs and what a page shows of a suggestion (name, prices, lifecycle).
SHOWN = (
    "model_id",
    "provider",
    "display_name",
    "version_key",
    "cost_input",
    "cost_output",
    "deprecation_date",
)


def replacements(
    model_ids: Collection[str], *, exclude: Collection[str] = (), today: date | None = None
) -> dict[str, str]:
    """{retiring id: suggested id}: `successors` by id."""
    found = successors(model_ids, exclude=exclude, today=today)
    return {m: row.model_id for m, row in found.items()}


def successors(
    model_ids: Collection[str], *, exclude: Collection[str] = (), today: date | None = None
) -> dict[str, CatalogModel]:
    """{retiring id: suggested row} for the ids that have one, in ONE query: the newest active
    model (by version, then name) of the same provider and family that is not retiring
    itself and not in `exclude` (a list already holding it can't take it twice). The rows
    carry what a page shows of them: name and prices."""
    wanted = {m: (provider_of(m), family(m)) for m in model_ids if family(m)}
    if not wanted:
        return {}
    today = today or timezone.localdate()
    # The family's first word narrows each provider's rows in SQL; family() decides.
    condition = Q()
    for provider, line in set(wanted.values()):
        condition |= Q(provider=provider, tail_norm__contains=line.split("-")[0])
    candidates = (
        CatalogModel.objects.filter(condition, is_active=True)
        .filter(Q(deprecation_date__isnull=True) | Q(deprecation_date__gt=today + RETIRING_WITHIN))
        .exclude(model_id__in=[*model_ids, *exclude])
        .only(*SHOWN)
    )
    best: dict[tuple[str, str], tuple[tuple[float, int, str], CatalogModel]] = {}
    for row in candidates:
        key = (row.provider, family(row.model_id))
        # Undated ids are the line's moving alias or its newest release; dated ones are
        # snapshots: on a tie, prefer the shorter (undated) id.
        rank = (row.version_key, -len(model_tail(row.model_id)), row.display_name)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, row)
    return {m: best[key][1] for m, key in wanted.items() if key in best}


def retirement_notice(model_id: str) -> str:
    """What to say on adding `model_id` if it is retired: since when, and what replaces it."""
    row = CatalogModel.objects.filter(model_id=model_id).only("deprecation_date").first()
    if row is None or row.lifecycle() != Lifecycle.RETIRED:
        return ""
    since = row.deprecation_date.isoformat() if row.deprecation_date else ""
    successor = replacements([model_id], exclude=()).get(model_id)
    if successor:
        return f" It is retired (since {since}): {successor} replaces it."
    return f" It is retired (since {since}) and has no successor in the catalog."
