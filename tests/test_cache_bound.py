"""Issue 20 goal 4: access decisions are never served from the cache longer than its bound
(catalog.caching.TTL), whatever wrote the database. A raw SQL write (a manual fix, a restore)
sends no signal, so nothing bumps a version: the cache still answers from what it kept until
the bound, and the database decides from then on. `manage.py clear_cache` ends it at once.
Each case runs on the test cache and on a real Redis, as production keeps it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from accounts.models import User
from catalog import caching
from orgs.models import Membership
from tests.helpers import Person

pytestmark = pytest.mark.usefixtures("catalog")
BACKENDS = pytest.mark.parametrize("cache_backend", ["locmem", "redis"], indirect=True)


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def db(model: type[Model], field: str, value: object) -> object:
    """`value` as the database stores `field` (a UUID, JSON)."""
    return model._meta.get_field(field).get_db_prep_value(value, connection)


def revoke_keys(p: Person) -> None:
    who = db(User, "id", p.user.pk)
    sql("UPDATE accounts_apikey SET revoked_at = %s WHERE user_id = %s", timezone.now(), who)


def deactivate(p: Person) -> None:
    sql("UPDATE accounts_user SET is_active = %s WHERE id = %s", False, db(User, "id", p.user.pk))


def remove_membership(p: Person) -> None:
    sql("DELETE FROM orgs_membership WHERE user_id = %s", db(User, "id", p.user.pk))


def allow_nothing(p: Person) -> None:
    none = db(Membership, "allowed_model_ids", [])
    sql(
        "UPDATE orgs_membership SET allowed_model_ids = %s WHERE user_id = %s",
        none,
        db(User, "id", p.user.pk),
    )


def answers(p: Person) -> dict[str, object]:
    gateway = p.api.get("/gateway/access", org="acme")
    inference = p.api.get("/inference")
    return {
        "/org/acme": p.api.get("/org/acme").status_code,
        "/inference": [m["id"] for m in inference.json()["models"] if m["is_system_model"]]
        if inference.status_code == 200
        else inference.status_code,
        "/gateway/access": gateway.json()["models"]
        if gateway.status_code == 200
        else gateway.status_code,
    }


def after_the_bound(time_machine) -> None:
    time_machine.move_to(timezone.now() + timedelta(seconds=caching.TTL + 1), tick=True)


DEPLOYED = ["dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro"]
ALLOWED = {"/org/acme": 200, "/inference": DEPLOYED, "/gateway/access": DEPLOYED}
# name: (the raw SQL write, what the API answers once the bound passed)
WRITES = {
    "key revoked": (revoke_keys, dict.fromkeys(ALLOWED, 401)),
    "person deactivated": (deactivate, dict.fromkeys(ALLOWED, 401)),
    "membership removed": (
        remove_membership,
        {"/org/acme": 404, "/inference": [], "/gateway/access": 404},
    ),
    "allowlist emptied": (allow_nothing, {**ALLOWED, "/inference": [], "/gateway/access": []}),
}


@BACKENDS
@pytest.mark.parametrize("write", WRITES)
def test_a_raw_sql_write_decides_access_once_the_bound_passed(
    cache_backend, platform_models, contributor, write, time_machine
):
    person = Person(contributor)
    assert answers(person) == ALLOWED
    assert answers(person) == ALLOWED  # now from the cache
    act, refused = WRITES[write]
    act(person)
    assert answers(person) == ALLOWED  # no signal: the cache still answers, for now
    after_the_bound(time_machine)
    assert answers(person) == refused


@pytest.mark.parametrize("write", WRITES)
def test_clear_cache_makes_a_raw_sql_write_count_at_once(
    platform_models, contributor, write, capsys
):
    person = Person(contributor)
    assert answers(person) == answers(person) == ALLOWED
    act, refused = WRITES[write]
    act(person)
    call_command("clear_cache")
    assert answers(person) == refused
    assert "Cleared" in capsys.readouterr().out


def test_the_page_follows_a_raw_sql_removal_once_the_bound_passed(
    platform_models, contributor, time_machine
):
    person = Person(contributor)
    assert person.web.get("/orgs/acme/members/").status_code == 200
    sql("DELETE FROM orgs_membership WHERE id = %s", Membership.objects.get(user=contributor).pk)
    after_the_bound(time_machine)
    assert person.web.get("/orgs/acme/members/").status_code == 404
