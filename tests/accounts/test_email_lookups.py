"""Emails are found in any letter case (login, commands, invitations), and on PostgreSQL through
the index of the case-insensitive unique constraint: a lookup stays an index probe however
many people sign up."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from orgs import invitations
from orgs.management.commands.import_model_access import Command as ImportCommand
from orgs.models import Organization, Role
from tests.conftest import PASSWORD
from tests.helpers import copy_row

ROWS = 100_000
INDEX = "user_email_ci_unique"
TYPED = "Member@EXAMPLE.com"  # the contributor, member@example.com


def login(email: str, password: str = PASSWORD) -> User | None:
    """authenticate() as the login page calls it: through django-axes, then ModelBackend."""
    return authenticate(
        RequestFactory().post("/accounts/login/"), username=email, password=password
    )


def test_any_letter_case_finds_the_user(contributor, owner):
    assert User.objects.by_email(TYPED).get() == contributor
    assert User.objects.get_by_natural_key(TYPED) == contributor
    assert login(TYPED) == contributor
    assert login(TYPED, "wrong") is None
    assert login("mem_er@example.com") is None  # "_" is no wildcard
    assert not User.objects.by_email(None).exists()


def test_a_mixed_case_email_logs_in_through_the_page(client, contributor):
    response = client.post("/accounts/login/", {"username": TYPED, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(contributor.pk)


def invite_member(org: Organization, owner: User) -> None:
    invitations.invite(
        org=org, email=TYPED, role=Role.READER, actor=owner, via="tests", link="http://x/"
    )


def test_commands_and_invitations_find_emails_in_any_letter_case(contributor, owner, org):
    out = io.StringIO()
    call_command("create_api_key", TYPED, stdout=out, stderr=io.StringIO())
    assert contributor.api_keys.get().prefix == out.getvalue().strip()[:12]
    refused_invite(org, owner)
    assert ImportCommand()._actor(org, "OWNER@example.com") == owner
    with pytest.raises(CommandError, match="is not an owner"):
        ImportCommand()._actor(org, TYPED)


def refused_invite(org: Organization, owner: User) -> None:
    with pytest.raises(ValidationError, match="already a member"):
        invite_member(org, owner)


# The email lookups as the code sends them, each given the acme org and its owner.
LOOKUPS = {
    "login": lambda org, owner: login(TYPED),
    "create_api_key": lambda org, owner: call_command(
        "create_api_key", TYPED, stdout=io.StringIO(), stderr=io.StringIO()
    ),
    "invite": refused_invite,
    "import actor": lambda org, owner: ImportCommand()._actor(org, "OWNER@example.com"),
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_postgres_email_lookups_use_the_unique_index(contributor, owner, org):
    copy_row(contributor, ROWS, id="gen_random_uuid()", email="'person' || n || '@example.com'")
    assert User.objects.count() == ROWS + 2
    for name, lookup in LOOKUPS.items():
        with CaptureQueriesContext(connection) as captured:
            lookup(org, owner)
        sqls = [
            q["sql"]
            for q in captured.captured_queries
            if '"accounts_user"' in q["sql"] and '"email"' in q["sql"]
        ]
        assert sqls, name
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert f"Index Scan using {INDEX} on accounts_user" in plan, (name, plan)
                assert "Seq Scan on accounts_user" not in plan, (name, plan)
