"""Catalog search: one service for the Chat Models page and the JSON API.

Every row stores `search_text`: its id, name and provider as lower-case tokens, each
preceded and followed by a space (` claude opus 4 5 claude opus 4 5 anthropic ... `).
A query word is normalised the same way (`Opus-4.5` -> `opus 4 5`) and must appear as a run
of whole tokens; only the query's very last token may be cut short (it is still being typed),
so dots, dashes, underscores and case never matter and `claude op` already finds opus.
SQLite tests that with LIKE '% claude %' / '% op%'; PostgreSQL with the equivalent full-text
query `claude & op:*` on a GIN-indexed generated tsvector column (migration 0004).
Rank: the id itself (as pasted: any case, a trailing slash, a dash left out), then a name
or id that starts with the query (btree prefix indexes), then rows whose own id holds every
word (not partly the provider's name: "4o" is not "gpt-5.4 OpenAI"), then the rest; retired
models (past their deprecation date) after all of those, or not at all with `retired:no`;
ties by STATIC_ORDER.
When nothing matches, each unknown word is corrected to the closest catalog word (the same
trigram similarity: pg_trgm over a table of the catalog's words on PostgreSQL, Python over
the rows on SQLite) and the exact search runs again.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Length
from django.utils import timezone

from catalog import caching
from catalog.models import CAPABILITIES, CatalogModel
from catalog.names import model_tail
from catalog.providers import FIRST_PARTY, PROVIDERS
from catalog.spelling import WORD, closest, corrected_text

# Ties: a family's maker before resellers, newer versions, then shorter ids (catalog_rank_idx).
STATIC_ORDER = ("provider_tier", "-version_key", "id_length", "model_id")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_QUERY_LENGTH = 200
# Counting stops here ("more than 500 models"), and so does paging: refine the query instead.
COUNT_CAP = 500
_TOKEN = re.compile(r"^(provider|cap|ctx|price|open|retired):(.+)$", re.IGNORECASE)
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
    return " ".join(WORD.findall(text.lower()))


# The maker of a model family; its own rows rank before the same model resold by hosts and
# gateways (groq/llama-..., perplexity/llama-..., mistral/deepseek-...). First match wins.
_FAMILY_OWNERS = (
    (re.compile(r"claude"), "anthropic"),
    (re.compile(r"^(?:ft:)?(?:chat)?gpt|^o\d"), "openai"),
    (re.compile(r"gemini|gemma"), "gemini"),
    (re.compile(r"grok"), "xai"),
    (re.compile(r"deepseek"), "deepseek"),
    (re.compile(r"llama"), "meta_llama"),
    (re.compile(r"mistral|mixtral|codestral|devstral|magistral|ministral|pixtral"), "mistral"),
    (re.compile(r"command"), "cohere_chat"),
    (re.compile(r"kimi|moonshot"), "moonshot"),
    (re.compile(r"glm"), "zai"),
    (re.compile(r"minimax"), "minimax"),
    (re.compile(r"sonar"), "perplexity"),
    (re.compile(r"qwen|qwq"), "dashscope"),
    (re.compile(r"nova"), "amazon_nova"),
)


def provider_tier(*, model_id: str, tail: str, provider: str) -> int:
    """0 for a model's maker serving it directly, 1 for everyone else (gateway paths too)."""
    if model_id.count("/") != 1:
        return 1
    tail = tail.lower()
    owner = next((owner for family, owner in _FAMILY_OWNERS if family.search(tail)), None)
    return 0 if (provider == owner if owner else provider in FIRST_PARTY) else 1


def build_search_text(*, model_id: str, tail: str, name: str, provider_label: str) -> str:
    sections = [normalize(tail), normalize(name), normalize(model_id), normalize(provider_label)]
    return "".join(f" {section}" for section in sections if section) + " "


_LOOKUPS = {
    "open_weights": "open_weights",
    "featured": "featured",
    "min_context": "context_window__gte",
    "max_context": "context_window__lte",
    "min_price": "cost_input__gte",
    "max_price": "cost_input__lte",
}


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
    # False hides models past their deprecation date; not a filter that ends the featured list.
    include_retired: bool = True
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.text and not self.has_filters

    @property
    def has_filters(self) -> bool:
        filters = ("provider", *_LOOKUPS)
        return any(getattr(self, name) is not None for name in filters) or bool(self.capabilities)


