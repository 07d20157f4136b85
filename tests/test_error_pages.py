"""Pages' errors look like the app, say what happened and link back; the API keeps JSON."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path

from settings_app.urls import urlpatterns as app_urls

pytestmark = pytest.mark.django_db
BACK = 'href="/settings/chat-models/"'


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), *app_urls]


def _styled(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert "/static/css/app.css" in html and f"Error {status}" in html
    assert heading in html and BACK in html
    return html


@override_settings(DEBUG=False)
def test_403(client, reader):
    client.force_login(reader)
    _styled(client.get("/orgs/acme/audit/"), 403, "You can't do that here")


@override_settings(DEBUG=False)
def test_404(client, contributor):
    client.force_login(contributor)
    _styled(client.get("/orgs/globex/members/"), 404, "Page not found")


@override_settings(DEBUG=False)
def test_405_keeps_the_allow_header(client, contributor):
    client.force_login(contributor)
    response = client.get("/settings/chat-models/add/")
    _styled(response, 405, "This address only takes a form")
    assert response["Allow"] == "POST"


def test_405_under_the_api_stays_json(client, contributor):
    client.force_login(contributor)
    response = client.delete("/api/v1/inference")
    assert response.status_code == 405 and response["Content-Type"] == "application/json"


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_500_renders_without_a_request_context(contributor):
    client = Client(raise_request_exception=False)
    client.force_login(contributor)
    _styled(client.get("/boom/"), 500, "Something went wrong on our side")
