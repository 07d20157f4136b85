"""The org switcher lands on the same page of the org switched to, and only ever on a page
of this site."""

from __future__ import annotations

import html

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


def test_the_org_last_chosen_is_where_the_next_login_starts(
    acme_reader_globex_owner, reader, client
):
    assert acme_reader_globex_owner.session.get(SESSION_KEY) != "globex"
    acme_reader_globex_owner.post("/orgs/switch/", {"org": "globex"})
    client.logout()
    reader.refresh_from_db()  # as a login reads the person
    client.force_login(reader)  # a new session
    assert client.session[SESSION_KEY] == "globex"
    html = client.get(DEFAULT).content.decode()
    assert '<option value="globex" selected>Globex</option>' in html
    assert 'href="/orgs/globex/audit/"' in html  # Globex's owner pages stay in the sidebar


def test_a_remembered_org_left_since_is_ignored(acme_reader_globex_owner, reader, client):
    acme_reader_globex_owner.post("/orgs/switch/", {"org": "globex"})
    Membership.objects.filter(user=reader, org__slug="globex").delete()
    client.logout()
    client.force_login(reader)
    html = client.get(DEFAULT).content.decode()
    assert "Globex" not in html and "Acme Corp" in html


def test_the_api_still_takes_the_first_org_by_name_unless_told(acme_reader_globex_owner, reader):
    from tests.helpers import ApiClient

    acme_reader_globex_owner.post("/orgs/switch/", {"org": "globex"})
    api = ApiClient(reader)
    assert api.get("/gateway/access").json()["org"]["slug"] == "acme"


def test_accepting_an_invitation_keeps_the_org_being_worked_in(client, outsider, org, owner):
    from orgs import invitations

    invitation = invitations.invite(
        org=org, email=outsider.email, role="reader", actor=owner, via="web", link="/"
    )
    client.force_login(outsider)
    client.get(DEFAULT)
    page = html.unescape(
        client.post(f"/invitations/{invitation.token}/accept/", follow=True).content.decode()
    )
    assert (
        "You joined Acme Corp as a reader. You're still working in Globex: choose Acme Corp "
        "under Organization at the top of the page to switch."
    ) in page
    assert '<option value="globex" selected>Globex</option>' in page
    assert 'href="/orgs/globex/settings/"' in page
    client.logout()
    outsider.refresh_from_db()
    client.force_login(outsider)
    assert '<option value="globex" selected>' in client.get(DEFAULT).content.decode()


def test_the_switcher_is_labelled_visibly(acme_reader_globex_owner):
    html = acme_reader_globex_owner.get(DEFAULT).content.decode()
    assert '<label for="org-switch">Organization</label>' in html
