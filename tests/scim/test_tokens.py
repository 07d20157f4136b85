"""SCIM tokens: an owner creates one on the org settings page (shown once, stored hashed),
sees when it was last used and revokes it; the management command prints it last."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from scim.models import ScimToken
from tests.scim.conftest import Scim, assert_scim_error

pytestmark = pytest.mark.django_db
PAGE = "/orgs/acme/settings/"
CREATE = "/orgs/acme/settings/scim-tokens/"


def test_only_owners_create_tokens(client, org, contributor, outsider):
    assert client.post(CREATE)["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.post(CREATE).status_code == 404
    client.force_login(contributor)
    assert client.post(CREATE).status_code == 403
    assert client.get(CREATE).status_code == 405
    assert not ScimToken.objects.exists()


def test_csrf_protects_creating_a_token(org, owner):
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(owner)
    assert csrf.post(CREATE, {"name": "Okta"}).status_code == 403
    assert not ScimToken.objects.exists()


def test_a_new_token_is_shown_once_and_stored_hashed(client, org, owner):
    client.force_login(owner)
    response = client.post(CREATE, {"name": "Okta"})
    assert response.status_code == 302
    page = client.get(PAGE)
    html = page.content.decode()
    raw = re.search(r'id="new-token-value">([^<]+)<', html)[1]
    token = ScimToken.objects.get()
    assert token.name == "Okta" and token.created_by == owner and token.org == org
    assert token.key_hash == ScimToken.hash(raw) and raw not in token.key_hash
    assert page["Cache-Control"] == "no-store"
    assert "http://testserver/scim/v2/acme/" in html
    again = client.get(PAGE).content.decode()
    assert raw not in again and token.prefix in again and "never" in again
    assert Scim("acme", raw).get("/Users").status_code == 200
    assert "just now" in client.get(PAGE).content.decode()  # last used


def test_a_too_long_name_is_refused(client, org, owner):
    client.force_login(owner)
    response = client.post(CREATE, {"name": "x" * 101}, follow=True)
    assert "at most 100 characters" in response.content.decode()
    assert not ScimToken.objects.exists()


def test_revoking_a_token_stops_it(client, org, owner, token):
    scim = Scim("acme", token)
    assert scim.get("/Users").status_code == 200
    client.force_login(owner)
    stored = ScimToken.objects.get()
    response = client.post(f"{CREATE}{stored.pk}/revoke/", follow=True)
    assert "now gets 401" in response.content.decode()
    assert ScimToken.objects.get().revoked_at is not None
    assert_scim_error(scim.get("/Users"), 401)
    assert client.post(f"{CREATE}{stored.pk}/revoke/").status_code == 404


def test_owners_revoke_only_their_orgs_tokens(client, org, other_org, owner):
    theirs, raw = ScimToken.issue(org=other_org, name="Entra")
    client.force_login(owner)
    assert client.post(f"{CREATE}{theirs.pk}/revoke/").status_code == 404
    assert ScimToken.objects.get(pk=theirs.pk).revoked_at is None


def test_the_command_prints_the_token_alone_on_the_last_line(org):
    out = io.StringIO()
    call_command("create_scim_token", "acme", stdout=out)
    raw = out.getvalue().splitlines()[-1]
    assert raw.startswith(ScimToken.PREFIX)
    assert ScimToken.objects.get().key_hash == ScimToken.hash(raw)
    assert Scim("acme", raw).get("/ServiceProviderConfig").status_code == 200
    with pytest.raises(CommandError, match="No organization"):
        call_command("create_scim_token", "nope", stdout=io.StringIO())