# What a filter token looks like, shown when one can't be read.
_EXAMPLES = {
    "ctx": "ctx:>=128k (context window in tokens) or ctx:<=32k",
    "price": "price:<5 (USD per 1M input tokens) or price:>=1",
    "open": "open:yes or open:no",
    "retired": "retired:no (hide retired models) or retired:yes",
}
_YES, _NO = {"yes", "true", "1"}, {"no", "false", "0"}


def _provider_slug(value: str) -> str | None:
    """A provider named by slug or label, any case: `provider:xAI` is xai."""
    wanted = normalize(value).replace(" ", "")
    for slug, provider in PROVIDERS.items():
        if wanted in (normalize(slug).replace(" ", ""), normalize(provider.label).replace(" ", "")):
            return slug
    return None


def _apply_token(params: SearchParams, key: str, value: str) -> None:
    key = key.lower()
    if key == "provider":
        slug = _provider_slug(value)
        if slug is None:
            guess = closest(value.lower(), Counter(PROVIDERS.keys()))
            hint = f"did you mean provider:{guess}?" if guess else "try provider:anthropic."
            params.errors.append(f"No provider called “{value}”; {hint}")
        else:
            params.provider = slug
    elif key == "cap":
        cap = _CAP_ALIASES.get(value.lower(), value.lower())
        if cap not in CAPABILITIES:
            params.errors.append(f"Unknown capability “{value}”. Try: {', '.join(CAPABILITIES)}.")
        elif cap not in params.capabilities:
            params.capabilities.append(cap)
    elif key in ("open", "retired") and value.lower() in _YES | _NO:
        field = "open_weights" if key == "open" else "include_retired"
        setattr(params, field, value.lower() in _YES)
    elif key in ("ctx", "price") and (match := _COMPARISON.match(value)):
        op, number, suffix = match.groups()
        amount = float(number) * {"k": 1_000, "m": 1_000_000}.get((suffix or "").lower(), 1)
        # Bounds are inclusive; a strict comparison nudges the bound by one step.
        step = 1 if key == "ctx" else 1e-9
        op = op or (">=" if key == "ctx" else "<=")
        low, high = ("min_context", "max_context") if key == "ctx" else ("min_price", "max_price")
        cast = int if key == "ctx" else float
        if op in (">=", ">", "="):
            setattr(params, low, cast(amount + (step if op == ">" else 0)))
        if op in ("<=", "<", "="):
            setattr(params, high, cast(amount - (step if op == "<" else 0)))
    else:
        params.errors.append(f"Couldn't read “{key}:{value}”; try {_EXAMPLES[key]}.")


def _offset(value) -> int:
    """Where a page starts; anything unreadable or past the last page starts at the top."""
    try:
        offset = int(value or 0)
    except (TypeError, ValueError):
        return 0
    return offset if 0 <= offset < COUNT_CAP else 0


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
        elif key == "offset":
            params.offset = _offset(value)
        elif value not in (None, ""):
            setattr(params, key, value.lower() if key == "provider" else value)
    return params


def today() -> date:
    """The day retirement is judged on (one place, so tests can pin it)."""
    return timezone.localdate()


def _retired() -> Q:
    """Past its deprecation date (catalog.models.lifecycle's "retired")."""
    return Q(deprecation_date__lte=today())


def _rank(*ranks: When, default: int = 3) -> Case:
    """Retired rows rank 4, after all others; the rest by the first of `ranks` that holds."""
    retired = When(_retired(), then=Value(4))
    return Case(retired, *ranks, default=Value(default), output_field=IntegerField())


def filtered(params: SearchParams) -> QuerySet[CatalogModel]:
    lookups: dict[str, object] = {f"supports_{cap}": True for cap in params.capabilities}
    if params.provider:
        lookups["provider"] = params.provider
    for name, lookup in _LOOKUPS.items():
        if (value := getattr(params, name)) is not None:
            lookups[lookup] = value
    qs = CatalogModel.objects.filter(is_active=True, **lookups)
    return qs if params.include_retired else qs.exclude(_retired())


