"""GET / POST /org/{slug}/invitations: owners list and send invitations over the API."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from orgs.models import Invitation
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.django_db
PATH = "/org/acme/invitations"
BODY = {"email": "new@example.com", "role": "reader"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_gets_401(org, method):
    assert_envelope(ApiClient().call(method, PATH, BODY), 401)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404(outsider, org, method):
    assert_envelope(ApiClient(outsider).call(method, PATH, BODY), 404)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_gets_403(request, persona, method):
    assert_envelope(ApiClient(request.getfixturevalue(persona)).call(method, PATH, BODY), 403)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_unserved_methods_get_405(owner, method):
    assert_envelope(ApiClient(owner).call(method, PATH, BODY), 405)


def test_session_post_without_csrf_token_is_refused(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post("/api/v1" + PATH, BODY, content_type="application/json")
    assert_envelope(response, 403)
    assert not Invitation.objects.exists()


def test_same_answer_with_or_without_an_account(owner):
    User.objects.create_user("known@example.com", "pw")
    client = ApiClient(owner)
    answers = []
    for email in ["known@example.com", "ghost@example.com"]:
        response = client.post(PATH, {"email": email, "role": "reader"})
        assert response.status_code == 201
        body = response.json()
        answers.append(
            {k: v for k, v in body.items() if k not in {"id", "email", "created_at", "expires_at"}}
        )
        assert body["email"] == email
    assert answers[0] == answers[1] == {"role": "reader", "status": "pending"}
    assert len(mail.outbox) == 2
    listed = client.get(PATH).json()
    assert [i["email"] for i in listed] == ["ghost@example.com", "known@example.com"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"email": "not-an-email"}, 422),
        ({"email": "new@example.com", "role": "boss"}, 422),
        ({"email": "reader@example.com"}, 422),  # already a member
        ({}, 422),
    ],
)
def test_invalid_invitations_are_refused(owner, reader, body, code):
    assert_envelope(ApiClient(owner).post(PATH, body), code)
    assert not Invitation.objects.exists() and not mail.outbox


def test_posting_again_is_refused_until_asked_to_resend_and_audits_only_a_role_change(owner):
    from orgs.models import ModelAccessEvent

    client = ApiClient(owner)
    first = client.post(PATH, {"email": "new@example.com", "role": "reader"})
    assert first.status_code == 201
    for role in ["reader", "owner"]:  # the same address in any case, the same or a new role
        again = client.post(PATH, {"email": "NEW@example.com", "role": role})
        assert_envelope(again, 409)
        assert "already invited" in again.json()["detail"]
        assert '"resend": true' in again.json()["detail"]
    assert len(mail.outbox) == 1
    assert Invitation.objects.get().role == "reader"
    resent = client.post(PATH, {"email": "NEW@example.com", "role": "reader", "resend": True})
    assert resent.status_code == 201 and resent.json()["id"] == first.json()["id"]
    assert len(mail.outbox) == 2
    assert ModelAccessEvent.objects.filter(kind="invited").count() == 1
    changed = client.post(PATH, {"email": "new@example.com", "role": "owner", "resend": True})
    assert changed.json()["role"] == "owner"
    events = ModelAccessEvent.objects.filter(kind="invited").order_by("pk")
    assert [(e.before, e.after) for e in events] == [(None, "reader"), ("reader", "owner")]
