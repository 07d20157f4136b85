"""Filter tokens that can't be read say what is wrong with that token, and how to write it."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.search import parse_query, search_catalog

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("price:abc", "Couldn't read “price:abc”; try price:<5 (USD per 1M input tokens)"),
        ("price:<cheap", "Couldn't read “price:<cheap”; try price:<5"),
        ("ctx:>=lots", "Couldn't read “ctx:>=lots”; try ctx:>=128k (context window in tokens)"),
        ("open:maybe", "Couldn't read “open:maybe”; try open:yes or open:no."),
        ("provider:nope", "No provider called “nope”; try provider:anthropic."),
        ("provider:antropic", "No provider called “antropic”; did you mean provider:anthropic?"),
    ],
)
def test_each_bad_token_gets_its_own_hint(token, message):
    params = parse_query(f"{token} claude")
    assert len(params.errors) == 1 and params.errors[0].startswith(message), params.errors
    assert search_catalog(params)  # the rest of the query still runs
    assert params.text == "claude"


def test_price_and_context_hints_never_suggest_each_other():
    (price,) = parse_query("price:abc").errors
    (ctx,) = parse_query("ctx:abc").errors
    assert "ctx:" not in price and "128k" not in price
    assert "price:" not in ctx


@pytest.mark.parametrize(
    ("token", "slug"),
    [
        ("provider:anthropic", "anthropic"),
        ("provider:Anthropic", "anthropic"),
        ("provider:xAI", "xai"),
        ("provider:vertex_ai", "vertex_ai"),
        ("provider:openrouter", "openrouter"),  # known, even with no models in this catalog
    ],
)
def test_known_providers_by_slug_or_label(token, slug):
    params = parse_query(token)
    assert (params.provider, params.errors) == (slug, [])


@pytest.mark.parametrize("value", ["a", "zz", "o", "q", "x"])
def test_a_short_unknown_provider_gets_a_hint_not_an_error(value):
    """Several providers tie for a short value: the tie is broken by name, never by comparing
    providers (a `TypeError`, a 500, before)."""
    (error,) = parse_query(f"provider:{value} claude").errors
    assert error.startswith(f"No provider called “{value}”;")


@given(st.text(alphabet=string.ascii_letters + string.digits + "_-.", min_size=1, max_size=12))
def test_any_provider_value_parses(value):
    params = parse_query(f"provider:{value}")
    assert params.provider or params.errors
