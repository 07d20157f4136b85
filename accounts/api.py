"""JSON API: the caller's platform models, picker preferences and Secrets."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from accounts import services
from accounts.models import MAX_BYOK_MODELS, Secret
from accounts.picker import PickerModel, permitted_platform_models, picker_set, platform_entry
from accounts.presets import preset_env_var, presets_for
from catalog.platform import deployed_models
from orgs.access import active_membership

router = Router()


class PickerModelOut(Schema):
    id: str
    name: str
    provider: str
    is_system_model: bool
    has_required_keys: bool
    required_api_keys: list[str]
    context_window: int | None
    max_output: int | None
    cost_input: float | None
    cost_output: float | None
    capabilities: list[str]
    modalities_input: list[str]
    modalities_output: list[str]
    knowledge_cutoff: date | None

    @staticmethod
    def from_entry(m: PickerModel) -> dict:
        return {name: getattr(m, name) for name in PickerModelOut.model_fields}


class InferenceOut(Schema):
    models: list[PickerModelOut]


class PreferencesOut(Schema):
    enabled_model_ids: list[str]
    access_restricted: bool
    inference_credits_per_dollar: int
    models: list[PickerModelOut]


class PreferencesPatch(Schema):
    enabled_model_ids: list[str] = Field(max_length=MAX_BYOK_MODELS * 5)


def _membership(request, org: str | None):
    """The membership whose org decides platform models: ?org=<slug>, else the default."""
    return active_membership(request, org[:50] if org else None)


def _preferences(request, org: str | None) -> dict:
    picker = picker_set(user=request.user, membership=_membership(request, org))
    return {
        "enabled_model_ids": picker.enabled_model_ids,
        "access_restricted": picker.restricted,
        "inference_credits_per_dollar": settings.INFERENCE_CREDITS_PER_DOLLAR,
        "models": [PickerModelOut.from_entry(m) for m in picker.models],
    }


@router.get(
    "/inference",
    response=InferenceOut,
    tags=["inference"],
    summary="Platform models the caller may use",
)
def inference(request, org: str | None = None):
    models = permitted_platform_models(_membership(request, org), deployed_models())
    return {"models": [PickerModelOut.from_entry(platform_entry(m)) for m in models]}


@router.get(
    "/user/preferences",
    response=PreferencesOut,
    tags=["user"],
    summary="The picker set: permitted platform models, then the BYOK list",
)
def get_preferences(request, org: str | None = None):
    return _preferences(request, org)


@router.patch(
    "/user/preferences", response=PreferencesOut, tags=["user"], summary="Replace the BYOK list"
)
def patch_preferences(request, body: PreferencesPatch, org: str | None = None):
    membership = _membership(request, org)
    services.set_models(user=request.user, model_ids=body.enabled_model_ids, membership=membership)
    return _preferences(request, org)


# Secrets -----------------------------------------------------------------------------------


class SecretOut(Schema):
    id: UUID
    name: str
    provider: str
    masked_value: str
    created_at: datetime
    updated_at: datetime


class SecretList(Schema):
    secrets: list[SecretOut]
    total: int


class SecretIn(Schema):
    name: str = Field(max_length=1_000)
    value: str = Field(max_length=services.MAX_SECRET_VALUE * 2)


class SecretValueIn(Schema):
    value: str = Field(max_length=services.MAX_SECRET_VALUE * 2)


class PresetOut(Schema):
    provider: str
    env_var_name: str
    configured: bool


class PresetList(Schema):
    presets: list[PresetOut]


class PresetIn(Schema):
    provider: str = Field(max_length=64)
    value: str = Field(max_length=services.MAX_SECRET_VALUE * 2)


@router.get("/user/secrets", response=SecretList, tags=["secrets"])
def list_secrets(request):
    secrets = list(request.user.secrets.all())
    return {"secrets": secrets, "total": len(secrets)}


@router.post(
    "/user/secrets",
    response={201: SecretOut},
    tags=["secrets"],
    summary="Create a secret (409 if the name exists: PUT its id to replace)",
)
def create_secret(request, body: SecretIn):
    name = services.clean_secret_name(body.name)
    if request.user.secrets.filter(name=name).exists():
        raise HttpError(409, f"You already have {name}. PUT /user/secrets/{{id}} to replace it.")
    return 201, services.save_secret(user=request.user, name=name, value=body.value, replace=False)


@router.get("/user/secrets/presets", response=PresetList, tags=["secrets"])
def list_presets(request):
    saved = set(request.user.secrets.values_list("name", flat=True))
    return {"presets": presets_for(saved)}


@router.post(
    "/user/secrets/preset",
    response={201: SecretOut},
    tags=["secrets"],
    summary="Set a provider's key (creates or replaces its env var)",
)
def create_from_preset(request, body: PresetIn):
    name = preset_env_var(body.provider.strip().lower())
    if name is None:
        raise HttpError(422, f"No preset for provider {body.provider[:64]!r}.")
    return 201, services.save_secret(user=request.user, name=name, value=body.value)


@router.get("/user/secrets/{secret_id}", response=SecretOut, tags=["secrets"])
def get_secret(request, secret_id: UUID):
    return get_object_or_404(Secret, pk=secret_id, user=request.user)


@router.put("/user/secrets/{secret_id}", response=SecretOut, tags=["secrets"])
def replace_secret(request, secret_id: UUID, body: SecretValueIn):
    secret = get_object_or_404(Secret, pk=secret_id, user=request.user)
    return services.replace_secret_value(secret=secret, value=body.value)


@router.delete("/user/secrets/{secret_id}", response={204: None}, tags=["secrets"])
def delete_secret(request, secret_id: UUID):
    get_object_or_404(Secret, pk=secret_id, user=request.user).delete()
    return 204, None
