"""A Secret's name follows one rule (the model field's) wherever it is entered."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import SecretForm
from accounts.models import ENV_VAR_NAME_PATTERN, Secret
from accounts.services import clean_secret_name

NAME_FIELD = Secret._meta.get_field("name")
NAMES = {
    "ANTHROPIC_API_KEY": True,
    "_PRIVATE": True,
    "lower_case": True,
    "A" * NAME_FIELD.max_length: True,
    "A" * (NAME_FIELD.max_length + 1): False,
    "1BAD": False,
    "HAS SPACE": False,
    "HAS-DASH": False,
    "ÜNICODE": False,
}


def model_accepts(name: str) -> bool:
    try:
        NAME_FIELD.clean(name, Secret())
    except ValidationError:
        return False
    return True


def service_accepts(name: str) -> bool:
    try:
        clean_secret_name(name)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("name", NAMES)
def test_model_service_and_form_agree(name):
    form = SecretForm({"name": name, "value": "v" * 20})
    assert model_accepts(name.upper()) is NAMES[name]
    assert service_accepts(name) is NAMES[name]
    assert form.is_valid() is NAMES[name]
    browser_accepts = re.match(ENV_VAR_NAME_PATTERN, name) and len(name) <= NAME_FIELD.max_length
    assert bool(browser_accepts) is NAMES[name]


def test_the_form_takes_its_limits_from_the_model():
    field = SecretForm().fields["name"]
    assert field.max_length == NAME_FIELD.max_length
    assert field.widget.attrs["pattern"] == ENV_VAR_NAME_PATTERN


@pytest.mark.django_db
def test_the_page_renders_the_forms_limits(client, contributor):
    client.force_login(contributor)
    html = client.get("/settings/secrets/").content.decode()
    name_input = re.search(r'<input type="text" name="name"[^>]*>', html)
    assert name_input is not None
    assert f'maxlength="{NAME_FIELD.max_length}"' in name_input.group()
    assert f'pattern="{ENV_VAR_NAME_PATTERN}"' in name_input.group()


@pytest.mark.django_db
def test_an_error_is_tied_to_its_field(client, contributor):
    client.force_login(contributor)
    html = client.post("/settings/secrets/", {"name": "1BAD", "value": "v" * 20}).content
    html = html.decode()
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<div id="id_name_error">' in html
