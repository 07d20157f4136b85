"""Ranking: a model family's maker first, then hosts and gateways reselling the same model."""

from __future__ import annotations

import pytest

from catalog.names import model_tail
from catalog.search import parse_query, provider_tier, search_catalog

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.mark.parametrize(
    ("model_id", "tier"),
    [
        ("openai/gpt-4o", 0),
        ("openai/o3", 0),
        ("anthropic/claude-opus-4-5", 0),
        ("meta_llama/Llama-3.3-70B-Instruct", 0),
        ("dashscope/qwen3-max", 0),
        ("perplexity/sonar", 0),
        ("groq/compound", 0),  # no family named: the provider's own model
        ("groq/llama-guard-3-8b", 1),
        ("perplexity/llama-3.1-8b-instruct", 1),
        ("mistral/deepseek-v4-1-flash-1017", 1),
        ("azure/gpt-4o", 1),
        ("perplexity/anthropic/claude-opus-4-5", 1),  # a gateway path
        ("ollama/llama3:70b", 1),
    ],
)
def test_provider_tier_is_the_family_maker(model_id, tier):
    provider = model_id.split("/")[0]
    assert provider_tier(model_id=model_id, tail=model_tail(model_id), provider=provider) == tier


@pytest.mark.parametrize(
    ("query", "maker"),
    [("llama", "meta_llama"), ("qwen", "dashscope"), ("deepseek", "deepseek"), ("grok", "xai")],
)
def test_the_makers_models_come_before_resellers(query, maker):
    providers = [m.provider for m in search_catalog(parse_query(query, limit=100))]
    own = providers.count(maker)
    assert own and providers[:own] == [maker] * own, providers[: own + 3]


def test_4o_is_not_gpt_5_4_followed_by_openai():
    # "4 o…" also runs across "…gpt 5 4" into the provider name "openai": such rows rank last.
    ids = [m.model_id for m in search_catalog(parse_query("4o", limit=100))]
    assert ids[0] == "openai/gpt-4o"
    assert ids.index("openai/gpt-5.4") > ids.index("openai/gpt-4o-mini")
