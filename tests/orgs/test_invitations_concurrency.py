"""Invitations under concurrency: one pending invitation per email, one membership per
acceptance, and accept racing revoke ends one way or the other, never both."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from accounts.models import User
from orgs import invitations
from orgs.models import Invitation, Membership, ModelAccessEvent
from tests.helpers import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _invite(org, actor):
    return invitations.invite(
        org=org, email="new@example.com", role="reader", actor=actor, via="web", link="/"
    )


def test_two_owners_inviting_one_email_make_one_invitation(org, owner, co_owner):
    """The second to take the lock either finds nothing to add or is told the address is
    already invited (issue 22: inviting twice says so), whichever order the race takes."""
    errors = run_together(lambda: _invite(org, owner), lambda: _invite(org, co_owner))
    assert all(isinstance(e, ValidationError) and "is already invited" in str(e) for e in errors), (
        errors
    )
    assert len(errors) <= 1
    assert Invitation.objects.count() == 1
    assert ModelAccessEvent.objects.filter(kind="invited").count() == 2 - len(errors)


def test_accepting_twice_at_once_joins_once(org, owner):
    invitation = _invite(org, owner)
    user = User.objects.create_user("new@example.com", "pw")
    errors = run_together(
        *[lambda: invitations.accept(invitation=invitation, user=user, via="web")] * 2
    )
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Membership.objects.filter(user=user).count() == 1
    assert ModelAccessEvent.objects.filter(kind="joined").count() == 1


def test_accept_racing_revoke_ends_one_way(org, owner):
    invitation = _invite(org, owner)
    user = User.objects.create_user("new@example.com", "pw")
    errors = run_together(
        lambda: invitations.accept(invitation=invitation, user=user, via="web"),
        lambda: invitations.revoke(org=org, invitation_id=invitation.pk, actor=owner, via="web"),
    )
    assert len(errors) == 1 and isinstance(errors[0], ValidationError | Http404)
    status = Invitation.objects.get().status
    assert Membership.objects.filter(user=user).exists() == (status == "accepted")
