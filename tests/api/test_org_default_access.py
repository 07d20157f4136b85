"""GET / PUT /org/{slug}: the org and its model access for new members."""

from __future__ import annotations

import pytest
from django.test import Client

from orgs.models import ModelAccessEvent, Organization
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db
PATH = "/org/acme"


def default():
    return Organization.objects.get(slug="acme").default_allowed_model_ids


def snapshot() -> tuple:
    return default(), ModelAccessEvent.objects.count()


@pytest.mark.parametrize("method", ["get", "put"])
def test_anonymous_gets_401(org, method):
    assert_envelope(ApiClient().call(method, PATH, {"default_allowed_model_ids": []}), 401)
    assert snapshot() == (None, 0)


@pytest.mark.parametrize("method", ["get", "put"])
def test_outsider_gets_404(outsider, org, method):
    response = ApiClient(outsider).call(method, PATH, {"default_allowed_model_ids": []})
    assert_envelope(response, 404)
    assert snapshot() == (None, 0)


@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_reads_but_cannot_write(request, persona):
    client = ApiClient(request.getfixturevalue(persona))
    assert client.get(PATH).json() == {
        "slug": "acme",
        "name": "Acme Corp",
        "default_allowed_model_ids": None,
    }
    assert_envelope(client.put(PATH, {"default_allowed_model_ids": []}), 403)
    assert snapshot() == (None, 0)


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_unserved_methods_get_405(owner, method):
    assert_envelope(ApiClient(owner).call(method, PATH, {}), 405)


def test_session_write_without_csrf_token_is_refused(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.put(
        "/api/v1" + PATH, {"default_allowed_model_ids": []}, content_type="application/json"
    )
    assert_envelope(response, 403)
    assert snapshot() == (None, 0)


@pytest.mark.parametrize("value", [[], ["dn/gpt-5.2"], None])
def test_owner_sets_the_default(owner, org, platform_models, value):
    org.default_allowed_model_ids = ["dn/claude-opus-4-6"]
    org.save()
    response = ApiClient(owner).put(PATH, {"default_allowed_model_ids": value})
    assert response.status_code == 200
    assert response.json() == {
        "slug": "acme",
        "name": "Acme Corp",
        "default_allowed_model_ids": value,
    }
    assert default() == value
    event = ModelAccessEvent.objects.get()
    assert (event.kind, event.via, event.after) == ("default_access", "api", value)


@pytest.mark.parametrize(
    "body",
    [
        {"default_allowed_model_ids": ["dn/nope"]},
        {"default_allowed_model_ids": "all"},
        {"default_allowed_model_ids": [1]},
        {},
        [],
    ],
)
def test_invalid_bodies_are_refused(owner, platform_models, body):
    assert_envelope(ApiClient(owner).put(PATH, body), 422)
    assert snapshot() == (None, 0)
