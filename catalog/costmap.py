"""Parse and validate LiteLLM's model cost map into catalog records."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any, TypeGuard

from catalog.models import CAPABILITIES
from catalog.names import display_name, model_key, model_tail, version_key
from catalog.providers import get_provider, routable_provider
from catalog.search import build_search_text, normalize, provider_tier

KEPT_MODES = ("chat", "responses")
_NUMBER_FIELDS = (
    "max_input_tokens",
    "max_output_tokens",
    "max_tokens",
    "input_cost_per_token",
    "output_cost_per_token",
)
_OPEN_WEIGHTS = re.compile(
    r"llama|mixtral|mistral-7b|mistral-nemo|open-mistral|qwen|qwq|deepseek|gemma|gpt-oss|glm|"
    r"kimi|phi-?\d|falcon|olmo|nemotron|minimax-m|hermes|dbrx|granite|smollm|yi-"
)
# Editorial picks shown for an empty search; staff can change `featured` in admin.
FEATURED_IDS = frozenset(
    {
        "anthropic/claude-opus-4-5",
        "anthropic/claude-sonnet-4-5",
        "anthropic/claude-haiku-4-5",
        "openai/gpt-5.2",
        "openai/gpt-5-mini",
        "openai/gpt-4.1",
        "openai/o3",
        "gemini/gemini-2.5-pro",
        "gemini/gemini-2.5-flash",
        "xai/grok-4",
        "deepseek/deepseek-chat",
        "mistral/mistral-large-latest",
    }
)


class CostMapError(ValueError):
    """The source is not a usable cost map; nothing should change."""


def canonical_id(key: str, provider: str) -> str:
    if key.startswith(provider + "/"):
        return key
    head, sep, rest = key.partition("/")
    if sep and head.replace("-", "_") == provider:  # "amazon-nova/x" for provider amazon_nova
        return f"{provider}/{rest}"
    return f"{provider}/{key}"


def is_number(value: object) -> TypeGuard[int | float]:
    """A JSON number (Python's bools are ints, JSON's are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def whole_number(value: object) -> int | None:
    """A JSON number as an int; None for anything else."""
    return int(value) if is_number(value) else None


def _check_types(key: str, entry: dict[str, Any]) -> None:
    provider = entry.get("litellm_provider")
    if not isinstance(provider, str) or not provider.strip():
        raise CostMapError(f"Entry {key!r}: litellm_provider must be a non-empty string.")
    for name in _NUMBER_FIELDS:
        value = entry.get(name)
        if value is not None and not is_number(value):
            raise CostMapError(f"Entry {key!r}: {name} must be a number, got {value!r}.")
    for name, value in entry.items():
        if name.startswith("supports_") and value is not None and not isinstance(value, bool):
            raise CostMapError(f"Entry {key!r}: {name} must be true or false, got {value!r}.")
    date = entry.get("deprecation_date")
    if date is not None and not isinstance(date, str):
        raise CostMapError(f"Entry {key!r}: deprecation_date must be a YYYY-MM-DD string.")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def per_million(value: object) -> float | None:
    """USD per token -> USD per 1M tokens; None for anything that is not a number."""
    return round(value * 1_000_000, 6) if is_number(value) else None


def capability_flags(entry: Mapping[str, object]) -> dict[str, bool]:
    """The `supports_<capability>` fields of a LiteLLM model entry: true only when it says so."""
    return {f"supports_{cap}": entry.get(f"supports_{cap}") is True for cap in CAPABILITIES}


def _modalities(entry: dict[str, Any]) -> tuple[list[str], list[str]]:
    inputs = entry.get("supported_modalities")
    if not isinstance(inputs, list):
        inputs = ["text"]
        for flag, name in (
            ("supports_vision", "image"),
            ("supports_audio_input", "audio"),
            ("supports_pdf_input", "pdf"),
            ("supports_video_input", "video"),
        ):
            if entry.get(flag):
                inputs.append(name)
    outputs = entry.get("supported_output_modalities")
    if not isinstance(outputs, list):
        outputs = ["text"] + (["audio"] if entry.get("supports_audio_output") else [])
    return [str(m) for m in inputs], [str(m) for m in outputs]


def record_for(
    model_id: str,
    provider: str,
    entry: dict[str, Any],
    *,
    name: str | None = None,
    source: str = "litellm",
) -> dict[str, Any]:
    name = name or display_name(model_id)
    tail = model_tail(model_id)
    modalities_input, modalities_output = _modalities(entry)
    return {
        "provider": provider,
        "source": source,
        "display_name": name,
        "mode": entry.get("mode", "chat"),
        "context_window": whole_number(entry.get("max_input_tokens") or entry.get("max_tokens")),
        "max_output": whole_number(entry.get("max_output_tokens")),
        "cost_input": per_million(entry.get("input_cost_per_token")),
        "cost_output": per_million(entry.get("output_cost_per_token")),
        "modalities_input": modalities_input,
        "modalities_output": modalities_output,
        "deprecation_date": _date(entry.get("deprecation_date")),
        "open_weights": bool(_OPEN_WEIGHTS.search(model_id.lower())),
        "search_text": build_search_text(
            model_id=model_id,
            tail=tail,
            name=name,
            provider_label=get_provider(provider).label,
        ),
        "name_norm": normalize(name)[:255],
        "tail_norm": normalize(tail)[:255],
        "model_key": model_key(normalize(tail)[:255]),
        "version_key": version_key(name),
        "provider_tier": provider_tier(model_id=model_id, tail=tail, provider=provider),
        **capability_flags(entry),
    }


def parse_cost_map(raw: bytes | str) -> dict[str, dict[str, Any]]:
    """Return {canonical model id: record} for every chat/responses entry, or raise."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CostMapError(f"The catalog is not valid JSON ({exc}).") from None
    if not isinstance(data, dict):
        raise CostMapError(
            f"The catalog must be a JSON object keyed by model, got {type(data).__name__}."
        )
    records: dict[str, dict[str, Any]] = {}
    exact: set[str] = set()
    for key, entry in data.items():
        if key == "sample_spec":
            continue
        if not isinstance(entry, dict):
            raise CostMapError(f"Entry {key!r} must be an object, got {type(entry).__name__}.")
        if entry.get("mode") not in KEPT_MODES:
            continue
        _check_types(key, entry)
        provider = routable_provider(entry["litellm_provider"].strip())
        model_id = canonical_id(key, provider)
        # The same model listed bare and prefixed: keep the prefixed entry's data.
        if model_id in records and (model_id in exact or key != model_id):
            continue
        if key == model_id:
            exact.add(model_id)
        records[model_id] = record_for(model_id, provider, entry)
    if not records:
        raise CostMapError("The catalog has no chat or responses models; refusing to retire all.")
    return records
