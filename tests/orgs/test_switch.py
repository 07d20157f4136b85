"""The org switcher lands on the same page of the org switched to, and only ever on a page
of this site."""

from __future__ import annotations

import pytest

from orgs.access import SESSION_KEY
from orgs.models import Membership, Role

pytestmark = pytest.mark.django_db
DEFAULT = "/settings/chat-models/"


@pytest.fixture
def acme_owner_globex_reader(client, owner, other_org):
    Membership.objects.create(org=other_org, user=owner, role=Role.READER)
    client.force_login(owner)
    return client


@pytest.fixture
def acme_reader_globex_owner(client, reader, other_org):
    Membership.objects.create(org=other_org, user=reader, role=Role.OWNER)
    client.force_login(reader)
    return client


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/orgs/acme/members/", "/orgs/globex/members/"),
        ("/orgs/acme/members/?q=alice&page=3", "/orgs/globex/members/"),
        ("/orgs/acme/audit/", "/orgs/globex/audit/"),
        ("/orgs/acme/members/{id}/access/", "/orgs/globex/members/"),
        ("/settings/secrets/", "/settings/secrets/"),
        ("/settings/chat-models/?q=opus", "/settings/chat-models/?q=opus"),
    ],
)
def test_an_org_page_becomes_the_same_page_of_the_new_org(
    acme_reader_globex_owner, contributor, next_url, lands_on
):
    next_url = next_url.format(id=contributor.pk)
    response = acme_reader_globex_owner.post("/orgs/switch/", {"org": "globex", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == lands_on
    assert acme_reader_globex_owner.session[SESSION_KEY] == "globex"


def test_audit_becomes_members_where_the_user_may_not_see_the_audit(acme_owner_globex_reader):
    response = acme_owner_globex_reader.post(
        "/orgs/switch/", {"org": "globex", "next": "/orgs/acme/audit/"}
    )
    assert response["Location"] == "/orgs/globex/members/"


def test_the_landing_page_lists_the_new_orgs_members(acme_owner_globex_reader, outsider):
    response = acme_owner_globex_reader.post(
        "/orgs/switch/", {"org": "globex", "next": "/orgs/acme/members/"}, follow=True
    )
    html = response.content.decode()
    assert "Switched to Globex." in html
    assert "outsider@example.com" in html and "Acme Corp" not in html.split("<main")[1]


def test_htmx_switch_sends_the_browser_to_the_new_orgs_page(acme_owner_globex_reader):
    response = acme_owner_globex_reader.post(
        "/orgs/switch/",
        {"org": "globex", "next": "/orgs/acme/members/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/orgs/globex/members/"


def test_the_switcher_form_says_where_it_was_used(acme_owner_globex_reader):
    html = acme_owner_globex_reader.get("/orgs/acme/members/?q=a").content.decode()
    assert '<input type="hidden" name="next" value="/orgs/acme/members/?q=a">' in html


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/settings/secrets/", "/settings/secrets/"),
        ("/orgs/globex/members/?q=a", "/orgs/globex/members/?q=a"),
        ("/orgs/nope/members/", "/orgs/globex/members/"),
        ("/orgs/%00/members/", "/orgs/%00/members/"),
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
def test_next_is_followed_only_within_the_site(acme_owner_globex_reader, next_url, lands_on):
    response = acme_owner_globex_reader.post("/orgs/switch/", {"org": "globex", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_switching_to_an_org_one_is_not_in_is_404(acme_owner_globex_reader):
    response = acme_owner_globex_reader.post("/orgs/switch/", {"org": "initech", "next": "/"})
    assert response.status_code == 404
