"""One model, one row: the Chat Models page's search shows each model once, from its maker
where the catalog has it, with the other hosts that serve the same model beside it (each
still addable: the id is what a picker stores). The JSON API keeps one row per id.

Rows are the same model when their keys match (catalog.names.model_key: the id as every host
spells it alike). A model ranks where its best-ranked row does; the row shown is the maker's
(current before retired), else the best-ranked host's. A retired row shown carries its successor.
"""

from __future__ import annotations

from dataclasses import replace

from django.db.models.functions import Length

from catalog.models import CatalogModel, Lifecycle
from catalog.replacements import replacements
from catalog.search import (
    COUNT_CAP,
    MAX_LIMIT,
    STATIC_ORDER,
    SearchParams,
    SearchResult,
    filtered,
    matching_count,
    search_catalog,
    today,
)


def _key(model: CatalogModel) -> str:
    return model.model_key or model.model_id


def _retired(model: CatalogModel) -> bool:
    return model.lifecycle(today()) == Lifecycle.RETIRED


def grouped_page(params: SearchParams) -> SearchResult:
    """One page of models (`params.offset` and `limit` count models, not rows), each with
    `other_hosts` and `successor` set. Reads the first hundred ranked rows (a page's models
    for most searches), and the rest up to COUNT_CAP if the page isn't full (a model on many
    hosts), then the page's hosts and successors: 2 to 5 queries, and the count when the page
    is full."""
    limit = max(1, min(params.limit, MAX_LIMIT))
    wanted = params.offset + limit + 1  # one more tells whether there is a next page
    groups: dict[str, list[CatalogModel]] = {}
    read_all = False
    for start, size in ((0, MAX_LIMIT), (MAX_LIMIT, COUNT_CAP - MAX_LIMIT)):
        batch = search_catalog(replace(params, offset=start, limit=size), most=size)
        for model in batch:
            groups.setdefault(_key(model), []).append(model)
        read_all = len(batch) < size
        if read_all or len(groups) >= wanted:
            break
    keys = list(groups)[params.offset : params.offset + limit]
    models = _shown(params, keys, groups)
    total = len(groups) if read_all else matching_count(params, distinct="model_key")
    return SearchResult.counted(models, total, params.offset, limit)


def _shown(
    params: SearchParams, keys: list[str], groups: dict[str, list[CatalogModel]]
) -> list[CatalogModel]:
    if not keys:
        return []
    every: dict[str, list[CatalogModel]] = {}
    rows = (
        filtered(params)
        .filter(model_key__in=keys)
        .annotate(id_length=Length("model_id"))
        .defer("search_text")
        .order_by(*STATIC_ORDER)
    )
    for row in rows:
        every.setdefault(row.model_key, []).append(row)
    shown = []
    for key in keys:
        rows_of = every.get(key) or groups[key]
        # Stable: the catalog's order among makers' rows and among hosts'.
        ordered = sorted(rows_of, key=lambda m: (m.provider_tier, _retired(m)))
        model = ordered[0]
        # Set on the row for the page's template (and kept with it in the search cache).
        model.other_hosts, model.successor = ordered[1:], None
        shown.append(model)
    _add_successors([m for m in shown if _retired(m)])
    return shown


def _add_successors(retired: list[CatalogModel]) -> None:
    if not retired:
        return
    suggested = replacements([m.model_id for m in retired], today=today())
    rows = CatalogModel.objects.defer("search_text").in_bulk(
        list(set(suggested.values())), field_name="model_id"
    )
    for model in retired:
        model.successor = rows.get(suggested.get(model.model_id, ""))
