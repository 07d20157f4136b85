"""Secret presets: the env var each common provider needs."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.providers import get_provider

PRESET_PROVIDERS = (
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
)


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


def preset_env_var(provider: str) -> str | None:
    return get_provider(provider).keys.names[0] if provider in PRESET_PROVIDERS else None
