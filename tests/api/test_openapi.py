"""The published OpenAPI document tells the truth: schemathesis sends generated requests
(valid and invalid) to the running API and checks every answer against the document:
documented status, body and headers, and never a server error."""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja import Header
from ninja.security import django_auth
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import ENV_VAR_NAME_PATTERN, ApiKey
from accounts.presets import PRESET_PROVIDERS
from settings_app.openapi import ApiErrorItem, DocumentedAPI
from tests.helpers import ApiClient, assert_envelope

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def api_key(owner) -> str:
    return ApiKey.issue(user=owner, name="schemathesis")[1]


def _aim_at_our_org(case, member) -> None:
    """Point valid org paths at the caller's org and one of its members, so those operations
    get past 404 and their bodies are exercised too; invalid paths stay as generated."""
    path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    if path is None or path.mode.is_negative:
        return
    if "slug" in case.path_parameters:
        case.path_parameters["slug"] = "acme"
    if "user_id" in case.path_parameters:
        case.path_parameters["user_id"] = str(member.pk)


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's test client keeps it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case, api_key, contributor):
    # Each example also sends a bad key (schemathesis' auth check): start every example below
    # the bad-key throttle, which would otherwise rightly answer 429 after a few dozen.
    cache.clear()
    _aim_at_our_org(case, contributor)
    # A schema-valid request may still be refused for a reason no schema can state (a model
    # that isn't in the catalog, a stale If-Match): that is not a contradiction.
    # A case whose headers are invalid on purpose (an operation that takes only an API key
    # documents the key as required, and a negative case leaves it out) is sent as generated.
    header = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    headers = {} if header is not None and header.mode.is_negative else {"X-API-Key": api_key}
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])


@pytest.fixture(scope="module")
def document() -> dict:
    return schema.raw_schema


def _operations(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def _error_statuses(operation: dict) -> set[int]:
    envelope = "#/components/schemas/ApiError"
    return {
        int(status)
        for status, response in operation["responses"].items()
        if response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        == envelope
    }


def test_every_operation_documents_its_errors_in_the_envelope(document):
    envelope = document["components"]["schemas"]["ApiError"]
    assert set(envelope["required"]) == {"code", "detail", "errors"}
    for method, path, operation in _operations(document):
        errors = _error_statuses(operation)
        assert {401, 429} <= errors, (method, path)
        if "requestBody" in operation:
            assert {413, 422} <= errors, (method, path)
        if "{" in path:
            assert {404, 422} <= errors, (method, path)
        if method != "get":
            assert 403 in errors, (method, path)


def test_operations_added_later_are_documented_too():
    later = DocumentedAPI(urls_namespace="later-api", auth=django_auth)

    @later.put("/things/{thing_id}")
    def put_thing(
        request, thing_id: int, body: ApiErrorItem, if_match: str = Header(None, alias="If-Match")
    ):
        return None

    operation = later.get_openapi_schema(path_prefix="")["paths"]["/things/{thing_id}"]["put"]
    assert _error_statuses(operation) == {400, 401, 403, 404, 412, 413, 422, 429}


def test_conflicts_and_preconditions_are_documented(document):
    paths = document["paths"]
    assert 409 in _error_statuses(paths["/api/v1/user/secrets"]["post"])
    assert 409 in _error_statuses(paths["/api/v1/user/preferences/models"]["post"])
    patch = paths["/api/v1/user/preferences"]["patch"]
    assert 412 in _error_statuses(patch)
    assert any(p["in"] == "header" and p["name"] == "If-Match" for p in patch["parameters"])
    for method, status in [("get", "200"), ("patch", "200"), ("patch", "412")]:
        headers = paths["/api/v1/user/preferences"][method]["responses"][status]["headers"]
        assert headers["ETag"]["required"] is True


def test_secret_names_and_preset_providers_are_in_the_schema(document):
    schemas = document["components"]["schemas"]
    name = schemas["SecretIn"]["properties"]["name"]
    assert name["pattern"] == ENV_VAR_NAME_PATTERN and name["maxLength"] == 128
    assert schemas["PresetIn"]["properties"]["provider"]["enum"] == list(PRESET_PROVIDERS)


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[]", "[null, null]", "42", '"text"', "null"])
def test_every_body_must_be_a_json_object(document, owner, contributor, body):
    client = ApiClient(owner)
    for method, path, operation in _operations(document):
        if "requestBody" not in operation:
            continue
        url = path.format(slug="acme", user_id=contributor.pk, secret_id=uuid.uuid4(), request_id=1)
        response = getattr(client.client, method)(
            url, data=body, content_type="application/json", headers=client.headers
        )
        assert_envelope(response, 422)
