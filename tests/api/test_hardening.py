"""The API under abuse: anonymous writes, bad keys in bulk, and bugs still answer the envelope."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import Client

from settings_app.throttle import API_KEY_FAILURE_LIMIT
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/user/secrets"),
        ("patch", "/api/v1/user/preferences"),
        ("put", "/api/v1/org/acme/members/6f1c1c1e-0000-4000-8000-000000000000"),
        ("delete", "/api/v1/user/secrets/6f1c1c1e-0000-4000-8000-000000000000"),
    ],
)
def test_anonymous_writes_are_told_to_authenticate_not_about_csrf(method, path):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert "X-API-Key" in assert_envelope(response, 401)["detail"]


def test_an_unexpected_error_in_production_is_the_json_envelope(
    contributor, settings, monkeypatch, caplog
):
    settings.DEBUG = False

    def broken(saved):
        raise RuntimeError("a bug")

    monkeypatch.setattr("accounts.api.presets_for", broken)
    api = ApiClient(contributor)
    api.client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = api.get("/user/secrets/presets")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "a bug" not in assert_envelope(response, 500)["detail"]
    assert any(record.exc_info and "a bug" in str(record.exc_info[1]) for record in caplog.records)


def test_repeated_bad_keys_from_one_address_are_throttled(contributor):
    responses = [ApiClient(key=f"dnk_guess{i}").get("/user/preferences") for i in range(30)]
    assert [r.status_code for r in responses] == [401] * API_KEY_FAILURE_LIMIT + [429] * (
        30 - API_KEY_FAILURE_LIMIT
    )
    throttled = assert_envelope(responses[-1], 429)
    assert "try again" in throttled["detail"] and responses[-1]["Retry-After"] == "60"
    # A good key from the same address still works; another address is not throttled.
    assert ApiClient(contributor).get("/user/preferences").status_code == 200
    other = ApiClient(key="dnk_guess").client.get(
        "/api/v1/user/preferences", headers={"X-API-Key": "dnk_guess"}, REMOTE_ADDR="10.0.0.2"
    )
    assert_envelope(other, 401)


def test_malformed_keys_count_without_a_database_lookup(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = ApiClient(key="not a key at all ✗").get("/user/secrets")
    assert_envelope(response, 401)


def test_a_request_django_refuses_before_the_api_is_still_the_envelope(contributor):
    too_many_fields = "&".join(
        f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 100)
    )
    assert_envelope(
        ApiClient(contributor).client.get(f"/api/v1/user/secrets?{too_many_fields}"), 400
    )
