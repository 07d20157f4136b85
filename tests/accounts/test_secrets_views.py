"""Secrets page: write-only values, masking, presets, warnings; the plaintext never leaks."""

from __future__ import annotations

import logging
import re
from html import unescape

import pytest
from django.db import DatabaseError
from django.test import Client
from django.views.debug import ExceptionReporter

from accounts.models import EnabledModel, Secret
from accounts.services import save_secret

pytestmark = pytest.mark.django_db
PAGE = "/settings/secrets/"
VALUE = "sk-ant-api03-TOPSECRET-value-0123456789"


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_goes_to_login(client, method):
    assert getattr(client, method)(PAGE)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("method", "url"), [("put", PAGE)])
def test_wrong_method_is_405(client, contributor, method, url):
    client.force_login(contributor)
    assert getattr(client, method)(url).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(contributor):
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(contributor)
    assert csrf.post(PAGE, {"name": "A", "value": "b" * 20}).status_code == 403
    assert not Secret.objects.exists()


@pytest.mark.parametrize(("action", "data"), [("delete", {}), ("replace", {"value": "x" * 20})])
def test_someone_elses_secret_is_not_there(client, contributor, reader, action, data):
    other = save_secret(user=reader, name="OPENAI_API_KEY", value=VALUE)
    client.force_login(contributor)
    assert client.post(f"{PAGE}{other.pk}/{action}/", data).status_code == 404
    assert Secret.objects.get(pk=other.pk).reveal() == VALUE


def test_prefill_from_query_string(client, contributor):
    client.force_login(contributor)
    html = client.get(PAGE, {"name": "ANTHROPIC_API_KEY"}).content.decode()
    assert 'value="ANTHROPIC_API_KEY"' in html


def test_create_normalises_and_masks(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE, {"name": "anthropic_api_key", "value": VALUE}, follow=True)
    html = response.content.decode()
    secret = Secret.objects.get(user=contributor)
    assert secret.name == "ANTHROPIC_API_KEY" and secret.provider == "anthropic"
    assert "sk••••89" in html and "won't be shown again" in unescape(html)
    assert VALUE not in html and "TOPSECRET" not in html


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
    response = client.post(PAGE, {"name": name, "value": value})
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not Secret.objects.exists()
    if value:
        assert value not in response.content.decode()


def test_duplicate_name_is_refused_and_value_kept(client, contributor):
    save_secret(user=contributor, name="OPENAI_API_KEY", value=VALUE)
    client.force_login(contributor)
    response = client.post(PAGE, {"name": "openai_api_key", "value": "other-value-123"})
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


def test_replacing_with_an_empty_value_is_explained(client, contributor):
    secret = save_secret(user=contributor, name="OPENAI_API_KEY", value=VALUE)
    client.force_login(contributor)
    response = client.post(f"{PAGE}{secret.pk}/replace/", {"value": ""})
    assert response.status_code == 302 and response["Location"] == PAGE
    html = client.get(PAGE).content.decode()
    assert "OPENAI_API_KEY was not changed: Enter the value to store" in html
    assert Secret.objects.get().reveal() == VALUE


def test_each_secret_lists_the_models_it_serves(client, contributor):
    save_secret(user=contributor, name="ANTHROPIC_API_KEY", value=VALUE)
    EnabledModel.objects.create(user=contributor, model_id="anthropic/claude-opus-4-5")
    client.force_login(contributor)
    assert "anthropic/claude-opus-4-5" in client.get(PAGE).content.decode()


def test_delete_confirmation_on_the_page_names_the_models_that_need_it(client, contributor):
    save_secret(user=contributor, name="ANTHROPIC_API_KEY", value=VALUE)
    EnabledModel.objects.create(user=contributor, model_id="anthropic/claude-opus-4-5")
    client.force_login(contributor)
    html = unescape(client.get(PAGE).content.decode())
    box = html[
        html.index('<details class="confirm">') : html.index(
            "</details>", html.index("Yes, delete")
        )
    ]
    assert "1 of your models need it: anthropic/claude-opus-4-5" in box
    assert 'type="submit"' in box  # the real button, inside the disclosure: no script needed


