"""Secret presets: the env var each common provider needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from catalog.providers import PROVIDERS, get_provider, required_keys

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
class KeyUse:
    """Per variable name, the enabled models it serves (`used`), serves as their only key
    (`relied`) or that still need it (`missing`). A provider taking any one of several names
    (Gemini) needs none once one is saved, else its first."""

    used: dict[str, list[str]]
    relied: dict[str, list[str]]
    missing: dict[str, list[str]]


def key_use(model_ids: list[str], saved: set[str]) -> KeyUse:
    use = KeyUse({}, {}, {})
    for model_id in model_ids:
        keys = required_keys(model_id)
        have = [name for name in keys.names if name in saved]
        if keys.any:
            lacking = [] if have else list(keys.names[:1])
            sole = have if len(have) == 1 else []
        else:
            lacking, sole = [n for n in keys.names if n not in saved], have
        for names, into in ((have, use.used), (sole, use.relied), (lacking, use.missing)):
            for name in names:
                into.setdefault(name, []).append(model_id)
    return use


@dataclass(frozen=True)
class PagePreset:
    label: str
    env_var_name: str
    configured: bool
    needed_by: int  # how many of the user's enabled models still need this variable
    used_by: int  # how many of them it serves, once saved
    # The names that would do instead (any one of Gemini's two), to say so beside it.
    instead: tuple[str, ...] = ()


def _providers_needing(name: str) -> list[str]:
    return [p.label for p in PROVIDERS.values() if name in p.keys.names]


def _alternatives(name: str) -> tuple[str, ...]:
    for provider in PROVIDERS.values():
        if provider.keys.any and name in provider.keys.names:
            return tuple(n for n in provider.keys.names if n != name)
    return ()


def page_presets(saved: set[str], use: KeyUse, asked: str = "") -> list[PagePreset]:
    """The Secrets page's suggestions: what the enabled models need (most-needed first), all
    variables of a provider asked for by one name (Azure has three), the common keys."""
    names = sorted(use.missing, key=lambda name: (-len(use.missing[name]), name))
    for provider in PROVIDERS.values():
        if asked in provider.keys.names:
            names += provider.keys.names
    names += [get_provider(slug).keys.names[0] for slug in PRESET_PROVIDERS]
    rows = []
    for name in dict.fromkeys(names):
        label = " / ".join(_providers_needing(name)[:2]) or name
        needed = len(use.missing.get(name, []))
        rows.append(
            PagePreset(
                label,
                name,
                name in saved,
                needed,
                len(use.used.get(name, [])),
                _alternatives(name) if needed else (),
            )
        )
    return rows
