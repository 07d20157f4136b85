"""API keys page: shown once, stored hashed, revocable."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import ApiKey

pytestmark = pytest.mark.django_db
PAGE = "/settings/api-keys/"


def test_access_matrix(client, contributor, reader):
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    client.force_login(contributor)
    assert client.get(PAGE + "new/").status_code == 405
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(contributor)
    assert csrf.post(PAGE + "new/", {"name": "x"}).status_code == 403
    key, _ = ApiKey.issue(user=reader, name="theirs")
    assert client.post(f"{PAGE}{key.pk}/revoke/").status_code == 404
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


def test_create_shows_the_key_once_and_stores_a_hash(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE + "new/", {"name": "laptop"})
    raw = re.search(r'id="new-key-value">([^<]+)<', response.content.decode()).group(1)
    key = ApiKey.objects.get()
    assert raw.startswith("dnk_") and key.key_hash == ApiKey.hash(raw) and raw not in key.key_hash
    assert response["Cache-Control"] == "no-store"
    assert raw not in client.get(PAGE).content.decode()
    assert key.prefix in client.get(PAGE).content.decode()


def test_blank_name_is_explained(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE + "new/", {"name": "  "})
    assert "Name the key" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoke(client, contributor):
    key, _ = ApiKey.issue(user=contributor, name="old")
    client.force_login(contributor)
    response = client.post(f"{PAGE}{key.pk}/revoke/", follow=True)
    assert "Revoked" in response.content.decode()
    assert ApiKey.objects.get().revoked_at is not None


def test_create_api_key_command_prints_the_key_alone_on_the_last_line(contributor):
    out = io.StringIO()
    call_command("create_api_key", "MEMBER@example.com", "--name", "ci", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("dnk_") and " " not in last
    assert ApiKey.objects.get(name="ci").key_hash == ApiKey.hash(last)
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_key", "nobody@example.com", stdout=out)