def test_delete_removes_and_redirects_to_the_page(client, contributor):
    secret = save_secret(user=contributor, name="ANTHROPIC_API_KEY", value=VALUE)
    EnabledModel.objects.create(user=contributor, model_id="anthropic/claude-opus-4-5")
    client.force_login(contributor)
    response = client.post(f"{PAGE}{secret.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not Secret.objects.filter(pk=secret.pk).exists()


def test_a_bad_new_secret_is_explained_at_the_page_address(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE, {"name": "1BAD", "value": "v" * 20})
    assert response.status_code == 200 and response.request["PATH_INFO"] == PAGE
    assert 'action="/settings/secrets/"' in response.content.decode()
    assert client.get(PAGE + "new/").status_code == 404


def test_page_says_where_secrets_are_used_and_what_ready_means(client, contributor):
    client.force_login(contributor)
    text = unescape(client.get(PAGE).content.decode())
    assert "Remote runs get them as environment variables" in text
    assert "use your shell's variables instead" in text
    assert "On Chat Models a model is “Ready” once every variable it needs is saved here" in text
    assert "injected only into remote runs" not in text


def test_presets_put_the_keys_enabled_models_need_first(client, contributor):
    for model_id in ("openai/gpt-4o", "azure/gpt-4o", "azure/gpt-4o-mini"):
        EnabledModel.objects.create(user=contributor, model_id=model_id)
    client.force_login(contributor)
    html = unescape(client.get(PAGE).content.decode())
    presets = html[html.index('id="presets"') :]
    order = [
        presets.index(f"?name={n}#")
        for n in ("AZURE_API_BASE", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")
    ]
    assert order == sorted(order)
    assert "Needed by 2 of your models" in presets and "Needed by 1 of your models" in presets


def test_add_to_secrets_for_a_provider_with_several_variables_offers_all(client, contributor):
    client.force_login(contributor)
    html = client.get(PAGE + "?name=AZURE_API_KEY").content.decode()
    for name in ("AZURE_API_KEY", "AZURE_API_BASE", "AZURE_API_VERSION"):
        assert f"?name={name}#add-secret" in html
    bedrock = client.get(PAGE + "?name=AWS_ACCESS_KEY_ID").content.decode()
    assert "?name=AWS_SECRET_ACCESS_KEY#add-secret" in bedrock


def test_rows_have_mobile_labels_and_relative_times(client, contributor):
    save_secret(user=contributor, name="ANTHROPIC_API_KEY", value=VALUE)
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert 'data-label="Updated"' in html and 'data-label="Name"' in html
    assert "<time datetime=" in html and "just now</time>" in html


def test_presets_show_configured_state(client, contributor):
    save_secret(user=contributor, name="OPENAI_API_KEY", value=VALUE)
    client.force_login(contributor)
    html = client.get(PAGE).content.decode()
    assert "OPENAI_API_KEY ✓" in html and "?name=ANTHROPIC_API_KEY" in html


def test_plaintext_never_appears_on_any_page(client, contributor, staff):
    client.force_login(contributor)
    client.post(PAGE, {"name": "ANTHROPIC_API_KEY", "value": VALUE})
    EnabledModel.objects.create(user=contributor, model_id="anthropic/claude-opus-4-5")
    pages = [PAGE, "/settings/chat-models/", "/settings/api-keys/", "/orgs/acme/members/"]
    for url in pages:
        assert VALUE not in client.get(url).content.decode()
    client.force_login(staff)
    for url in ("/admin/accounts/secret/", "/admin/accounts/user/"):
        assert VALUE not in client.get(url).content.decode()


def _error_report(record: logging.LogRecord) -> str:
    """Django's report of a logged 500, as AdminEmailHandler mails it (text and HTML): the
    traceback with each frame's local variables, and the request's POST data."""
    reporter = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    return reporter.get_traceback_text() + reporter.get_traceback_html()


@pytest.mark.parametrize("action", ["new", "replace"])
def test_a_crash_while_saving_keeps_the_value_out_of_the_error_report(
    contributor, monkeypatch, caplog, action
):
    url = PAGE
    if action == "replace":
        secret = save_secret(user=contributor, name="ANTHROPIC_API_KEY", value="old-value-123456")
        url = f"{PAGE}{secret.pk}/replace/"

    def database_went_away(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(Secret, "save", database_went_away)
    client = Client(raise_request_exception=False)
    client.force_login(contributor)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(url, {"name": "ANTHROPIC_API_KEY", "value": VALUE})
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    report = _error_report(record)
    assert "the database went away" in report and "ANTHROPIC_API_KEY" in report
    assert "value = '********************'" in report  # the POST field is there, masked
    assert VALUE not in report and "TOPSECRET" not in report
    assert VALUE not in caplog.text


def _presets(client) -> str:
    html = unescape(client.get(PAGE).content.decode())
    return re.sub(r"\s+", " ", html[html.index('id="presets"') :])


def _preset(presets: str, name: str) -> str:
    """The suggestion of `name`: its list item."""
    start = presets.index(f"?name={name}#")
    return presets[start : presets.index("</li>", start)]


def test_a_saved_key_says_what_it_serves_not_that_it_is_needed(client, contributor):
    for model_id in ("openai/gpt-4o", "openai/gpt-4o-mini"):
        EnabledModel.objects.create(user=contributor, model_id=model_id)
    save_secret(user=contributor, name="OPENAI_API_KEY", value=VALUE)
    client.force_login(contributor)
    openai = _preset(_presets(client), "OPENAI_API_KEY")
    assert "OPENAI_API_KEY ✓" in openai
    assert "Used by 2 of your models" in openai and "Needed by" not in openai


def test_either_gemini_key_will_do(client, contributor):
    EnabledModel.objects.create(user=contributor, model_id="gemini/gemini-2.5-pro")
    client.force_login(contributor)
    presets = _presets(client)
    gemini = _preset(presets, "GEMINI_API_KEY")
    assert "Needed by 1 of your models" in gemini
    assert "(or GOOGLE_API_KEY: any one will do)" in gemini
    assert "?name=GOOGLE_API_KEY#" not in presets or "Needed by" not in _preset(
        presets, "GOOGLE_API_KEY"
    )
    save_secret(user=contributor, name="GOOGLE_API_KEY", value=VALUE)
    presets = _presets(client)
    assert "Needed by" not in presets  # GEMINI_API_KEY is no longer wanted
    assert "?name=GEMINI_API_KEY#" in presets
    html = unescape(client.get(PAGE).content.decode())
    assert "Delete GOOGLE_API_KEY? 1 of your models need it: gemini/gemini-2.5-pro." in html


def test_with_both_gemini_keys_saved_deleting_one_breaks_nothing(client, contributor):
    EnabledModel.objects.create(user=contributor, model_id="gemini/gemini-2.5-pro")
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY"):
        save_secret(user=contributor, name=name, value=VALUE)
    client.force_login(contributor)
    html = unescape(client.get(PAGE).content.decode())
    assert "Delete GEMINI_API_KEY? Your models that use it have another key saved." in html
    assert "need it" not in html


def test_the_name_field_says_what_is_allowed_before_and_after_sending(client, contributor):
    client.force_login(contributor)
    html = unescape(client.get(PAGE).content.decode())
    rule = (
        "An environment variable name: letters, digits and underscores, not starting with a "
        "digit (e.g. ANTHROPIC_API_KEY). Saved in upper case."
    )
    # The browser's own refusal quotes the title; the hint is read with the field.
    assert f'title="{rule}"' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert f'<p id="id_name_helptext" class="hint">{rule}</p>' in html
    refused = unescape(client.post(PAGE, {"name": "1BAD", "value": VALUE}).content.decode())
    assert "letters, digits and underscores, not starting with a digit" in refused
