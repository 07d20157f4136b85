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


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_goes_to_login(client, method):
    assert getattr(client, method)(PAGE)["Location"].startswith("/accounts/login/")


def test_the_page_refuses_other_methods(client, contributor):
    client.force_login(contributor)
    assert client.put(PAGE).status_code == 405
    assert client.get("/settings/api-keys/new/").status_code == 404


def test_a_post_without_the_csrf_token_is_refused(contributor):
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(contributor)
    assert csrf.post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiKey.objects.exists()


def test_someone_elses_key_is_not_there(client, contributor, reader):
    key, _ = ApiKey.issue(user=reader, name="theirs")
    client.force_login(contributor)
    assert client.post(f"{PAGE}{key.pk}/revoke/").status_code == 404
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


def _create(client) -> str:
    response = client.post(PAGE, {"name": "laptop"}, follow=True)
    return re.search(r'id="new-key-value">([^<]+)<', response.content.decode()).group(1)


def test_create_stores_only_a_hash_of_the_key(client, contributor):
    client.force_login(contributor)
    raw = _create(client)
    key = ApiKey.objects.get()
    assert raw.startswith("dnk_") and key.key_hash == ApiKey.hash(raw) and raw not in key.key_hash


def test_the_page_showing_a_new_key_is_never_cached(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE, {"name": "laptop"}, follow=True)
    assert "new-key-value" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_key_is_shown_once_then_only_its_prefix(client, contributor):
    client.force_login(contributor)
    raw = _create(client)
    html = client.get(PAGE).content.decode()
    assert raw not in html and ApiKey.objects.get().prefix in html


def test_blank_name_is_explained(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE, {"name": "  "})
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


def test_create_api_key_command_refuses_an_unknown_email(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_key", "nobody@example.com", stdout=io.StringIO())


def test_creating_redirects_and_shows_the_key_on_exactly_one_get(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE, {"name": "laptop"})
    assert response.status_code == 302 and response["Location"] == PAGE
    first = client.get(PAGE).content.decode()
    raw = re.search(r'id="new-key-value">([^<]+)<', first).group(1)
    assert ApiKey.objects.get().key_hash == ApiKey.hash(raw)
    assert raw not in client.get(PAGE).content.decode()  # a reload shows it no more
    assert ApiKey.objects.count() == 1


def test_end_users_see_no_shell_command_and_get_a_copy_button(client, contributor):
    client.force_login(contributor)
    html = client.post(PAGE, {"name": "laptop"}, follow=True).content.decode()
    assert "manage.py" not in html
    assert 'data-copy="#new-key-value"' in html and "data-js hidden" in html


def test_revoke_asks_once_inside_a_disclosure(client, contributor):
    ApiKey.issue(user=contributor, name="laptop")
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    box = html[html.index('<details class="confirm">') : html.index("</details>")]
    assert "Revoke “laptop”?" in box and "Yes, revoke" in box and "hx-confirm" not in html


def test_rows_have_mobile_labels_and_relative_times(client, contributor):
    ApiKey.issue(user=contributor, name="laptop")
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert 'data-label="Created"' in html and 'data-label="Last used"' in html
    assert "just now</time>" in html and 'data-label="Last used" class="small">never' in html
