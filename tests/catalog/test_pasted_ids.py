"""Ids pasted as people paste them: a trailing slash (copied from a URL), dashes or dots
missing, any letter case. The compatibility check's suggestion and the search rank alike:
the model whose own id this is, before other hosts' copies of it."""

from __future__ import annotations

import pytest

from accounts.services import resolve_model_id
from catalog.costmap import record_for
from catalog.models import CatalogModel
from catalog.search import parse_query, search_catalog
from catalog.validation import check_compatibility

GATEWAY = "openrouter/anthropic/claude-sonnet-4.5"


@pytest.fixture(autouse=True)
def _gateway_rows(catalog):
    """The test snapshot is LiteLLM's, which no longer lists OpenRouter: two rows of its own."""
    for model_id in (GATEWAY, GATEWAY + ":free"):
        CatalogModel.objects.create(model_id=model_id, **record_for(model_id, "openrouter", {}))


def first_hit(text: str) -> str:
    return search_catalog(parse_query(text, limit=5))[0].model_id


@pytest.mark.parametrize(
    ("pasted", "meant"),
    [
        ("openai/gpt4o", "openai/gpt-4o"),
        ("openai/gpt-4o/", "openai/gpt-4o"),
        ("OpenAI/GPT-4o/", "openai/gpt-4o"),
        (GATEWAY + "/", GATEWAY),
        ("anthropic/claude-opus-4.5", "anthropic/claude-opus-4-5"),
    ],
)
def test_search_puts_the_pasted_id_first(pasted, meant):
    assert first_hit(pasted) == meant


def test_the_check_suggests_what_the_search_finds_first():
    result = check_compatibility("openai/gpt4o", suggest=True)
    assert result.valid and result.suggestion == first_hit("openai/gpt4o") == "openai/gpt-4o"


@pytest.mark.parametrize(
    ("pasted", "canonical"),
    [
        ("openai/gpt-4o/", "openai/gpt-4o"),
        (f" {GATEWAY}/ ", GATEWAY),
        ("OPENAI/GPT-4O//", "openai/gpt-4o"),
    ],
)
def test_a_trailing_slash_is_forgiven(pasted, canonical):
    result = check_compatibility(pasted)
    assert result.valid and result.in_catalog and result.model_id == canonical
    assert resolve_model_id(pasted) == canonical


def test_an_uncatalogued_id_loses_its_trailing_slash_too():
    result = check_compatibility("openrouter/some/new-model/")
    assert result.valid and result.model_id == "openrouter/some/new-model"
    assert resolve_model_id("openai/brand-new/", allow_uncatalogued=True) == "openai/brand-new"


def test_only_a_slash_is_still_malformed():
    assert check_compatibility("openai/").error
    assert check_compatibility("/").error
