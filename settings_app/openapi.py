"""Every operation's documented errors in the envelope: those that follow from its declaration
(auth, parameters, a body, If-Match) are added here; others (409) are declared with `ApiError`.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema

REF_TEMPLATE = "#/components/schemas/{model}"
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


class ApiErrorItem(Schema):
    loc: list[str | int] = Field(description="Where the problem is: body, query, path, header")
    msg: str


class ApiError(Schema):
    code: int = Field(description="The HTTP status code, repeated")
    detail: str = Field(description="What was wrong and what to do")
    errors: list[ApiErrorItem]


def _applies(method: str, path: str, operation: dict[str, Any]) -> dict[int, str]:
    """The error statuses an operation can answer, judged by its declaration."""
    params = operation.get("parameters", [])
    located = {(p["in"], p["name"].lower()) for p in params}
    has_body = "requestBody" in operation
    # The unstorable-text guard reads every request (query, form, JSON, cookies) first.
    statuses: dict[int, str] = {
        400: "The request holds a character that can't be stored (NUL, unpaired surrogate)."
    }
    if operation.get("security"):
        statuses[401] = "No credentials, or an unknown or revoked API key."
    if method in UNSAFE_METHODS or "{slug}" in path:
        statuses[403] = "A session write without its CSRF token, or a role too low for this."
    if any(where == "path" for where, _ in located) or ("query", "org") in located:
        statuses[404] = "No such object, or an organization you don't belong to."
    if ("header", "if-match") in located:
        statuses[412] = "If-Match names a version that is no longer current: read it again."
    if has_body:
        statuses[413] = "The request body is too large."
    if params or has_body:
        statuses[422] = "The request is not valid; `errors` says where."
    if operation.get("security"):
        statuses[429] = "Too many failed authentication attempts from this address."
    return statuses


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the envelope component and each operation's error responses to `schema`."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    envelope = ApiError.model_json_schema(ref_template=REF_TEMPLATE)
    components.update(envelope.pop("$defs", {}))
    components[ApiError.__name__] = envelope
    content = {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ApiError")}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, description in _applies(method, path, operation).items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": content}
    return schema


class DocumentedAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document states the error envelope of every operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema
