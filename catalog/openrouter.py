"""OpenRouter's models, the catalog's second source: the bundled snapshot of genai-prices' list
(built by `manage.py build_openrouter_snapshot`), as `openrouter/<vendor>/<model>` records."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.costmap import CostMapError, is_number, record_for
from catalog.names import display_name

SNAPSHOT = Path(__file__).resolve().parent / "data" / "openrouter_models.json.gz"
SOURCE = "openrouter"

# genai-prices lists some OpenRouter models without their vendor. OpenRouter's own vendor slug
# for each unambiguous model line; first match wins. Community fine-tunes of these lines
# (lumimaid, dolphin, hermes…) belong to other vendors: _NOT_THE_MAKERS keeps them out.
_VENDORS = (
    (re.compile(r"^(?:chatgpt-|gpt-|o\d(?:-|$)|codex-)"), "openai"),
    (re.compile(r"^claude-"), "anthropic"),
    (re.compile(r"^(?:gemini|gemma)-"), "google"),
    (re.compile(r"^llama-[\d.]+-nemotron-"), "nvidia"),
    (re.compile(r"^llama-[\d.]+-sonar-|^sonar(?:-|$)"), "perplexity"),
    (re.compile(r"^llama-(?:guard-|[\d.]+-(?:\d+b|maverick|scout)(?:-|:|$))"), "meta-llama"),
    (re.compile(r"^(?:mistral|mixtral|ministral|codestral)-"), "mistralai"),
    (re.compile(r"^(?:devstral|magistral|pixtral)-"), "mistralai"),
    (re.compile(r"^deepseek-(?:chat|r1|v\d|prover|coder)(?![a-z])"), "deepseek"),
    (re.compile(r"^(?:qwen-|qwen\d|qwq-)"), "qwen"),
    (re.compile(r"^grok-"), "x-ai"),
    (re.compile(r"^command(?:-|$)"), "cohere"),
    (re.compile(r"^phi-\d"), "microsoft"),
    (re.compile(r"^jamba-"), "ai21"),
    (re.compile(r"^kimi-"), "moonshotai"),
    (re.compile(r"^minimax-"), "minimax"),
    (re.compile(r"^lfm-"), "liquid"),
    (re.compile(r"^yi-"), "01-ai"),
)
_NOT_THE_MAKERS = re.compile(r"lumimaid|arliai|chimera|dolphin|hermes|typhoon|shisa|abliterated")
# Rows genai-prices keeps for pricing, not routes: `~vendor/x-latest` aliases and `:batch` prices.
_NOT_ROUTES = re.compile(r"^~|:batch$")


@dataclass
class OpenRouterData:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    normalised: int = 0  # listed without a vendor, vendor clear
    unclear: list[str] = field(default_factory=list)  # listed without a vendor, skipped
    not_routes: int = 0
    duplicates: int = 0  # normalised onto an id the list also has with its vendor


def vendor_for(model: str) -> str | None:
    """OpenRouter's vendor slug for a model listed without one, when it is unambiguous."""
    if _NOT_THE_MAKERS.search(model):
        return None
    return next((vendor for pattern, vendor in _VENDORS if pattern.search(model)), None)


def _check(entry: object) -> dict[str, Any]:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
        raise CostMapError(f"OpenRouter entry {entry!r}: needs a non-empty string id.")
    for name in ("context_window", "input_mtok", "output_mtok"):
        value = entry.get(name)
        if value is not None and not is_number(value):
            raise CostMapError(f"OpenRouter entry {entry['id']!r}: {name} must be a number.")
    if entry.get("name") is not None and not isinstance(entry["name"], str):
        raise CostMapError(f"OpenRouter entry {entry['id']!r}: name must be a string.")
    return entry


def _record(model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    free = entry.get("free") is True
    per_token = {  # the cost map's units, so record_for treats both sources alike
        "input_cost_per_token": 0 if free else _per_token(entry.get("input_mtok")),
        "output_cost_per_token": 0 if free else _per_token(entry.get("output_mtok")),
    }
    cost_map_entry = {"mode": "chat", "max_input_tokens": entry.get("context_window"), **per_token}
    # ":free", ":extended", ":thinking" are distinct routes of one model: say which in the name.
    base, _, variant = model_id.partition(":")
    name = entry.get("name") or display_name(base)
    if variant and f"({variant})" not in name.lower():
        name = f"{name} ({variant})"
    return record_for(model_id, "openrouter", cost_map_entry, name=name, source=SOURCE)


def _per_token(per_million: float | None) -> float | None:
    return None if per_million is None else per_million / 1_000_000


def parse_openrouter(raw: bytes | str) -> OpenRouterData:
    """Return the OpenRouter records and what was skipped, or raise CostMapError."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CostMapError(f"The OpenRouter snapshot is not valid JSON ({exc}).") from None
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, list) or not models:
        raise CostMapError(
            "The OpenRouter snapshot must be an object with a non-empty models list."
        )
    result = OpenRouterData()
    listed = {_check(entry)["id"] for entry in models}
    for entry in models:
        listed_id: str = entry["id"]
        if _NOT_ROUTES.search(listed_id):
            result.not_routes += 1
            continue
        if "/" not in listed_id:
            vendor = vendor_for(listed_id)
            if vendor is None:
                result.unclear.append(listed_id)
                continue
            if f"{vendor}/{listed_id}" in listed:
                result.duplicates += 1
                continue
            result.normalised += 1
            listed_id = f"{vendor}/{listed_id}"
        result.records[f"openrouter/{listed_id}"] = _record(f"openrouter/{listed_id}", entry)
    return result
