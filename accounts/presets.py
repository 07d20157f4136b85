"""Secret presets: the env var each common provider needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from catalog.providers import get_provider

PresetProvider = Literal[
    "anthropic",
    "openai",
    "openrouter",
    "gemini",
    "mistral",
    "groq",
    "xai",
    "deepseek",
    "together_ai",
    "fireworks_ai",
]
PRESET_PROVIDERS: tuple[str, ...] = get_args(PresetProvider)


@dataclass(frozen=True)
class Preset:
    provider: str
    label: str
    env_var_name: str
    configured: bool


def presets_for(saved: set[str]) -> list[Preset]:
    presets = []
    for slug in PRESET_PROVIDERS:
        provider = get_provider(slug)
        name = provider.keys.names[0]
        presets.append(Preset(slug, provider.label, name, name in saved))
    return presets


def preset_env_var(provider: PresetProvider) -> str:
    return get_provider(provider).keys.names[0]
