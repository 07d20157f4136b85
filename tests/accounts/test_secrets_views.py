"""Secrets page: write-only values, masking, presets, warnings; the plaintext never leaks."""

from __future__ import annotations

import logging
from html import unescape

import pytest
from django.test import Client

from accounts.models import EnabledModel, Secret
from accounts.services import save_secret

pytestmark = pytest.mark.django_db
PAGE = "/settings/secrets/"
VALUE = "sk-ant-api03-TOPSECRET-value-0123456789"


def test_access_matrix(client, contributor, reader):
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    assert client.post(PAGE + "new/")["Location"].startswith("/accounts/login/")
    client.force_login(contributor)
    assert client.get(PAGE + "new/").status_code == 405
    assert client.post(PAGE).status_code == 405
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(contributor)
    assert csrf.post(PAGE + "new/", {"name": "A", "value": "b" * 20}).status_code == 403
    assert not Secret.objects.exists()
    # Someone else's secret is simply not there.
    other = save_secret(user=reader, name="OPENAI_API_KEY", value=VALUE)
    assert client.post(f"{PAGE}{other.pk}/delete/").status_code == 404
    assert client.post(f"{PAGE}{other.pk}/replace/", {"value": "x" * 20}).status_code == 404
    assert Secret.objects.get(pk=other.pk).reveal() == VALUE


def test_prefill_from_query_string(client, contributor):
    client.force_login(contributor)
    html = client.get(PAGE, {"name": "ANTHROPIC_API_KEY"}).content.decode()
    assert 'value="ANTHROPIC_API_KEY"' in html


def test_create_normalises_and_masks(client, contributor, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(contributor)
    response = client.post(
        PAGE + "new/", {"name": "anthropic_api_key", "value": VALUE}, follow=True
    )
    html = response.content.decode()
    secret = Secret.objects.get(user=contributor)
    assert secret.name == "ANTHROPIC_API_KEY" and secret.provider == "anthropic"
    assert "sk••••89" in html and "won't be shown again" in unescape(html)
    assert VALUE not in html and "TOPSECRET" not in html
    assert VALUE not in caplog.text


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("1BAD", "v" * 20, "Use an environment variable name"),
        ("HAS SPACE", "v" * 20, "Use an environment variable name"),
        ("ÜNICODE", "v" * 20, "Use an environment variable name"),
        ("A" * 129, "v" * 20, "at most 128"),
        ("", "v" * 20, "Enter a name"),
        ("OK_NAME", "", "Enter the value"),
        ("OK_NAME", "v" * 10_001, "at most 10000"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(client, contributor, name, value, message):
    client.force_login(contributor)
    response = client.post(PAGE + "new/", {"name": name, "value": value})
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not Secret.objects.exists()
    if value:
        assert value not in response.content.decode()


def test_duplicate_name_is_refused_and_value_kept(client, contributor):
    save_secret(user=contributor, name="OPENAI_API_KEY", value=VALUE)
    client.force_login(contributor)
    response = client.post(PAGE + "new/", {"name": "openai_api_key", "value": "other-value-123"})
    assert "already have OPENAI_API_KEY" in response.content.decode()
    assert Secret.objects.get().reveal() == VALUE


def test_replace_value(client, contributor):
    secret = save_secret(user=contributor, name="OPENAI_API_KEY", value=VALUE)
    client.force_login(contributor)
    response = client.post(
        f"{PAGE}{secret.pk}/replace/", {"value": "sk-new-value-abcdef999"}, follow=True
    )
    assert "Replaced the value" in response.content.decode()
    secret.refresh_from_db()
    assert secret.reveal() == "sk-new-value-abcdef999" and secret.masked_value == "sk••••99"
    response = client.post(f"{PAGE}{secret.pk}/replace/", {"value": ""})
    assert "Enter the value to store" in response.content.decode()


def test_delete_warns_when_enabled_models_need_it(client, contributor):
    secret = save_secret(user=contributor, name="ANTHROPIC_API_KEY", value=VALUE)
    EnabledModel.objects.create(user=contributor, model_id="anthropic/claude-opus-4-5")
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert "anthropic/claude-opus-4-5" in html  # which models it satisfies
    response = client.post(f"{PAGE}{secret.pk}/delete/")
    assert response.status_code == 200
    assert "is needed by 1 of your models" in response.content.decode()
    assert Secret.objects.filter(pk=secret.pk).exists()
    client.post(f"{PAGE}{secret.pk}/delete/", {"confirm": "yes"})
    assert not Secret.objects.filter(pk=secret.pk).exists()


def test_delete_without_dependents_needs_no_confirmation(client, contributor):
    secret = save_secret(user=contributor, name="UNUSED_TOKEN", value=VALUE)
    client.force_login(contributor)
    client.post(f"{PAGE}{secret.pk}/delete/")
    assert not Secret.objects.exists()


def test_presets_show_configured_state(client, contributor):
    save_secret(user=contributor, name="OPENAI_API_KEY", value=VALUE)
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert "OPENAI_API_KEY ✓" in html and "?name=ANTHROPIC_API_KEY" in html


def test_plaintext_never_appears_on_any_page(client, contributor, staff, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(contributor)
    client.post(PAGE + "new/", {"name": "ANTHROPIC_API_KEY", "value": VALUE})
    EnabledModel.objects.create(user=contributor, model_id="anthropic/claude-opus-4-5")
    pages = [PAGE, "/settings/chat-models/", "/settings/api-keys/", "/orgs/acme/members/"]
    for url in pages:
        assert VALUE not in client.get(url).content.decode()
    client.force_login(staff)
    for url in ("/admin/accounts/secret/", "/admin/accounts/user/"):
        assert VALUE not in client.get(url).content.decode()
    assert VALUE not in caplog.text