def _runs_of_tokens(field: str, phrases: list[str]) -> Q:
    """`field` (spaces around every token) holds every phrase as a run of whole tokens; the
    very last token may be a prefix."""
    last = len(phrases) - 1
    condition = Q()
    for i, phrase in enumerate(phrases):
        condition &= Q(**{f"{field}__contains": f" {phrase}" + ("" if i == last else " ")})
    return condition


def _words_condition(phrases: list[str]) -> Q:
    if connection.vendor == "postgresql":
        last = len(phrases) - 1
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
    return _runs_of_tokens("search_text", phrases)


def _matching(params: SearchParams, phrases: list[str]) -> QuerySet[CatalogModel]:
    qs = (
        filtered(params)
        .annotate(id_length=Length("model_id"))
        .alias(tail_words=Concat(Value(" "), "tail_norm", Value(" ")))
        .defer("search_text")
    )
    return qs.filter(_words_condition(phrases)) if phrases else qs


def _phrases(params: SearchParams) -> list[str]:
    return [p for p in (normalize(word) for word in params.text.split()) if p][:10]


def _starts_with(phrases: list[str]) -> Q:
    whole = " ".join(phrases)
    return Q(name_norm__startswith=whole) | Q(tail_norm__startswith=whole)


def _same_id(text: str) -> Q | None:
    """The rows whose own id the query is, written as people paste ids: any letter case, a
    trailing slash from a URL, a dash or dot left out (`openai/gpt4o` is openai/gpt-4o, not
    another host's `gradient_ai/openai-gpt-4o`). Only a single word with a slash is an id."""
    word = text.strip().rstrip("/")
    provider, _, rest = word.partition("/")
    if " " in word or not provider or not rest:
        return None
    tail = normalize(model_tail(rest))[:255]
    return Q(model_id=word.lower()) | Q(provider=provider.lower(), tail_norm=tail)


def _inside_tail(phrases: list[str]) -> Q | None:
    """Every phrase lies in the model's own id. A phrase of several tokens can otherwise run
    from one section of search_text into the next ("4o" into "... gpt 5 4 openai"); a
    single token can't, so queries made of those need no such test."""
    if all(" " not in phrase for phrase in phrases):
        return None
    return _runs_of_tokens("tail_words", phrases)


def search_queryset(params: SearchParams) -> QuerySet[CatalogModel]:
    """All results in rank order: exact id, name/id prefix, words inside the id, the rest."""
    phrases = _phrases(params)
    qs = _matching(params, phrases)
    if not phrases:
        if not params.has_filters:
            qs = qs.filter(featured=True).exclude(_retired())
        return qs.annotate(rank=_rank(default=0)).order_by("rank", *STATIC_ORDER)
    inside, same = _inside_tail(phrases), _same_id(params.text)
    rank = _rank(
        *([When(same, then=Value(0))] if same else []),
        When(_starts_with(phrases), then=Value(1)),
        *([When(inside, then=Value(2))] if inside else []),
    )
    return qs.annotate(rank=rank).order_by("rank", *STATIC_ORDER)


