"""Shared fixtures: personas, an org, platform models and the real catalog snapshot."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from accounts.models import User
from catalog.models import PlatformModel
from orgs.models import Membership, Organization, Role

PASSWORD = "demo-password"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email, PASSWORD, **extra)


@pytest.fixture
def platform_models(db) -> list[PlatformModel]:
    return [
        PlatformModel.objects.create(
            model_id=model_id,
            display_name=name,
            position=i,
            context_window=200_000,
            cost_input=3.0,
            cost_output=15.0,
            supports_vision=True,
        )
        for i, (model_id, name) in enumerate(
            [
                ("dn/claude-opus-4-6", "Claude Opus 4.6"),
                ("dn/gpt-5.2", "GPT-5.2"),
                ("dn/gemini-3-pro", "Gemini 3 Pro"),
            ]
        )
    ]


@pytest.fixture
def org(db) -> Organization:
    return Organization.objects.create(name="Acme Corp", slug="acme")


@pytest.fixture
def other_org(db) -> Organization:
    return Organization.objects.create(name="Globex", slug="globex")


def _member(org, email, role, allowed=None) -> User:
    user = make_user(email)
    Membership.objects.create(org=org, user=user, role=role, allowed_model_ids=allowed)
    return user


@pytest.fixture
def owner(org) -> User:
    return _member(org, "owner@example.com", Role.OWNER)


@pytest.fixture
def contributor(org) -> User:
    return _member(org, "member@example.com", Role.CONTRIBUTOR)


@pytest.fixture
def restricted(org, platform_models) -> User:
    return _member(org, "restricted@example.com", Role.CONTRIBUTOR, ["dn/claude-opus-4-6"])


@pytest.fixture
def reader(org) -> User:
    return _member(org, "reader@example.com", Role.READER)


@pytest.fixture
def outsider(other_org) -> User:
    """Owner of another org, not in acme."""
    return _member(other_org, "outsider@example.com", Role.OWNER)


@pytest.fixture
def staff(db) -> User:
    return make_user("admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture(scope="session")
def catalog_db(django_db_setup, django_db_blocker):
    """The shipped snapshot of the real LiteLLM cost map, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("sync_catalog", verbosity=0, stdout=io.StringIO())
    yield


@pytest.fixture
def catalog(catalog_db, db):
    return None
