"""Provider, required keys and display name for real catalog ids (SPEC 4.3, 4.4)."""

from __future__ import annotations

import json

import pytest

from catalog.costmap import parse_cost_map
from catalog.names import display_name
from catalog.providers import PROVIDERS, get_provider, provider_of, required_keys
from tests.helpers import real_cost_map

SNAPSHOT = real_cost_map()

CASES = [
    # id, provider, required keys (all unless noted), display name
    ("anthropic/claude-opus-4-5", "anthropic", ["ANTHROPIC_API_KEY"], "Claude Opus 4.5"),
    (
        "anthropic/claude-sonnet-4-5-20250929",
        "anthropic",
        ["ANTHROPIC_API_KEY"],
        "Claude Sonnet 4.5 (2025-09-29)",
    ),
    (
        "anthropic/claude-3-5-haiku-20241022",
        "anthropic",
        ["ANTHROPIC_API_KEY"],
        "Claude 3.5 Haiku (2024-10-22)",
    ),
    ("openai/gpt-5.2", "openai", ["OPENAI_API_KEY"], "GPT-5.2"),
    ("openai/gpt-4o", "openai", ["OPENAI_API_KEY"], "GPT-4o"),
    ("openai/gpt-4o-mini", "openai", ["OPENAI_API_KEY"], "GPT-4o Mini"),
    ("openai/gpt-4.1-nano", "openai", ["OPENAI_API_KEY"], "GPT-4.1 Nano"),
    ("openai/o3", "openai", ["OPENAI_API_KEY"], "o3"),
    ("openai/o4-mini", "openai", ["OPENAI_API_KEY"], "o4 Mini"),
    ("openai/gpt-4o-2024-05-13", "openai", ["OPENAI_API_KEY"], "GPT-4o (2024-05-13)"),
    ("openai/gpt-oss-120b", "openai", ["OPENAI_API_KEY"], "GPT OSS 120B"),
    (
        "openrouter/anthropic/claude-sonnet-4",
        "openrouter",
        ["OPENROUTER_API_KEY"],
        "Claude Sonnet 4",
    ),
    ("openrouter/openai/gpt-5.2", "openrouter", ["OPENROUTER_API_KEY"], "GPT-5.2"),
    ("gemini/gemini-2.5-pro", "gemini", ["GEMINI_API_KEY", "GOOGLE_API_KEY"], "Gemini 2.5 Pro"),
    ("gemini/gemini-2.5-flash", "gemini", ["GEMINI_API_KEY", "GOOGLE_API_KEY"], "Gemini 2.5 Flash"),
    ("mistral/mistral-large-latest", "mistral", ["MISTRAL_API_KEY"], "Mistral Large Latest"),
    ("groq/llama-3.3-70b-versatile", "groq", ["GROQ_API_KEY"], "Llama 3.3 70B Versatile"),
    (
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "together_ai",
        ["TOGETHERAI_API_KEY"],
        "Llama 3.3 70B Instruct Turbo",
    ),
    ("xai/grok-4", "xai", ["XAI_API_KEY"], "Grok 4"),
    ("deepseek/deepseek-chat", "deepseek", ["DEEPSEEK_API_KEY"], "DeepSeek Chat"),
    ("azure/gpt-4o", "azure", ["AZURE_API_KEY", "AZURE_API_BASE", "AZURE_API_VERSION"], "GPT-4o"),
    (
        "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0",
        "bedrock",
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
        "Claude 3.5 Haiku 20241022 V1",
    ),
    (
        "vertex_ai/claude-opus-4-5",
        "vertex_ai",
        ["VERTEXAI_PROJECT", "VERTEXAI_LOCATION"],
        "Claude Opus 4.5",
    ),
    (
        "vertex_ai/gemini-2.5-pro",
        "vertex_ai",
        ["VERTEXAI_PROJECT", "VERTEXAI_LOCATION"],
        "Gemini 2.5 Pro",
    ),
    ("ollama/llama3", "ollama", ["OLLAMA_API_BASE"], "Llama3"),
    (
        "fireworks_ai/accounts/fireworks/models/qwen3-235b-a22b-instruct-2507",
        "fireworks_ai",
        ["FIREWORKS_AI_API_KEY"],
        "Qwen3 235B A22b Instruct 2507",
    ),
    ("perplexity/sonar-pro", "perplexity", ["PERPLEXITYAI_API_KEY"], "Sonar Pro"),
    (
        "cohere_chat/command-r-plus-08-2024",
        "cohere_chat",
        ["COHERE_API_KEY"],
        "Command R Plus (2024-08)",
    ),
    (
        "deepinfra/meta-llama/Meta-Llama-3.1-8B-Instruct",
        "deepinfra",
        ["DEEPINFRA_API_KEY"],
        "Meta Llama 3.1 8B Instruct",
    ),
    ("amazon_nova/nova-pro-v1", "amazon_nova", ["AMAZON_NOVA_API_KEY"], "Nova Pro V1"),
    ("moonshot/kimi-k2.6", "moonshot", ["MOONSHOT_API_KEY"], "Kimi K2.6"),
    ("kyma/claude-haiku-4-5", "kyma", ["KYMA_API_KEY"], "Claude Haiku 4.5"),
    ("scx-ai/llama-4", "scx-ai", ["SCX_AI_API_KEY"], "Llama 4"),
    ("newprovider/some-model", "newprovider", ["NEWPROVIDER_API_KEY"], "Some Model"),
]


@pytest.mark.parametrize(("model_id", "provider", "keys", "name"), CASES)
def test_provider_keys_and_display_name(model_id, provider, keys, name):
    assert provider_of(model_id) == provider
    assert list(required_keys(model_id).names) == keys
    assert display_name(model_id) == name


def test_gemini_is_satisfied_by_either_key():
    req = required_keys("gemini/gemini-2.5-pro")
    assert req.any
    assert req.satisfied_by({"GEMINI_API_KEY"})
    assert req.satisfied_by({"GOOGLE_API_KEY"})
    assert not req.satisfied_by({"OPENAI_API_KEY"})
    assert req.summary == "GEMINI_API_KEY or GOOGLE_API_KEY"


def test_azure_needs_all_three():
    req = required_keys("azure/gpt-4o")
    assert not req.any
    assert not req.satisfied_by({"AZURE_API_KEY", "AZURE_API_BASE"})
    assert req.missing({"AZURE_API_KEY", "AZURE_API_BASE"}) == ["AZURE_API_VERSION"]
    assert req.satisfied_by({"AZURE_API_KEY", "AZURE_API_BASE", "AZURE_API_VERSION"})


def test_openrouter_anthropic_needs_openrouter_not_anthropic():
    req = required_keys("openrouter/anthropic/claude-sonnet-4")
    assert req.satisfied_by({"OPENROUTER_API_KEY"})
    assert not req.satisfied_by({"ANTHROPIC_API_KEY"})


def test_every_provider_in_the_catalog_has_an_entry():
    providers = {r["provider"] for r in parse_cost_map(SNAPSHOT.read_bytes()).values()}
    missing = sorted(p for p in providers if p not in PROVIDERS)
    assert missing == []
    assert all(get_provider(p).label for p in providers)


def test_every_catalog_id_gets_a_non_empty_name():
    data = json.loads(SNAPSHOT.read_text())
    records = parse_cost_map(json.dumps(data))
    assert all(r["display_name"].strip() for r in records.values())
