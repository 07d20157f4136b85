"""Search pages: every match is reachable, the total is true (or truthfully capped)."""

from __future__ import annotations

import pytest

from catalog.models import CatalogModel
from catalog.search import COUNT_CAP, parse_query, search_catalog, search_queryset, search_results

pytestmark = pytest.mark.usefixtures("catalog")


def walk(query: str, limit: int) -> tuple[list[str], int]:
    """Every page of `query`, following next_offset; the ids in order and the total."""
    ids: list[str] = []
    offset: int | None = 0
    while offset is not None:
        found = search_results(parse_query(query, limit=limit, offset=offset))
        assert found.first == (offset + 1 if found.models else 0)
        ids += [m.model_id for m in found.models]
        offset = found.next_offset
    return ids, found.total


@pytest.mark.parametrize(("query", "limit"), [("sonnet", 20), ("provider:openai gpt 4", 7)])
def test_pages_reach_every_match_once_in_rank_order(query, limit):
    ids, total = walk(query, limit)
    expected = [m.model_id for m in search_queryset(parse_query(query))]
    assert total == len(expected) > limit
    assert ids == expected


def test_a_page_exactly_full_is_not_cut_off():
    assert CatalogModel.objects.filter(provider="lambda_ai").count() == 20
    found = search_results(parse_query("", provider="lambda_ai"))
    assert (len(found.models), found.total, found.next_offset) == (20, 20, None)
    fuller = search_results(parse_query("", provider="ollama"))
    assert (len(fuller.models), fuller.total, fuller.next_offset) == (20, 21, 20)


def test_a_broad_query_says_its_count_is_capped():
    found = search_results(parse_query("a"))
    assert found.total_is_capped and found.total == COUNT_CAP
    last = search_results(parse_query("a", offset=COUNT_CAP - 20))
    assert last.first == COUNT_CAP - 19 and last.next_offset is None
    assert last.previous_offset == COUNT_CAP - 40


def test_previous_page_of_the_second_page_is_the_first():
    second = search_results(parse_query("sonnet", offset=20))
    assert (second.first, second.last, second.previous_offset) == (21, 40, 0)
    assert search_results(parse_query("sonnet")).previous_offset is None


def test_past_the_end_is_empty_with_the_true_total():
    found = search_results(parse_query("opus 4.5", offset=200))
    assert found.models == [] and found.total == 14 and found.next_offset is None


@pytest.mark.parametrize(
    ("raw", "offset"), [("abc", 0), ("-5", 0), (None, 0), ("40", 40), (COUNT_CAP, 0), (10**12, 0)]
)
def test_offset_is_read_safely(raw, offset):
    assert parse_query("claude", offset=raw).offset == offset


@pytest.mark.parametrize("query", ["claude", "4o", "llama 3 70b", "provider:openai o"])
@pytest.mark.parametrize("offset", [20, 45])
def test_later_pages_agree_between_the_tiered_and_the_single_query(query, offset):
    params = parse_query(query, limit=15, offset=offset)
    assert [m.model_id for m in search_catalog(params)] == [
        m.model_id for m in search_queryset(params)[offset : offset + 15]
    ]
