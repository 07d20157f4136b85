"""The org switcher sends the browser back only to a page of this site."""

from __future__ import annotations

import pytest

from orgs.models import Membership, Role

pytestmark = pytest.mark.django_db
DEFAULT = "/settings/chat-models/"


@pytest.fixture
def two_org_owner(client, owner, other_org):
    Membership.objects.create(org=other_org, user=owner, role=Role.READER)
    client.force_login(owner)
    return client


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/settings/secrets/", "/settings/secrets/"),
        ("/orgs/globex/members/?q=a", "/orgs/globex/members/?q=a"),
        ("https://evil.example.com/phish", DEFAULT),
        ("//evil.example.com/phish", DEFAULT),
        ("/\\evil.example.com", DEFAULT),
        ("http://testserver.evil.example.com/", DEFAULT),
        ("javascript:alert(1)", DEFAULT),
        ("accounts:secrets", DEFAULT),
        ("logout", DEFAULT),
        ("", DEFAULT),
    ],
)
def test_next_is_followed_only_within_the_site(two_org_owner, next_url, lands_on):
    response = two_org_owner.post("/orgs/switch/", {"org": "globex", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == lands_on
