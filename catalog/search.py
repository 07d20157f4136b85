"""Catalog search: one service for the Chat Models page and the JSON API.

Every row stores `search_text`: its id, name and provider as lower-case tokens, each
preceded and followed by a space (` claude opus 4 5 claude opus 4 5 anthropic ... `).
A query word is normalised the same way (`Opus-4.5` -> `opus 4 5`) and must appear as a run
of whole tokens; only the query's very last token may be cut short (it is still being typed),
so dots, dashes, underscores and case never matter and `claude op` already finds opus.
SQLite tests that with LIKE '% claude %' / '% op%'; PostgreSQL with the equivalent full-text
query `claude & op:*` on a GIN-indexed generated tsvector column (migration 0004).
Rank: exact id, then a name or id that starts with the query (btree prefix indexes), then
the rest; ties by STATIC_ORDER.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from catalog.models import CAPABILITIES, CatalogModel

# Ties: first-party before gateways, newer versions, then shorter ids (catalog_rank_idx).
STATIC_ORDER = ("provider_tier", "-version_key", "id_length", "model_id")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_QUERY_LENGTH = 200

# Letters and digits are separate tokens: "qwen3" -> "qwen 3", "4o" -> "4 o", "70b" -> "70 b".
_WORD = re.compile(r"[a-z]+|[0-9]+")
_TOKEN = re.compile(r"^(provider|cap|ctx|price|open):(.+)$", re.IGNORECASE)
_COMPARISON = re.compile(r"^(>=|<=|>|<|=)?(\d+(?:\.\d+)?)([km])?$", re.IGNORECASE)
_CAP_ALIASES = {
    "tools": "function_calling",
    "functions": "function_calling",
    "pdf": "pdf_input",
    "audio": "audio_input",
    "caching": "prompt_caching",
    "search": "web_search",
    "images": "vision",
    "image": "vision",
    "json": "response_schema",
}


def normalize(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def build_search_text(*, model_id: str, tail: str, name: str, provider_label: str) -> str:
    sections = [normalize(tail), normalize(name), normalize(model_id), normalize(provider_label)]
    return "".join(f" {section}" for section in sections if section) + " "


@dataclass
class SearchParams:
    text: str = ""
    provider: str | None = None
    capabilities: list[str] = field(default_factory=list)
    open_weights: bool | None = None
    min_context: int | None = None
    max_context: int | None = None
    min_price: float | None = None
    max_price: float | None = None
    featured: bool | None = None
    limit: int = DEFAULT_LIMIT
    errors: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.text and not self.has_filters

    @property
    def has_filters(self) -> bool:
        return any(
            v is not None
            for v in (
                self.provider,
                self.open_weights,
                self.min_context,
                self.max_context,
                self.min_price,
                self.max_price,
                self.featured,
            )
        ) or bool(self.capabilities)


def _number(value: str, suffix: str | None) -> float:
    scale = {"k": 1_000, "m": 1_000_000}.get((suffix or "").lower(), 1)
    return float(value) * scale


def _apply_token(params: SearchParams, key: str, value: str) -> None:
    key = key.lower()
    if key == "provider":
        params.provider = value.lower()
    elif key == "cap":
        cap = _CAP_ALIASES.get(value.lower(), value.lower())
        if cap not in CAPABILITIES:
            params.errors.append(f"Unknown capability “{value}”. Try: {', '.join(CAPABILITIES)}.")
        elif cap not in params.capabilities:
            params.capabilities.append(cap)
    elif key == "open":
        if value.lower() not in {"yes", "no", "true", "false", "1", "0"}:
            params.errors.append("open: takes yes or no.")
            return
        params.open_weights = value.lower() in {"yes", "true", "1"}
    else:
        match = _COMPARISON.match(value)
        if not match:
            params.errors.append(f"Couldn't read “{key}:{value}”; try {key}:>=128k or {key}:<5.")
            return
        op, number, suffix = match.groups()
        amount = _number(number, suffix)
        # Bounds are inclusive; a strict comparison nudges the bound by one step.
        step = 1 if key == "ctx" else 1e-9
        op = op or (">=" if key == "ctx" else "<=")
        low, high = ("min_context", "max_context") if key == "ctx" else ("min_price", "max_price")
        cast = int if key == "ctx" else float
        if op in (">=", ">", "="):
            setattr(params, low, cast(amount + (step if op == ">" else 0)))
        if op in ("<=", "<", "="):
            setattr(params, high, cast(amount - (step if op == "<" else 0)))


def parse_query(raw: str, **filters: Any) -> SearchParams:
    """Split `raw` into free text and `key:value` tokens; explicit filters override tokens."""
    params = SearchParams()
    words = []
    for part in (raw or "")[:MAX_QUERY_LENGTH].split():
        token = _TOKEN.match(part)
        if token:
            _apply_token(params, *token.groups())
        else:
            words.append(part)
    params.text = " ".join(words)
    for key, value in filters.items():
        if key == "capabilities":
            for cap in value or []:
                _apply_token(params, "cap", cap)
        elif key == "limit":
            params.limit = max(1, min(int(value or DEFAULT_LIMIT), MAX_LIMIT))
        elif value not in (None, ""):
            setattr(params, key, value.lower() if key == "provider" else value)
    return params


# SearchParams attribute -> the lookup it filters by, when set.
_LOOKUPS = {
    "open_weights": "open_weights",
    "featured": "featured",
    "min_context": "context_window__gte",
    "max_context": "context_window__lte",
    "min_price": "cost_input__gte",
    "max_price": "cost_input__lte",
}


def _filtered(params: SearchParams) -> QuerySet[CatalogModel]:
    lookups: dict[str, object] = {f"supports_{cap}": True for cap in params.capabilities}
    if params.provider:
        lookups["provider"] = params.provider
    for name, lookup in _LOOKUPS.items():
        if (value := getattr(params, name)) is not None:
            lookups[lookup] = value
    return CatalogModel.objects.filter(is_active=True, **lookups)


def _words_condition(phrases: list[str]) -> Q:
    """Every phrase appears as a run of whole tokens; the very last token may be a prefix."""
    last = len(phrases) - 1
    if connection.vendor == "postgresql":
        parts = [
            " <-> ".join(p.split()) + (":*" if i == last else "") for i, p in enumerate(phrases)
        ]
        return Q(
            RawSQL(
                "search_vector @@ to_tsquery('simple', %s)",
                [" & ".join(parts)],
                output_field=BooleanField(),
            )
        )
    condition = Q()
    for i, phrase in enumerate(phrases):
        condition &= Q(search_text__contains=f" {phrase}" + ("" if i == last else " "))
    return condition


def _matching(params: SearchParams, phrases: list[str]) -> QuerySet[CatalogModel]:
    qs = _filtered(params).annotate(id_length=Length("model_id")).defer("search_text")
    return qs.filter(_words_condition(phrases)) if phrases else qs


def _phrases(params: SearchParams) -> list[str]:
    return [p for p in (normalize(word) for word in params.text.split()) if p][:10]


def _starts_with(phrases: list[str]) -> Q:
    whole = " ".join(phrases)
    return Q(name_norm__startswith=whole) | Q(tail_norm__startswith=whole)


def search_queryset(params: SearchParams) -> QuerySet[CatalogModel]:
    """All results in rank order: exact id, then name/id prefix, then the rest."""
    phrases = _phrases(params)
    qs = _matching(params, phrases)
    if not phrases:
        if not params.has_filters:
            qs = qs.filter(featured=True)
        return qs.order_by(*STATIC_ORDER)
    rank = Case(
        When(model_id=params.text.strip().lower(), then=Value(0)),
        When(_starts_with(phrases), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank).order_by("rank", *STATIC_ORDER)


def search_catalog(params: SearchParams) -> list[CatalogModel]:
    limit = max(1, min(params.limit, MAX_LIMIT))
    phrases = _phrases(params)
    if not phrases or not connection.features.supports_slicing_ordering_in_compound:
        return list(search_queryset(params)[:limit])
    # PostgreSQL: one query, a UNION ALL of LIMITed tiers in static order, so a broad query
    # ("claude") walks catalog_rank_idx and stops early instead of sorting every match.
    # Tier 2 is *all* matches (2 x limit): if fewer than `limit` rows are prefix matches, it
    # holds every row needed once duplicates are dropped, so the result stays exact. The
    # prefix tier implies every word, so it tests only the prefix (better row estimates).
    qs = _matching(params, phrases)
    tiers = [
        qs.filter(model_id=params.text.strip().lower()).annotate(rank=Value(0)).order_by()[:1],
        _matching(params, [])
        .filter(_starts_with(phrases))
        .annotate(rank=Value(1))
        .order_by(*STATIC_ORDER)[:limit],
        qs.annotate(rank=Value(2)).order_by(*STATIC_ORDER)[: 2 * limit],
    ]
    seen: set[int] = set()
    results: list[CatalogModel] = []
    for model in tiers[0].union(*tiers[1:], all=True).order_by("rank", *STATIC_ORDER):
        if model.pk not in seen:
            seen.add(model.pk)
            results.append(model)
    return results[:limit]
