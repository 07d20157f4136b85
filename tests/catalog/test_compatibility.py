"""The LiteLLM compatibility check for ad-hoc ids (SPEC 4.3)."""

from __future__ import annotations

import pytest

from catalog.providers import litellm_providers
from catalog.validation import check_compatibility
from tests.helpers import SHARED_COST_MAP

pytestmark = pytest.mark.django_db  # the catalog is looked up first
SHARED_PROVIDERS = SHARED_COST_MAP.parent / "litellm_providers.txt"


def test_openrouter_new_model_is_valid_with_openrouter_key():
    result = check_compatibility("openrouter/some/new-model")
    assert result.as_dict() == {
        "valid": True,
        "model_id": "openrouter/some/new-model",
        "provider": "openrouter",
        "required_api_keys": ["OPENROUTER_API_KEY"],
        "error": None,
    }


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("foo/bar", "Unknown provider"),
        ("dn/anything", "platform models"),
        ("", "Enter a model id"),
        ("   ", "Enter a model id"),
        ("openai/gpt 4o", "spaces"),
        ("openai/" + "x" * 10_000, "at most 255"),
        ("openai/gpt-ü", "ASCII"),
        ("gpt-4o", "provider/model"),
        ("openai/", "empty or malformed"),
        ("openai//gpt", "empty or malformed"),
        ("openai/-gpt", "empty or malformed"),
        ("openai/gpt;rm", "ASCII letters"),
    ],
)
def test_invalid_ids_come_with_a_reason(raw, reason):
    result = check_compatibility(raw)
    assert result.valid is False
    assert reason in result.error
    assert len(result.model_id) <= 255


def test_ships_litellm_provider_list():
    providers = litellm_providers()
    assert {"openai", "anthropic", "openrouter", "gemini", "bedrock", "vertex_ai"} <= providers


@pytest.mark.skipif(
    not SHARED_PROVIDERS.exists(),
    reason=f"{SHARED_PROVIDERS} is absent: no LiteLLM provider list to compare the copy with",
)
def test_shipped_provider_list_is_litellms():
    names = {line.strip() for line in SHARED_PROVIDERS.read_text().splitlines() if line.strip()}
    assert names <= litellm_providers()


def test_valid_gemini_reports_either_key():
    result = check_compatibility(" gemini/gemini-9-ultra ")
    assert result.valid and result.model_id == "gemini/gemini-9-ultra"
    assert result.required_api_keys == ["GEMINI_API_KEY", "GOOGLE_API_KEY"]


# The catalog comes first ------------------------------------------------------------------


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("anthropic/claude-opus-4-5", "anthropic/claude-opus-4-5"),
        ("OpenAI/GPT-5.2", "openai/gpt-5.2"),
        (" Gemini/Gemini-2.5-Pro ", "gemini/gemini-2.5-pro"),
    ],
)
def test_catalog_ids_in_any_letter_case_are_in_the_catalog(raw, canonical):
    result = check_compatibility(raw)
    assert result.valid and result.in_catalog
    assert result.model_id == canonical and result.error is None


@pytest.mark.usefixtures("catalog")
def test_a_near_miss_names_the_catalog_model_it_probably_means():
    result = check_compatibility("anthropic/claude-opus-4.5", suggest=True)
    assert result.valid and not result.in_catalog
    assert result.suggestion == "anthropic/claude-opus-4-5"


@pytest.mark.usefixtures("catalog")
def test_a_new_id_gets_no_suggestion_and_the_api_shape_is_unchanged():
    result = check_compatibility("openrouter/some/new-model", suggest=True)
    assert result.suggestion is None and not result.in_catalog
    assert set(result.as_dict()) == {"valid", "model_id", "provider", "required_api_keys", "error"}


@pytest.mark.usefixtures("catalog")
def test_suggestions_are_only_searched_for_when_asked(django_assert_num_queries):
    with django_assert_num_queries(1):  # the catalog lookup, no search
        assert check_compatibility("anthropic/claude-opus-4.5").suggestion is None
