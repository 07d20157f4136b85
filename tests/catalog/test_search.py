"""Catalog search on the real data: ranking, normalisation, filters and tokens.

Runs on whichever database the suite uses; CI runs it on PostgreSQL and on SQLite.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q

from catalog.search import MAX_LIMIT, normalize, parse_query, search_catalog, search_queryset

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.fixture(autouse=True)
def _before_any_retirement(monkeypatch):
    # These rules rank current models; which of the snapshot's models are retired depends on
    # the day the suite runs (test_search_retired.py tests that rule on its own rows).
    monkeypatch.setattr("catalog.search.today", lambda: date(2000, 1, 1))


def first_page(query: str) -> list:
    return search_catalog(parse_query(query))


def first(query: str, **filters) -> str:
    results = search_catalog(parse_query(query, **filters))
    assert results, f"no results for {query!r}"
    return results[0].model_id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("opus 4.5", "anthropic/claude-opus-4-5"),
        ("Opus-4-5", "anthropic/claude-opus-4-5"),
        ("claude opus 4.5", "anthropic/claude-opus-4-5"),
        ("CLAUDE_OPUS_4_5", "anthropic/claude-opus-4-5"),
        ("4.5 opus", "anthropic/claude-opus-4-5"),
        ("anthropic/claude-opus-4-5", "anthropic/claude-opus-4-5"),
        ("openai/gpt-4.1", "openai/gpt-4.1"),
        ("gpt-5.2", "openai/gpt-5.2"),
        ("gpt 4o mini", "openai/gpt-4o-mini"),
        ("gpt4o", "openai/gpt-4o"),
        ("gemini 2.5 pro", "gemini/gemini-2.5-pro"),
        ("sonnet 4.5", "anthropic/claude-sonnet-4-5"),
        ("o4 mini", "openai/o4-mini"),
        ("o3", "openai/o3"),
        ("deepseek chat", "deepseek/deepseek-chat"),
        ("nova pro", "amazon_nova/nova-pro-v1"),
        ("vertex_ai/claude-opus-4-5", "vertex_ai/claude-opus-4-5"),
        ("openrouter", None),
        ("4o", "openai/gpt-4o"),
        ("llama", "meta_llama/Llama-4-Scout-17B-16E-Instruct-FP8"),
        ("llama 3.3 70b", "meta_llama/Llama-3.3-70B-Instruct"),
        ("qwen", "dashscope/qwen3.8-max"),
        ("deepseek v4", "deepseek/deepseek-v4-pro"),
    ],
)
def test_query_finds_the_expected_first_result(query, expected):
    if expected is None:  # a provider absent from this catalog snapshot: no results, no error
        assert search_catalog(parse_query(query)) == []
    else:
        assert first(query) == expected


def test_one_unknown_word_means_no_results():
    assert search_catalog(parse_query("claude opus 4.5 zzzz")) == []


def test_every_result_has_every_word():
    results = search_catalog(parse_query("claude haiku", limit=100))
    assert results
    for model in results:
        assert "haiku" in model.search_text and "claude" in model.search_text


def _tier(model, query: str) -> int:
    """0 the exact id, 1 a name or id tail starting with the query, 2 any other match."""
    prefix = normalize(query)
    if model.model_id == query:
        return 0
    return 1 if model.name_norm.startswith(prefix) or model.tail_norm.startswith(prefix) else 2


def _tiers(query: str) -> tuple[list[str], list[int]]:
    results = search_catalog(parse_query(query, limit=50))
    return [m.model_id for m in results], [_tier(m, query) for m in results]


def test_prefix_matches_come_before_the_rest():
    _, tiers = _tiers("mistral large")
    assert {1, 2} <= set(tiers)  # both kinds are there, so the order means something
    assert tiers == sorted(tiers)


def test_the_exact_id_comes_first_even_from_a_gateway():
    ids, tiers = _tiers("azure/gpt-4o")
    assert ids[0] == "azure/gpt-4o"
    assert tiers == sorted(tiers) and tiers.count(0) == 1


def test_ties_prefer_first_party_then_newer_then_shorter():
    ids = [m.model_id for m in search_catalog(parse_query("opus 4.5", limit=10))]
    assert ids[:2] == ["anthropic/claude-opus-4-5", "anthropic/claude-opus-4-5-20251101"]


def test_empty_query_shows_featured_models():
    results = search_catalog(parse_query(""))
    assert results and all(m.featured for m in results)
    assert "anthropic/claude-opus-4-5" in [m.model_id for m in results]


def test_limit_has_a_hard_cap():
    assert len(search_catalog(parse_query("a", limit=10_000))) == MAX_LIMIT
    assert len(search_catalog(parse_query("claude", limit=3))) == 3


def test_provider_filter_and_token_agree():
    by_token = [m.model_id for m in search_catalog(parse_query("provider:anthropic opus"))]
    by_filter = [m.model_id for m in search_catalog(parse_query("opus", provider="anthropic"))]
    assert by_token == by_filter
    assert by_token and all(i.startswith("anthropic/") for i in by_token)


def test_capability_context_price_and_open_tokens():
    params = parse_query("provider:anthropic cap:vision ctx:>=128k price:<5 open:no claude")
    assert (params.provider, params.capabilities, params.min_context, params.max_price) == (
        "anthropic",
        ["vision"],
        128_000,
        pytest.approx(5),
    )
    assert params.open_weights is False and params.text == "claude"
    results = search_catalog(params)
    assert results
    for m in results:
        assert m.provider == "anthropic" and m.supports_vision
        assert m.context_window >= 128_000 and m.cost_input < 5 and not m.open_weights


def test_open_weights_token():
    results = search_catalog(parse_query("open:yes llama", limit=50))
    assert results and all(m.open_weights for m in results)


def test_context_upper_bound_and_price_floor():
    results = search_catalog(parse_query("ctx:<=32k price:>=1 gpt", limit=50))
    assert results
    assert all(m.context_window <= 32_000 and m.cost_input >= 1 for m in results)


def test_capability_filter_from_api_list():
    results = search_catalog(parse_query("gemini", capabilities=["reasoning", "vision"]))
    assert results and all(m.supports_reasoning and m.supports_vision for m in results)


@pytest.mark.parametrize("bad", ["ctx:>=lots", "cap:telepathy", "open:maybe", "price:<cheap"])
def test_bad_tokens_are_reported_not_fatal(bad):
    params = parse_query(f"{bad} claude")
    assert params.errors
    assert search_catalog(params)  # the rest of the query still runs


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("💥 opus", "opus"),  # symbols are not words
        ("%", ""),  # not a SQL wildcard: the featured models, as for an empty query
        ("_", ""),
        ("\\", ""),
        ("a" * 10_000, None),  # None: no results
        ("'; DROP TABLE x; --", None),
    ],
)
def test_odd_queries_are_plain_text(query, same_as):
    found = [m.model_id for m in search_catalog(parse_query(query))]
    assert found == ([] if same_as is None else [m.model_id for m in first_page(same_as)])


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_catalogmodel")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text index is PostgreSQL's")
def test_postgres_search_uses_the_full_text_and_prefix_indexes():
    qs = search_queryset(parse_query("claude opus"))
    plan = _plan(*qs.query.sql_with_params())
    assert "catalog_search_vector" in plan, plan
    assert "Seq Scan" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prefix indexes are PostgreSQL's")
def test_postgres_prefix_tier_uses_btree_prefix_indexes():
    from catalog.models import CatalogModel

    qs = CatalogModel.objects.filter(is_active=True).filter(
        Q(name_norm__startswith="claude opus") | Q(tail_norm__startswith="claude opus")
    )
    plan = _plan(*qs.query.sql_with_params())
    assert "catalog_name_prefix" in plan and "catalog_tail_prefix" in plan, plan


def test_same_results_through_the_single_query_and_the_tiered_query():
    for query in ("claude", "opus 4.5", "gpt 4o", "provider:openai o", "llama 3 70b"):
        params = parse_query(query, limit=30)
        assert [m.model_id for m in search_catalog(params)] == [
            m.model_id for m in search_queryset(params)[:30]
        ], query
