"""The API's browsable reference at /api/v1/docs: the OpenAPI document rendered by a Django
template in the app's own layout, so it reads without JavaScript and passes the same
accessibility checks as every other page. Tools read the document itself (openapi.json)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")


def type_of(schema: dict[str, Any]) -> str:
    """A JSON schema as one short phrase: `string`, `list of ModelIdIn`, `integer or null`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_of(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {type_of(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    return schema.get("format") or schema.get("type") or "any"


def _body(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    return next((type_of(media.get("schema", {})) for media in content.values()), "")


def _responses(operation: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {})
        schema = next((media.get("schema", {}) for media in content.values()), None)
        rows.append({**response, "status": str(status), "type": type_of(schema) if schema else ""})
    return sorted(rows, key=lambda row: row["status"])


def sections(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations grouped by tag, in the document's order."""
    by_tag: dict[str, list[dict[str, Any]]] = {}
    for path, operations in schema.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            by_tag.setdefault((operation.get("tags") or ["api"])[0], []).append(
                {
                    **operation,  # summary, description
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "parameters": [
                        {**parameter, "type": type_of(parameter.get("schema", {}))}
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _body(operation),
                    "responses": _responses(operation),
                }
            )
    return [{"tag": tag, "operations": operations} for tag, operations in by_tag.items()]


def models(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every named schema with its fields."""
    result = []
    for name, model in schema.get("components", {}).get("schemas", {}).items():
        required = set(model.get("required", []))
        fields = [
            {**spec, "name": field, "type": type_of(spec), "required": field in required}
            for field, spec in model.get("properties", {}).items()
        ]
        result.append({**model, "name": name, "fields": fields})
    return result


class Reference(DocsBase):
    """django-ninja's docs page, rendered on the server."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "info": schema["info"],
            "openapi_url": self.get_openapi_url(api, kwargs),
            "sections": sections(schema),
            "models": models(schema),
        }
        return render(request, "api_reference.html", context)
