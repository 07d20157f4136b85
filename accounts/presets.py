"""Secret presets: the env var each common provider needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from catalog.providers import PROVIDERS, get_provider

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


@dataclass(frozen=True)
class PagePreset:
    label: str
    env_var_name: str
    configured: bool
    needed_by: int  # how many of the user's enabled models need this variable


def _providers_needing(name: str) -> list[str]:
    return [p.label for p in PROVIDERS.values() if name in p.keys.names]


def page_presets(saved: set[str], needs: dict[str, list[str]], asked: str = "") -> list[PagePreset]:
    """The Secrets page's suggestions, one per variable: those the enabled models need first
    (most-needed first), every variable of a provider asked for by one of its names (Azure
    needs three), then the common providers' keys."""
    names = sorted(needs, key=lambda name: (-len(needs[name]), name))
    for provider in PROVIDERS.values():
        if asked in provider.keys.names:
            names += provider.keys.names
    names += [get_provider(slug).keys.names[0] for slug in PRESET_PROVIDERS]
    rows = []
    for name in dict.fromkeys(names):
        label = " / ".join(_providers_needing(name)[:2]) or name
        rows.append(PagePreset(label, name, name in saved, len(needs.get(name, []))))
    return rows
