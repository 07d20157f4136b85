"""Two owners deciding one access request at once: the request row is locked, so exactly one
decision is stored and the other is refused."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import User
from orgs import requests
from orgs.models import AccessRequest, Membership, ModelAccessEvent, Role
from tests.helpers import ApiClient, run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def owners(org, owner) -> list[User]:
    second = User.objects.create_user("co@example.com", "pw")
    Membership.objects.create(org=org, user=second, role=Role.OWNER)
    return [owner, second]


@pytest.mark.parametrize("attempt", range(5))
@pytest.mark.parametrize("second", ["approve", "deny"])
def test_two_owners_deciding_at_once_make_one_decision(org, restricted, owners, second, attempt):
    asked = AccessRequest.objects.create(org=org, member=restricted, model_id="dn/gpt-5.2")
    errors = run_together(
        lambda: requests.decide(
            org=org, request_id=asked.pk, approve=True, actor=owners[0], via="api"
        ),
        lambda: requests.decide(
            org=org, request_id=asked.pk, approve=second == "approve", actor=owners[1], via="api"
        ),
    )
    assert len(errors) == 1
    assert isinstance(errors[0], requests.RequestRefused) and errors[0].status == 409
    asked.refresh_from_db()
    changes = ModelAccessEvent.objects.filter(kind="access").count()
    allowed = Membership.objects.get(user=restricted).allowed_model_ids
    if asked.status == "approved":
        assert (changes, allowed) == (1, ["dn/claude-opus-4-6", "dn/gpt-5.2"])
    else:
        assert (changes, allowed) == (0, ["dn/claude-opus-4-6"])


def test_two_owners_approving_over_the_api(org, restricted, owners):
    asked = AccessRequest.objects.create(org=org, member=restricted, model_id="dn/gpt-5.2")
    clients = [ApiClient(o) for o in owners]
    path = f"/org/acme/access-requests/{asked.pk}/approve"
    statuses = []
    errors = run_together(*[lambda c=c: statuses.append(c.post(path).status_code) for c in clients])
    assert errors == []
    assert sorted(statuses) == [200, 409]
    assert ModelAccessEvent.objects.filter(kind="access").count() == 1
    assert Membership.objects.get(user=restricted).access_version == 1


def test_a_member_asking_twice_at_once_gets_one_request(org, restricted, owner):
    membership = Membership.objects.select_related("user", "org").get(user=restricted)
    made = []
    errors = run_together(
        *[
            lambda: made.append(
                requests.request_access(membership=membership, model_id="dn/gpt-5.2")
            )
            for _ in range(4)
        ]
    )
    assert errors == []
    assert AccessRequest.objects.count() == 1
    assert len({r.pk for r, _ in made}) == 1
    assert sum(created for _, created in made) == 1
