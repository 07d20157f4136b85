"""Model id checks: well-formed ids and LiteLLM compatibility, for services, views and the API."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from catalog.providers import litellm_providers, provider_of, required_keys

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

    def as_dict(self) -> dict:
        return asdict(self)


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


def check_compatibility(raw: str) -> CompatResult:
    """Whether LiteLLM can route an id that isn't in the catalog, and which keys it needs."""
    model_id = (raw or "").strip()
    error = model_id_error(model_id)
    if error:
        return CompatResult(False, model_id[:MAX_MODEL_ID_LENGTH], error=error)
    provider = provider_of(model_id)
    if provider == "dn":
        return CompatResult(
            False,
            model_id,
            provider,
            error="dn/ models are platform models: your org's allowlist decides those.",
        )
    if provider not in litellm_providers():
        return CompatResult(
            False,
            model_id,
            provider,
            error=f"Unknown provider “{provider}”. LiteLLM doesn't route it; check the prefix.",
        )
    parts = model_id.split("/")[1:]
    if not parts or not all(_MODEL_PART.match(p) for p in parts):
        return CompatResult(
            False,
            model_id,
            provider,
            error="The model name after the provider is empty or malformed.",
        )
    return CompatResult(True, model_id, provider, list(required_keys(model_id).names))
