"""The pages say where model access is enforced: owners see whether the model gateway has been
asking, a restricted member's banner says other platform models are refused."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from orgs import gateway
from tests.helpers import ApiClient

pytestmark = pytest.mark.django_db
MEMBERS = "/orgs/acme/members/"
MATRIX = "/orgs/acme/access/"
QUIET = "hasn't asked about anyone here in the last 7 days"


@pytest.fixture(autouse=True)
def _fresh_marks(monkeypatch):
    monkeypatch.setattr(gateway, "_marked", {})


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_owners_see_that_a_quiet_gateway_enforces_nothing_yet(client, owner, platform_models):
    for url in (MEMBERS, MATRIX):
        html = page(client, owner, url)
        assert 'id="gateway-note"' in html and QUIET in html
        assert "until it does, nothing refuses requests for other platform models" in html


def test_owners_see_when_the_gateway_last_asked(client, owner, restricted, org):
    ApiClient(restricted).get("/gateway/access")  # the gateway asks about a member of acme
    mark = f"gateway:last-asked:{org.pk}"
    cache.set(mark, cache.get(mark) - 150)  # and that was two and a half minutes ago
    for url in (MEMBERS, MATRIX):
        html = page(client, owner, url)
        assert (
            "Enforced at the model gateway" in html and "picks up a change within 5 seconds" in html
        )
        assert "last asked about this organization's members" in html
        assert "2\xa0minutes ago" in html and QUIET not in html


def test_another_orgs_gateway_traffic_is_not_this_orgs(client, owner, outsider, platform_models):
    ApiClient(outsider).get("/gateway/access")  # a member of globex
    assert QUIET in page(client, owner, MEMBERS)


def test_members_who_arent_owners_get_no_note(client, contributor, restricted):
    ApiClient(restricted).get("/gateway/access")
    assert 'id="gateway-note"' not in page(client, contributor, MEMBERS)


def test_a_restricted_members_banner_says_other_models_are_refused(client, restricted):
    html = page(client, restricted, "/settings/chat-models/")
    assert (
        "Your org has restricted available models. Contact your org owner for changes. "
        "Requests for other platform models are refused." in html
    )
