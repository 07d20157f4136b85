"""The members-page forms: what they accept and what they normalise it to."""

from __future__ import annotations

from uuid import UUID

import pytest
from django.http import QueryDict

from orgs.forms import BulkAccessForm, ModelAccessForm
from orgs.models import Membership

pytestmark = pytest.mark.django_db
ID = "6f1c1c1e-0000-4000-8000-000000000000"


def post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in fields.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"allow_all": "on", "models": ["dn/gpt-5.2"]}, None),
        ({}, []),
        ({"models": [" dn/gpt-5.2", "dn/gpt-5.2"]}, ["dn/gpt-5.2"]),
    ],
)
def test_model_access_form_gives_null_or_a_list(restricted, fields, expected):
    form = ModelAccessForm(post(version="0", **fields), member=Membership.objects.get())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["allowed_model_ids"] == expected
    assert form.cleaned_data["version"] == 0


def test_model_access_form_requires_the_version(restricted):
    form = ModelAccessForm(post(models=["dn/gpt-5.2"]), member=Membership.objects.get())
    assert not form.is_valid()
    assert form.errors["version"] == ["This page is out of date. Reload it and try again."]


def test_model_access_form_keeps_undeployed_ids_already_allowed(restricted, platform_models):
    platform_models[0].delete()  # dn/claude-opus-4-6, which restricted is allowed
    member = Membership.objects.get()
    form = ModelAccessForm(post(version="0", models=["dn/claude-opus-4-6"]), member=member)
    assert form.is_valid(), form.errors
    fresh = BulkAccessForm(post(members=[f"{ID}:0"], models=["dn/claude-opus-4-6"]))
    assert not fresh.is_valid() and "Not platform models" in fresh.errors["models"][0]


def test_bulk_form_maps_members_to_the_versions_shown(platform_models):
    form = BulkAccessForm(post(members=[f"{ID}:4"], allow_all="on"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["members"] == {UUID(ID): 4}
    assert form.cleaned_data["allowed_model_ids"] is None


def test_bulk_form_caps_the_selection(platform_models):
    form = BulkAccessForm(post(members=[f"{ID}:0"] * 1001))
    assert not form.is_valid() and "at most 1000" in form.errors["members"][0]
