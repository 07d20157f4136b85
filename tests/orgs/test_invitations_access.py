"""Who may call each invitation and org-settings URL: anonymous, outsiders, members below
owner, wrong methods and missing CSRF tokens are refused and change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from orgs import invitations
from orgs.models import Invitation, Membership, ModelAccessEvent, Organization

pytestmark = pytest.mark.django_db

# (method, url, data); "{id}" is the invitation's id, "{token}" its token.
OWNER_ACTIONS = {
    "revoke": ("post", "/orgs/acme/invitations/{id}/revoke/", {}),
    "settings-page": ("get", "/orgs/acme/settings/", {}),
    "settings-save": ("post", "/orgs/acme/settings/", {"allow_all": "on"}),
}
INVITEE_ACTIONS = {
    "list": ("get", "/invitations/", {}),
    "detail": ("get", "/invitations/{token}/", {}),
    "accept": ("post", "/invitations/{token}/accept/", {}),
    "decline": ("post", "/invitations/{token}/decline/", {}),
}
ALL = OWNER_ACTIONS | INVITEE_ACTIONS


@pytest.fixture
def invitation(org, owner, platform_models) -> Invitation:
    org.default_allowed_model_ids = []
    org.save()
    return invitations.invite(
        org=org, email="new@example.com", role="reader", actor=owner, via="web", link="/"
    )


@pytest.fixture
def newcomer(db) -> User:
    return User.objects.create_user("new@example.com", "pw")


def call(client: Client, action: str, invitation: Invitation, method: str | None = None):
    verb, url, data = ALL[action]
    return getattr(client, method or verb)(
        url.format(id=invitation.pk, token=invitation.token), data
    )


def snapshot() -> tuple:
    return (
        list(Invitation.objects.values_list("status", flat=True)),
        Organization.objects.get(slug="acme").default_allowed_model_ids,
        Membership.objects.count(),
        ModelAccessEvent.objects.count(),
    )


@pytest.mark.parametrize("action", ALL)
def test_anonymous_goes_to_login(client, invitation, action):
    before = snapshot()
    response = call(client, action, invitation)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert snapshot() == before


@pytest.mark.parametrize("action", OWNER_ACTIONS)
def test_outsider_gets_404(client, outsider, invitation, action):
    client.force_login(outsider)
    before = snapshot()
    assert call(client, action, invitation).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("action", OWNER_ACTIONS)
@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_gets_403(client, request, persona, invitation, action):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot()
    assert call(client, action, invitation).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("action", ["detail", "accept", "decline"])
@pytest.mark.parametrize("persona", ["owner", "contributor", "outsider"])
def test_anyone_but_the_invitee_gets_404(client, request, persona, invitation, action):
    """Even the owner who sent it: a token is for the email it was sent to."""
    client.force_login(request.getfixturevalue(persona))
    before = snapshot()
    assert call(client, action, invitation).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    ("persona", "action", "method"),
    [
        ("owner", "revoke", "get"),
        ("owner", "settings-page", "put"),
        ("newcomer", "list", "post"),
        ("newcomer", "detail", "post"),
        ("newcomer", "accept", "get"),
        ("newcomer", "decline", "get"),
    ],
)
def test_wrong_method_is_405(client, request, persona, invitation, action, method):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot()
    assert call(client, action, invitation, method=method).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize(
    ("persona", "action"),
    [
        ("owner", "revoke"),
        ("owner", "settings-save"),
        ("newcomer", "accept"),
        ("newcomer", "decline"),
    ],
)
def test_post_without_csrf_token_is_403(request, persona, invitation, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(request.getfixturevalue(persona))
    before = snapshot()
    assert call(client, action, invitation).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    ("persona", "action", "after"),
    [
        ("owner", "revoke", (["revoked"], [], 2, 2)),
        ("owner", "settings-page", (["pending"], [], 2, 1)),
        ("owner", "settings-save", (["pending"], None, 2, 2)),
        ("newcomer", "list", (["pending"], [], 2, 1)),
        ("newcomer", "detail", (["pending"], [], 2, 1)),
        ("newcomer", "accept", (["accepted"], [], 3, 2)),
        ("newcomer", "decline", (["declined"], [], 2, 2)),
    ],
)
def test_allowed_callers_succeed(client, request, contributor, invitation, persona, action, after):
    client.force_login(request.getfixturevalue(persona))
    response = call(client, action, invitation)
    assert response.status_code in {200, 302}
    assert snapshot() == after
