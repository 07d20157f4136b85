"""Issue 2: the project base: constraints, seed, login, shell, health."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from accounts.models import User
from orgs.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db


def test_unique_membership(org, owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(org=org, user=owner, role=Role.READER)


def test_owner_allowlist_must_be_null_in_the_database(org, owner):
    membership = Membership.objects.get(user=owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(allowed_model_ids=[])
    membership.refresh_from_db()
    assert membership.allowed_model_ids is None


@pytest.mark.parametrize("value", [None, [], ["dn/gpt-5.2"], ["dn/a", "dn/b"]])
def test_null_empty_and_list_stay_distinct_through_save_and_load(org, value):
    user = User.objects.create_user("x@example.com", "pw")
    Membership.objects.create(org=org, user=user, role=Role.CONTRIBUTOR, allowed_model_ids=value)
    loaded = Membership.objects.get(user=user).allowed_model_ids
    assert loaded == value
    assert (loaded is None) == (value is None)
    assert Membership.objects.filter(user=user, allowed_model_ids__isnull=True).exists() == (
        value is None
    )


def test_email_is_unique_case_insensitively(db):
    User.objects.create_user("Someone@Example.com", "pw")
    assert User.objects.get().email == "someone@example.com"
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="SOMEONE@example.com")


# The demo people the README and the browser tests log in as, with their org and role.
PERSONAS = {
    "owner@example.com": [("acme", "owner")],
    "member@example.com": [("acme", "contributor")],
    "restricted@example.com": [("acme", "contributor")],
    "reader@example.com": [("acme", "reader")],
    "outsider@example.com": [("globex", "owner")],
    "admin@example.com": [],
}


def _people() -> dict[str, list[tuple[str, str]]]:
    return {
        user.email: [(m.org.slug, m.role) for m in user.memberships.select_related("org")]
        for user in User.objects.prefetch_related("memberships")
    }


def test_seed_demo_creates_the_demo_people(db):
    call_command("seed_demo", verbosity=0)
    assert _people() == PERSONAS
    assert User.objects.get(email="admin@example.com").is_staff
    restricted = Membership.objects.get(user__email="restricted@example.com")
    assert restricted.allowed_model_ids == ["dn/claude-opus-4-6"]


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert "(0 objects created)" in capsys.readouterr().out
    assert (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
    ) == counts


@pytest.mark.parametrize(
    "url",
    [
        "/settings/",
        "/settings/chat-models/",
        "/settings/secrets/",
        "/settings/api-keys/",
        "/orgs/acme/members/",
        "/orgs/acme/audit/",
        "/",
    ],
)
def test_anonymous_requests_redirect_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_healthz_is_public(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_login_lands_in_the_settings_shell(client, owner):
    response = client.post(
        "/accounts/login/",
        {"username": "OWNER@example.com", "password": "demo-password"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/settings/chat-models/"
    html = response.content.decode()
    for label in ("Chat Models", "Secrets", "API keys", "Members"):
        assert label in html


def test_wrong_password_shows_an_error(client, owner):
    response = client.post("/accounts/login/", {"username": owner.email, "password": "nope"})
    assert response.status_code == 200
    assert "correct email and password" in response.content.decode()


def test_org_switcher_appears_for_several_orgs(client, owner, other_org):
    Membership.objects.create(org=other_org, user=owner, role=Role.READER)
    client.force_login(owner)
    html = client.get("/settings/secrets/").content.decode()
    assert 'name="org"' in html and "Globex" in html


def test_org_switcher_is_absent_for_one_org(client, owner):
    client.force_login(owner)
    assert 'name="org"' not in client.get("/settings/secrets/").content.decode()


def test_switching_org_selects_it_on_the_next_page(client, owner, other_org):
    Membership.objects.create(org=other_org, user=owner, role=Role.READER)
    client.force_login(owner)
    response = client.post("/orgs/switch/", {"org": "globex"})
    assert response.status_code == 302
    html = client.get("/settings/secrets/").content.decode()
    assert '<option value="globex" selected>' in html


def test_switching_to_an_org_you_are_not_in_is_404(client, owner, other_org):
    client.force_login(owner)
    assert client.post("/orgs/switch/", {"org": "globex"}).status_code == 404


def test_switching_org_is_post_only(client, owner):
    client.force_login(owner)
    assert client.get("/orgs/switch/").status_code == 405


def test_seed_demo_leaves_platform_models_to_a_configured_proxy(db, settings):
    from catalog.models import PlatformModel

    settings.LITELLM_PROXY_URL = "http://127.0.0.1:4000"
    call_command("seed_demo", verbosity=0)
    assert not PlatformModel.objects.exists()
    assert _people() == PERSONAS