def search_catalog(params: SearchParams, most: int = MAX_LIMIT) -> list[CatalogModel]:
    """One page of ranked results (`params.offset`, `params.limit` up to `most`) in one query."""
    limit = max(1, min(params.limit, most))
    window = params.offset + limit
    phrases = _phrases(params)
    if not phrases or not connection.features.supports_slicing_ordering_in_compound:
        return list(search_queryset(params)[params.offset : window])
    # PostgreSQL: one query, a UNION ALL of LIMITed tiers in static order, so a broad query
    # ("claude") walks catalog_rank_idx and stops early instead of sorting every match.
    # The last tier holds 2 x window rows: if the earlier tiers hold fewer than `window`
    # rows, they hold all of theirs, so its first 2 x window rows include every row of
    # ranks 2 and 3 that is needed once duplicates are dropped: the result is exact.
    # The prefix tier implies every word, so it tests only the prefix (better row estimates).
    qs = _matching(params, phrases)
    inside = _inside_tail(phrases)
    # Ranks 2, 3 and 4 (retired) share one pass over the matches: phrases of several tokens
    # match few rows. Retired rows only ever rank 4, so the first two tiers leave them out.
    rest = _rank(*([When(inside, then=Value(2))] if inside else []))
    same = _same_id(params.text)
    tiers = [
        *(
            [qs.filter(same).exclude(_retired()).annotate(rank=Value(0)).order_by()[:window]]
            if same
            else []
        ),
        _matching(params, [])
        .filter(_starts_with(phrases))
        .exclude(_retired())
        .annotate(rank=Value(1))
        .order_by(*STATIC_ORDER)[:window],
        qs.annotate(rank=rest).order_by("rank", *STATIC_ORDER)[: 2 * window],
    ]
    seen: set[int] = set()
    results: list[CatalogModel] = []
    for model in tiers[0].union(*tiers[1:], all=True).order_by("rank", *STATIC_ORDER):
        if model.pk not in seen:
            seen.add(model.pk)
            results.append(model)
    return results[params.offset : window]


@dataclass
class SearchResult:
    """One page of a search, how many models match in all, and the spelling it searched."""

    models: list[CatalogModel]
    total: int
    total_is_capped: bool = False  # more than COUNT_CAP match; `total` is COUNT_CAP
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    corrected_text: str = ""  # the corrected free text when the query as typed found nothing

    @classmethod
    def counted(
        cls, models: list[CatalogModel], total: int, offset: int, limit: int
    ) -> SearchResult:
        """A page whose `total` is cut at COUNT_CAP, saying so."""
        return cls(models, min(total, COUNT_CAP), total > COUNT_CAP, offset, limit)

    @property
    def first(self) -> int:
        return self.offset + 1 if self.models else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.models)

    @property
    def next_offset(self) -> int | None:
        more = self.last < self.total and self.last < COUNT_CAP
        return self.last if more and self.models else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset else None


def matching_count(params: SearchParams, distinct: str = "pk") -> int:
    """Matches (or their distinct values of `distinct`) up to COUNT_CAP + 1: the count stops
    early on a broad query."""
    phrases = _phrases(params)
    qs = filtered(params)
    if phrases:
        qs = qs.filter(_words_condition(phrases))
    elif not params.has_filters:
        qs = qs.filter(featured=True).exclude(_retired())
    return qs.order_by().values(distinct).distinct()[: COUNT_CAP + 1].count()


def _page(params: SearchParams) -> SearchResult:
    limit = max(1, min(params.limit, MAX_LIMIT))
    models = search_catalog(params)
    # A short page (or an empty first page) already tells the total; only a full page counts.
    known = bool(models) and len(models) < limit or not models and not params.offset
    total = params.offset + len(models) if known else matching_count(params)
    return SearchResult.counted(models, total, params.offset, limit)


def search_results(
    params: SearchParams, page: Callable[[SearchParams], SearchResult] = _page
) -> SearchResult:
    """One page of results and the true total, spelling-corrected if nothing matches as typed.

    Queries: one for the page and one count when the page is full; when nothing matches,
    one more for the spelling candidates and the same again for the corrected text.
    """
    found = page(params)
    if found.total:
        return found
    corrected = corrected_text(params.text)
    if not corrected:
        return found
    retry = page(replace(params, text=corrected))
    if not retry.total:
        return found
    retry.corrected_text = corrected
    return retry


def cached_search_results(
    params: SearchParams, page: Callable[[SearchParams], SearchResult] = _page
) -> SearchResult:
    """`search_results`, kept in the cache under the catalog's version and the day (retired
    models rank by date): the same search from anyone is answered once per catalog change."""
    named = (asdict(params), today(), page.__module__, page.__qualname__)
    digest = hashlib.sha256(repr(named).encode()).hexdigest()
    return caching.cached(
        f"search:{digest}", [caching.CATALOG], lambda: search_results(params, page), caching.HOUR
    )
