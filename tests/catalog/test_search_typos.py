"""Search forgives typos: a query that finds nothing is corrected word by word and run again.

Runs on whichever database the suite uses (pg_trgm preselects on PostgreSQL).
"""

from __future__ import annotations

import pytest
from django.db import connection

from catalog.names import model_tail
from catalog.search import normalize, parse_query, search_results
from catalog.spelling import candidates_sql, closest, similarity
from tests.catalog.test_search import _plan
from tests.helpers import assert_not_retired

pytestmark = pytest.mark.usefixtures("catalog")


def tail_words(model_id: str) -> str:
    return f" {normalize(model_tail(model_id))} "


@pytest.mark.parametrize(
    ("query", "corrected", "first"),
    [
        ("claud opus 4.5", "claude opus 4.5", "anthropic/claude-opus-4-5"),
        ("gemni 2.5 pro", "gemini 2.5 pro", "gemini/gemini-2.5-pro"),
        ("Gemni-2.5-Pro", "gemini-2.5-pro", "gemini/gemini-2.5-pro"),
        ("sonet 4.5", "sonnet 4.5", "anthropic/claude-sonnet-4-5"),
    ],
)
def test_a_misspelt_query_finds_the_intended_model(query, corrected, first):
    assert_not_retired(first)
    found = search_results(parse_query(query))
    assert found.corrected_text == corrected
    assert found.models[0].model_id == first


def test_sonet_finds_a_claude_sonnet():
    found = search_results(parse_query("sonet"))
    assert found.corrected_text == "sonnet"
    top = found.models[0]
    assert top.provider == "anthropic" and " claude sonnet " in tail_words(top.model_id)


def test_lama_3_70b_finds_a_llama_3_70b():
    found = search_results(parse_query("lama 3 70b"))
    assert found.corrected_text == "llama 3 70b"
    assert found.total > 1
    for model in found.models[:5]:
        words = tail_words(model.model_id)
        assert " llama" in words and " 3 " in words and " 70 b " in words, model.model_id


def test_gpt4o_needs_no_correction():
    found = search_results(parse_query("gpt4o"))
    assert found.corrected_text == ""
    assert found.models[0].model_id == "openai/gpt-4o"


@pytest.mark.parametrize("query", ["opus 4.5", "claude", "son", "llama 3 70b", "provider:openai o"])
def test_exact_results_are_never_corrected(query):
    found = search_results(parse_query(query))
    assert found.models and found.corrected_text == ""


@pytest.mark.parametrize("query", ["zzzqqq", "claude gemini", "4.5 99999", "qq"])
def test_nothing_close_stays_empty(query):
    found = search_results(parse_query(query))
    assert (found.models, found.total, found.corrected_text) == ([], 0, "")


def test_correction_keeps_the_filters():
    found = search_results(parse_query("provider:vertex_ai claud opus 4.5"))
    assert found.corrected_text == "claude opus 4.5"
    assert found.models and all(m.provider == "vertex_ai" for m in found.models)


def test_trigram_similarity_matches_pg_trgm():
    # pg_trgm: SELECT similarity('lama', 'llama') = 0.5714286, ('sonet', 'sonnet') = 0.625
    assert similarity("lama", "llama") == pytest.approx(4 / 7)
    assert similarity("sonet", "sonnet") == pytest.approx(5 / 8)
    assert closest("gemni", {"gemini": 1, "gemma": 50}) == "gemini"
    assert closest("sonet", {"sonar": 9, "sonnet": 1}) == "sonnet"
    assert closest("xyz", {"claude": 1}) is None


def test_query_counts_stay_constant(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # a full page of exact results and its count
        search_results(parse_query("claude"))
    with django_assert_max_num_queries(1):  # a short page tells its own total
        search_results(parse_query("opus 4.5"))
    with django_assert_max_num_queries(4):  # nothing, candidates, corrected page and count
        search_results(parse_query("claud opus 4.5 lama sonet gemni"))
    with django_assert_max_num_queries(5):  # the same from a later page
        search_results(parse_query("lama", offset=20))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgres_spelling_candidates_use_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_search_word")
    plan = _plan(*candidates_sql(["lama", "sonet"], "sonet"))
    assert "catalog_catalogmodel" not in plan, plan
    assert plan.count("catalog_search_word_trgm") == 2, plan
    assert "Seq Scan" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgres_words_table_follows_catalog_writes():
    from catalog.models import CatalogModel

    model = CatalogModel.objects.get(model_id="anthropic/claude-opus-4-5")
    model.search_text += "zorbulon "
    model.save(update_fields=["search_text"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM catalog_search_word WHERE word LIKE 'zorb%%'")
        assert cursor.fetchall() == [("zorbulon",)]
    assert search_results(parse_query("zorbulin")).corrected_text == "zorbulon"
