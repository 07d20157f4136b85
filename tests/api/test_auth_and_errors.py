"""API authentication and the error envelope on every kind of failure."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiKey
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db
ENDPOINTS = [
    ("get", "/inference"),
    ("get", "/inference/catalog"),
    ("post", "/inference/validate"),
    ("get", "/user/preferences"),
    ("patch", "/user/preferences"),
    ("get", "/user/secrets"),
    ("post", "/user/secrets"),
    ("get", "/user/secrets/presets"),
    ("post", "/user/secrets/preset"),
    ("get", "/user/secrets/6f1c1c1e-0000-4000-8000-000000000000"),
    ("get", "/org/acme/members"),
    ("put", "/org/acme/members/6f1c1c1e-0000-4000-8000-000000000000/model-access"),
    ("put", "/org/acme/members/6f1c1c1e-0000-4000-8000-000000000000"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_needs_an_api_key(method, path):
    body = assert_envelope(getattr(ApiClient(), method)(path), 401)
    assert "X-API-Key" in body["detail"]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_refuses_an_unknown_api_key(method, path):
    body = assert_envelope(getattr(ApiClient(key="dnk_not-a-real-key"), method)(path), 401)
    assert body["detail"] == "Unknown or revoked API key."


def test_revoked_key_is_401_even_with_a_session(contributor):
    key, raw = ApiKey.issue(user=contributor, name="old")
    key.revoked_at = timezone.now()
    key.save()
    client = ApiClient(key=raw)
    client.client.force_login(contributor)
    body = assert_envelope(client.get("/user/preferences"), 401)
    assert body["detail"] == "Unknown or revoked API key."


def test_last_used_is_recorded_without_a_write_per_request(contributor, django_assert_num_queries):
    client = ApiClient(contributor)
    client.get("/user/secrets")
    key = ApiKey.objects.get()
    assert key.last_used_at is not None
    with django_assert_num_queries(2):  # key lookup + secrets; no UPDATE this time
        client.get("/user/secrets")


def test_a_browser_session_can_read(contributor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    assert client.get("/api/v1/user/preferences").status_code == 200


def test_a_browser_session_cannot_write_without_the_csrf_token(contributor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(contributor)
    response = client.patch(
        "/api/v1/user/preferences",
        data='{"enabled_model_ids": []}',
        content_type="application/json",
    )
    assert "CSRF" in assert_envelope(response, 403)["detail"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/nope", 404),
        ("delete", "/user/preferences", 405),
        ("post", "/inference", 405),
    ],
)
def test_unknown_paths_and_wrong_methods_use_the_envelope(contributor, method, path, status):
    assert_envelope(getattr(ApiClient(contributor), method)(path), status)


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b'{"enabled_model_ids": ', "body"),
        (b"[1, 2", "body"),
        (b'{"enabled_model_ids": "openai/gpt-4o"}', "enabled_model_ids"),
        (b'{"enabled_model_ids": null}', "enabled_model_ids"),
        (b'{"enabled_model_ids": [1, 2]}', "enabled_model_ids"),
        (b"{}", "enabled_model_ids"),
        (b'"just a string"', "body"),
    ],
)
def test_malformed_and_mistyped_bodies_are_422(contributor, raw, where):
    body = assert_envelope(ApiClient(contributor).patch("/user/preferences", raw=raw), 422)
    assert body["errors"] and any(where in [str(p) for p in e["loc"]] for e in body["errors"])


def test_huge_bodies_are_413(contributor):
    raw = b'{"enabled_model_ids": ["' + b"a" * 400_000 + b'"]}'
    assert_envelope(ApiClient(contributor).patch("/user/preferences", raw=raw), 413)


def test_openapi_document_and_docs_are_published():
    client = Client()
    spec = client.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/v1/inference",
        "/api/v1/inference/catalog",
        "/api/v1/inference/validate",
        "/api/v1/user/preferences",
        "/api/v1/user/secrets",
        "/api/v1/user/secrets/presets",
        "/api/v1/user/secrets/preset",
        "/api/v1/user/secrets/{secret_id}",
        "/api/v1/org/{slug}/members",
        "/api/v1/org/{slug}/members/{user_id}/model-access",
        "/api/v1/org/{slug}/members/{user_id}",
    } <= paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()
