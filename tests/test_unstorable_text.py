"""Text the database can't store is refused before any view runs, wherever it hides."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Secret
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db
REFUSED = "can't be stored"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"enabled_model_ids": ["openai/gpt-4o\\u0000"]}',
        b'{"enabled_model_ids": ["\\ud83d"]}',
        b'{"enabled_model_ids": ["\\udc00x"]}',
        '{"enabled_model_ids": ["\\u0000"]}'.encode("utf-16"),
        b'{"enabled_model_ids": ["a\xed\xa0\x80"]}',  # a surrogate spelled in UTF-8 bytes
        b'{"enabled_model_ids": [], "note\\u0000": 1}',  # keys too
    ],
)
def test_api_json_with_nul_or_lone_surrogates_is_400(owner, raw):
    body = assert_envelope(ApiClient(owner).patch("/user/preferences", raw=raw), 400)
    assert REFUSED in body["detail"]


def test_deeply_nested_json_is_400_not_a_crash(owner):
    raw = b'{"enabled_model_ids": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    body = assert_envelope(ApiClient(owner).patch("/user/preferences", raw=raw), 400)
    assert "nested too deeply" in body["detail"]


def test_api_path_and_query_are_checked(owner, org):
    api = ApiClient(owner)
    assert_envelope(api.get("/org/ac%00me/members"), 400)
    assert_envelope(api.get("/org/acme/members", query="a\x00"), 400)
    assert_envelope(api.get("/inference/catalog", **{"unknown\x00": "x"}), 400)


def test_a_nul_in_the_session_cookie_is_400(owner):
    for path in ("/settings/chat-models/", "/api/v1/user/secrets"):
        client = Client()
        client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
        assert client.get(path).status_code == 400


def test_page_forms_and_query_strings_get_a_short_plain_answer(client, owner):
    client.force_login(owner)
    response = client.get("/orgs/acme/members/", {"q": "x\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain") and REFUSED in response.text
    response = client.post("/settings/secrets/", {"name": "OPENAI_API_KEY", "value": "a\x00"})
    assert response.status_code == 400
    assert not Secret.objects.exists()


def test_multipart_forms_are_checked_and_ordinary_unicode_passes(client, owner):
    client.force_login(owner)
    response = client.post("/settings/api-keys/", {"name": "ci\x00"})  # multipart
    assert response.status_code == 400
    response = client.post("/settings/api-keys/", {"name": "ünïcødé 🔑 ci"}, follow=True)
    assert response.status_code == 200 and "ünïcødé 🔑 ci" in response.text


def test_a_multipart_body_to_the_api_still_reaches_it(owner):
    api = ApiClient(owner)
    response = api.client.patch(
        "/api/v1/user/preferences",
        data=b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        headers=api.headers,
    )
    assert_envelope(response, 422)
