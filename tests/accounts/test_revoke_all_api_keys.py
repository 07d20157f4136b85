"""API keys page: "Revoke all my API keys", confirmed in a disclosure that works without JS."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import ApiKey
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db
PAGE = "/settings/api-keys/"
REVOKE_ALL = PAGE + "revoke-all/"


def test_anonymous_is_sent_to_login(client):
    assert client.post(REVOKE_ALL)["Location"].startswith("/accounts/login/")


def test_get_is_not_allowed(client, contributor):
    client.force_login(contributor)
    assert client.get(REVOKE_ALL).status_code == 405


def test_post_needs_the_csrf_token(contributor):
    ApiKey.issue(user=contributor, name="laptop")
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(contributor)
    assert csrf.post(REVOKE_ALL).status_code == 403
    assert ApiKey.objects.get().revoked_at is None


def test_revokes_every_active_key_of_the_caller_only(client, contributor, reader):
    _, laptop = ApiKey.issue(user=contributor, name="laptop")
    ApiKey.issue(user=contributor, name="ci")
    old, _ = ApiKey.issue(user=contributor, name="old")
    ApiKey.objects.filter(pk=old.pk).update(revoked_at="2020-01-01T00:00Z")
    _, theirs = ApiKey.issue(user=reader, name="theirs")
    client.force_login(contributor)
    response = client.post(REVOKE_ALL, follow=True)
    assert "Revoked all 2 of your keys." in response.content.decode()
    assert not contributor.api_keys.filter(revoked_at__isnull=True).exists()
    assert ApiKey.objects.get(pk=old.pk).revoked_at.year == 2020
    assert_envelope(ApiClient(key=laptop).get("/user/secrets"), 401)
    assert ApiClient(key=theirs).get("/user/secrets").status_code == 200


def test_with_no_active_key_says_so(client, contributor):
    client.force_login(contributor)
    assert "You have no active keys." in client.post(REVOKE_ALL, follow=True).content.decode()


def test_the_confirmation_is_a_disclosure_with_the_real_form(client, contributor):
    client.force_login(contributor)
    assert 'id="revoke-all"' not in client.get(PAGE).content.decode()
    ApiKey.issue(user=contributor, name="laptop")
    html = client.get(PAGE).content.decode()
    disclosure = re.search(r'<details class="reset" id="revoke-all">(.*?)</details>', html, re.S)
    assert disclosure is not None
    assert "Revoke all my API keys" in disclosure.group(1)
    assert f'<form method="post" action="{REVOKE_ALL}">' in disclosure.group(1)
    assert "csrfmiddlewaretoken" in disclosure.group(1)
    assert '<button type="submit"' in disclosure.group(1)


@pytest.mark.parametrize("keys", [1, 20])
def test_query_count_is_constant(client, contributor, django_assert_num_queries, keys):
    for i in range(keys):
        ApiKey.issue(user=contributor, name=f"k{i}")
    client.force_login(contributor)
    # The person and their memberships (read again: logging in bumped their version), and the
    # update.
    with django_assert_num_queries(3):
        assert client.post(REVOKE_ALL).status_code == 302
