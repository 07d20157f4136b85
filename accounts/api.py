"""JSON API: the caller's platform models, picker preferences and Secrets."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Literal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import quote_etag
from ninja import Field, Header, Router, Schema
from ninja.errors import HttpError

from accounts import services
from accounts.models import ENV_VAR_NAME_PATTERN, MAX_BYOK_MODELS, MAX_SECRET_NAME, Secret
from accounts.picker import (
    PickerModel,
    permitted_platform_models,
    picker_set,
    platform_access,
    platform_entry,
)
from accounts.presets import PresetProvider, preset_env_var, presets_for
from catalog.platform import deployed_models
from catalog.validation import MAX_MODEL_ID_LENGTH
from orgs.access import active_membership
from orgs.requests import latest_by_model
from settings_app.etags import if_match_tags
from settings_app.middleware import error_body
from settings_app.openapi import ApiError
from settings_app.responses import fast_json
from settings_app.types import AuthedRequest

if TYPE_CHECKING:
    from orgs.models import Membership

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
    deprecation_date: date | None = Field(description="The provider retires it on this day")

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


class ModelIdIn(Schema):
    model_id: str = Field(max_length=MAX_MODEL_ID_LENGTH, examples=["anthropic/claude-opus-4-5"])


ETAG_HEADER = {
    "ETag": {
        "description": "The BYOK list's version: send it back in If-Match to change the list "
        "only if nobody else has since.",
        "required": True,
        "schema": {"type": "string"},
    }
}


def _etag_on(*statuses: int) -> dict:
    """openapi_extra documenting the ETag header on these responses."""
    return {"responses": {status: {"headers": ETAG_HEADER} for status in statuses}}


def _membership(request: AuthedRequest, org: str | None) -> Membership | None:
    """The membership whose org decides platform models: ?org=<slug>, else the default."""
    return active_membership(request, org[:50] if org else None)


def _preferences(
    request: AuthedRequest, response: HttpResponse, membership: Membership | None
) -> dict:
    """The preferences document; `response` carries its version as the ETag."""
    picker = picker_set(user=request.user, membership=membership)
    response["ETag"] = quote_etag(services.list_version(picker.enabled_model_ids))
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
def inference(request: AuthedRequest, org: str | None = None):
    models = permitted_platform_models(_membership(request, org), deployed_models())
    return fast_json({"models": [PickerModelOut.from_entry(platform_entry(m)) for m in models]})


@router.get(
    "/user/preferences",
    response=PreferencesOut,
    tags=["user"],
    summary="The picker set: permitted platform models, then the BYOK list",
    openapi_extra=_etag_on(200),
)
def get_preferences(request: AuthedRequest, response: HttpResponse, org: str | None = None):
    # The hot reads build their dicts in the schema's exact shape (PickerModelOut.from_entry),
    # so they skip the schema pass; tests/api/test_openapi.py checks answers against it.
    document = _preferences(request, response, _membership(request, org))
    return fast_json(document, headers={"ETag": response["ETag"]})


@router.patch(
    "/user/preferences",
    response={200: PreferencesOut, 412: ApiError},
    tags=["user"],
    summary="Replace the BYOK list (with If-Match: only if it is still the version you read)",
    openapi_extra=_etag_on(200, 412),
)
def patch_preferences(
    request: AuthedRequest,
    response: HttpResponse,
    body: PreferencesPatch,
    org: str | None = None,
    if_match: str | None = Header(None, alias="If-Match"),
):
    membership = _membership(request, org)
    try:
        services.set_models(
            user=request.user,
            model_ids=body.enabled_model_ids,
            membership=membership,
            expected_versions=if_match_tags(if_match),
        )
    except services.StaleList as exc:
        response["ETag"] = quote_etag(exc.current_version)
        return 412, error_body(412, str(exc))
    return _preferences(request, response, membership)


@router.post(
    "/user/preferences/models",
    response={201: PreferencesOut, 409: ApiError},
    tags=["user"],
    summary="Add one model to the end of the BYOK list (409 if it is already there)",
    openapi_extra=_etag_on(201),
)
def add_preference(
    request: AuthedRequest, response: HttpResponse, body: ModelIdIn, org: str | None = None
):
    membership = _membership(request, org)  # an unknown org: 404 before anything changes
    try:
        services.add_model(user=request.user, model_id=body.model_id)
    except ValidationError as exc:
        if exc.code == "duplicate":
            raise HttpError(409, exc.messages[0]) from None
        raise
    return 201, _preferences(request, response, membership)


@router.delete(
    "/user/preferences/models/{path:model_id}",
    response=PreferencesOut,
    tags=["user"],
    summary="Remove one model from the BYOK list (model ids contain slashes; send them as is)",
    openapi_extra=_etag_on(200),
)
def remove_preference(
    request: AuthedRequest, response: HttpResponse, model_id: str, org: str | None = None
):
    membership = _membership(request, org)
    try:
        services.remove_model(user=request.user, model_id=model_id, membership=membership)
    except ValidationError as exc:
        if exc.code == "missing":
            raise HttpError(404, exc.messages[0]) from None
        raise
    return _preferences(request, response, membership)


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
    name: str = Field(
        max_length=MAX_SECRET_NAME,
        pattern=ENV_VAR_NAME_PATTERN,
        description="An environment variable name; stored upper-cased",
        examples=["ANTHROPIC_API_KEY"],
    )
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
    provider: PresetProvider
    value: str = Field(max_length=services.MAX_SECRET_VALUE * 2)


@router.get("/user/secrets", response=SecretList, tags=["secrets"])
def list_secrets(request: AuthedRequest):
    secrets = list(request.user.secrets.all())
    return {"secrets": secrets, "total": len(secrets)}


@router.post(
    "/user/secrets",
    response={201: SecretOut, 409: ApiError},
    tags=["secrets"],
    summary="Create a secret (409 if the name exists: PUT its id to replace)",
)
def create_secret(request: AuthedRequest, body: SecretIn):
    name = services.clean_secret_name(body.name)
    if request.user.secrets.filter(name=name).exists():
        raise HttpError(409, f"You already have {name}. PUT /user/secrets/{{id}} to replace it.")
    return 201, services.save_secret(user=request.user, name=name, value=body.value, replace=False)


@router.get("/user/secrets/presets", response=PresetList, tags=["secrets"])
def list_presets(request: AuthedRequest):
    saved = set(request.user.secrets.values_list("name", flat=True))
    return {"presets": presets_for(saved)}


@router.post(
    "/user/secrets/preset",
    response={201: SecretOut},
    tags=["secrets"],
    summary="Set a provider's key (creates or replaces its env var)",
)
def create_from_preset(request: AuthedRequest, body: PresetIn):
    return 201, services.save_secret(
        user=request.user, name=preset_env_var(body.provider), value=body.value
    )


@router.get("/user/secrets/{secret_id}", response=SecretOut, tags=["secrets"])
def get_secret(request: AuthedRequest, secret_id: UUID):
    return get_object_or_404(Secret, pk=secret_id, user=request.user)


@router.put("/user/secrets/{secret_id}", response=SecretOut, tags=["secrets"])
def replace_secret(request: AuthedRequest, secret_id: UUID, body: SecretValueIn):
    secret = get_object_or_404(Secret, pk=secret_id, user=request.user)
    return services.replace_secret_value(secret=secret, value=body.value)


@router.delete("/user/secrets/{secret_id}", response={204: None}, tags=["secrets"])
def delete_secret(request: AuthedRequest, secret_id: UUID):
    get_object_or_404(Secret, pk=secret_id, user=request.user).delete()
    return 204, None


class AccessRequestRef(Schema):
    id: int
    status: str


class ModelAccessRow(Schema):
    id: str
    name: str
    allowed: bool
    reason: Literal[
        "unrestricted", "listed", "group", "not_listed", "owner", "no_platform_access"
    ] = Field(description="group: one of the caller's groups gives it (not their own list)")
    request: AccessRequestRef | None


class InferenceAccessOut(Schema):
    restricted: bool
    models: list[ModelAccessRow]


@router.get(
    "/inference/access",
    response=InferenceAccessOut,
    tags=["inference"],
    summary="Every deployed platform model, whether the caller may use it and why",
)
def inference_access(request: AuthedRequest, org: str | None = None):
    membership = _membership(request, org)
    latest = latest_by_model(membership)
    rows = [r for r in platform_access(membership, deployed_models()) if r.model is not None]
    return {
        "restricted": membership is not None and membership.is_restricted,
        "models": [
            {
                "id": r.id,
                "name": r.name,
                "allowed": r.allowed,
                "reason": r.reason,
                "request": {"id": q.pk, "status": q.status} if (q := latest.get(r.id)) else None,
            }
            for r in rows
        ],
    }
