"""JSON API: the catalog search and the compatibility check."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from catalog.search import MAX_LIMIT, MAX_QUERY_LENGTH, parse_query, search_catalog
from catalog.validation import check_compatibility

router = Router(tags=["inference"])


class CatalogModelOut(Schema):
    id: str = Field(validation_alias="model_id")
    name: str = Field(validation_alias="display_name")
    provider: str
    context_window: int | None
    max_output: int | None
    cost_input: float | None = Field(description="USD per 1M input tokens")
    cost_output: float | None = Field(description="USD per 1M output tokens")
    capabilities: list[str]
    modalities_input: list[str]
    modalities_output: list[str]
    knowledge_cutoff: date | None
    deprecation_date: date | None = Field(description="The provider retires it on this day")
    open_weights: bool


class CatalogOut(Schema):
    models: list[CatalogModelOut]


class CatalogFilters(Schema):
    query: str = Field("", max_length=MAX_QUERY_LENGTH)
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    provider: str | None = Field(None, max_length=64)
    capabilities: str | None = Field(None, max_length=500, description="Comma-separated")
    open_weights: bool | None = None
    min_context: int | None = Field(None, ge=0)
    max_context: int | None = Field(None, ge=0)
    min_price: float | None = Field(None, ge=0)
    max_price: float | None = Field(None, ge=0)
    featured: bool | None = None
    include_retired: bool = Field(
        True, description="False hides models past their deprecation date"
    )


class ValidateIn(Schema):
    model_id: str = Field(max_length=10_000)


class ValidateOut(Schema):
    valid: bool
    model_id: str
    provider: str | None
    required_api_keys: list[str]
    error: str | None


@router.get("/inference/catalog", response=CatalogOut, summary="Search the model catalog")
def catalog(request: HttpRequest, filters: Query[CatalogFilters]):
    data = filters.dict()
    caps = [c.strip() for c in (data.pop("capabilities") or "").split(",") if c.strip()]
    params = parse_query(data.pop("query"), capabilities=caps, **data)
    return {"models": search_catalog(params)}


@router.post("/inference/validate", response=ValidateOut, summary="LiteLLM compatibility check")
def validate(request: HttpRequest, body: ValidateIn):
    return check_compatibility(body.model_id).as_dict()
