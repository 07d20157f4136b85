"""Model id checks: well-formed ids, catalog lookup and LiteLLM compatibility, for services,
views and the API."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.db.models.functions import Lower

from catalog.models import CatalogModel
from catalog.providers import litellm_providers, provider_of, required_keys
from catalog.search import parse_query, search_catalog

MAX_MODEL_ID_LENGTH = 255
_ALLOWED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@+/-]*$")
_MODEL_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@+-]*$")


@dataclass
class CompatResult:
    valid: bool
    model_id: str
    provider: str | None = None
    required_api_keys: list[str] = field(default_factory=list)
    error: str | None = None
    in_catalog: bool = False
    suggestion: str | None = None  # the catalog id a near miss probably means

    def as_dict(self) -> dict:
        """The API's answer: {valid, model_id, provider, required_api_keys, error}."""
        data = asdict(self)
        del data["in_catalog"], data["suggestion"]
        return data


def tidy_model_id(raw: str) -> str:
    """`raw` as people paste it, without surrounding spaces or the trailing slashes a URL
    brings (`openai/gpt-4o/`); an id that is nothing but a provider keeps its slash."""
    model_id = (raw or "").strip()
    bare = model_id.rstrip("/")
    return bare if "/" in bare else model_id


def model_id_error(model_id: str) -> str | None:
    """Why a string is not a well-formed `provider/model` id, or None if it is."""
    if not model_id:
        return "Enter a model id, like anthropic/claude-opus-4-5."
    if len(model_id) > MAX_MODEL_ID_LENGTH:
        return f"Model ids are at most {MAX_MODEL_ID_LENGTH} characters."
    if any(ch.isspace() for ch in model_id):
        return "Model ids can't contain spaces."
    if not model_id.isascii():
        return "Model ids can only use ASCII letters, digits and . _ - : @ + /"
    if "/" not in model_id:
        return "Model ids look like provider/model, for example openai/gpt-5.2."
    if not _ALLOWED.match(model_id):
        return "Model ids can only use ASCII letters, digits and . _ - : @ + /"
    return None


def catalog_ids(model_ids: Iterable[str]) -> dict[str, str]:
    """The canonical ids of the active catalog models these well-formed ids name in any letter
    case, keyed by lower-cased id; ids not in the catalog are absent. One query, served by
    catalog_model_id_lower_idx. Well-formed ids are ASCII, so Python's lower() is the
    database's."""
    lowered = {model_id.lower() for model_id in model_ids}
    if not lowered:
        return {}
    rows = (
        CatalogModel.objects.annotate(model_id_lower=Lower("model_id"))
        .filter(model_id_lower__in=lowered, is_active=True)
        .values_list("model_id_lower", "model_id")
    )
    found: dict[str, str] = {}
    for key, model_id in rows:  # in catalog order: of ids differing only in case, the first
        found.setdefault(key, model_id)
    return found


def catalog_id(model_id: str) -> str | None:
    """The canonical id of the active catalog model `model_id` names, in any letter case."""
    return catalog_ids([model_id]).get(model_id.lower())


def near_miss(model_id: str) -> str | None:
    """The catalog model a mistyped id most likely means (anthropic/claude-opus-4.5 ->
    anthropic/claude-opus-4-5): the search's first hit for the same text, so the check and the
    search never disagree."""
    best = search_catalog(parse_query(model_id, limit=1))
    return best[0].model_id if best else None


def check_compatibility(raw: str, *, suggest: bool = False) -> CompatResult:
    """Whether an id can be added: a catalog model (any letter case), else one LiteLLM can
    route, with the keys it needs. `suggest` names the catalog model a routable id that isn't
    in the catalog probably means."""
    model_id = tidy_model_id(raw)
    error = model_id_error(model_id)
    if error:
        return CompatResult(False, model_id[:MAX_MODEL_ID_LENGTH], error=error)
    provider = provider_of(model_id)

    def refused(error: str) -> CompatResult:
        return CompatResult(False, model_id, provider, error=error)

    if provider == "dn":
        return refused("dn/ models are platform models: your org's allowlist decides those.")
    canonical = catalog_id(model_id)
    if canonical:
        keys = list(required_keys(canonical).names)
        return CompatResult(True, canonical, provider_of(canonical), keys, in_catalog=True)
    if provider not in litellm_providers():
        return refused(
            f"Unknown provider “{provider}”. LiteLLM doesn't route it; check the prefix."
        )
    parts = model_id.split("/")[1:]
    if not parts or not all(_MODEL_PART.match(p) for p in parts):
        return refused("The model name after the provider is empty or malformed.")
    keys = list(required_keys(model_id).names)
    return CompatResult(
        True, model_id, provider, keys, suggestion=near_miss(model_id) if suggest else None
    )
