"""The members page, adding members, roles, removal and the audit log (who may call what:
test_access_matrix.py; model access: test_model_access_views.py)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from accounts.models import User
from orgs.models import Invitation, Membership, ModelAccessEvent, Role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def m(user) -> Membership:
    return Membership.objects.get(user=user, org__slug="acme")


def test_members_page_lists_everyone_with_summaries(client, reader, owner, restricted, contributor):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    client.force_login(reader)
    html = client.get("/orgs/acme/members/").content.decode()
    for text in (
        "owner@example.com",
        "member@example.com",
        "restricted@example.com",
        "All platform models",
        "1 platform model",
        "No platform models",
    ):
        assert text in html


def test_readers_get_no_editor_or_owner_forms(client, reader, restricted):
    client.force_login(reader)
    html = client.get("/orgs/acme/members/").content.decode()
    assert "Model access for" not in html
    assert "Invite a member" not in html and 'id="bulk-form"' not in html


def test_owners_get_an_editor_for_others_only(client, owner, restricted):
    client.force_login(owner)
    html = client.get("/orgs/acme/members/").content.decode()
    assert f"Model access for {restricted.email}" in html
    assert f"Model access for {owner.email}" not in html


def test_members_page_varies_on_hx_request(client, reader):
    # The same URL answers the whole page or the member list: caches must keep both apart.
    client.force_login(reader)
    vary = client.get("/orgs/acme/members/")["Vary"]
    assert "HX-Request" in [v.strip() for v in vary.split(",")]


def test_input_limits_come_from_the_forms(client, owner):
    client.force_login(owner)
    html = client.get("/orgs/acme/members/").content.decode()
    email_field = User._meta.get_field("email").max_length
    assert f'maxlength="{email_field}"' in html and 'id="add-email"' in html
    assert 'maxlength="200"' in html and 'id="member-q"' in html


def test_search_and_pagination(client, owner, org):
    User.objects.bulk_create(User(email=f"user{i:03}@example.com") for i in range(120))
    Membership.objects.bulk_create(
        Membership(org=org, user=u, role=Role.READER)
        for u in User.objects.filter(email__startswith="user")
    )
    client.force_login(owner)
    assert "Page 1 of 3" in client.get("/orgs/acme/members/").content.decode()
    html = client.get("/orgs/acme/members/", {"q": "user11"}).content.decode()
    assert html.count('<tr id="member-') == 10  # user110..user119


def test_search_as_htmx_answers_only_the_list(client, owner, reader):
    client.force_login(owner)
    fragment = client.get(
        "/orgs/acme/members/", {"q": "reader"}, HTTP_HX_TARGET="member-list", **HTMX
    ).content.decode()
    assert '<div id="member-list">' in fragment
    assert "<h1>" not in fragment and fragment.count('<tr id="member-') == 1


def test_overlong_search_is_refused_not_truncated(client, owner, reader):
    client.force_login(owner)
    response = client.get("/orgs/acme/members/", {"q": "reader" + "x" * 300})
    assert response.status_code == 200
    assert "at most 200 characters" in unescape(response.content.decode())


def test_add_existing_member_is_refused(client, owner, reader):
    client.force_login(owner)
    response = client.post(
        "/orgs/acme/members/add/", {"email": reader.email, "role": "owner"}, follow=True
    )
    assert "already a member" in response.content.decode()
    assert m(reader).role == "reader"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "role": "reader"}, "Enter the email of the person to invite."),
        ({"email": "not-an-email", "role": "reader"}, "Enter a valid email address."),
        ({"email": "a" * 250 + "@example.com", "role": "reader"}, "at most 254 characters"),
        ({"email": "new@example.com", "role": "boss"}, "Role must be one of"),
    ],
)
def test_add_member_form_errors(client, owner, data, message):
    User.objects.create_user("new@example.com", "pw")
    client.force_login(owner)
    response = client.post("/orgs/acme/members/add/", data, follow=True)
    assert message in unescape(response.content.decode())
    assert not Membership.objects.filter(user__email="new@example.com").exists()
    assert not Invitation.objects.exists()


def test_promoting_to_owner_clears_the_allowlist(client, owner, restricted):
    client.force_login(owner)
    response = client.post(
        f"/orgs/acme/members/{restricted.pk}/role/",
        {"role": "owner", "clear_list": "on"},
        **HTMX,
    )
    assert (
        "restricted@example.com is now an owner. Their list of 1 model was cleared: they have "
        "every platform model."
    ) in response.content.decode()
    assert (m(restricted).role, m(restricted).allowed_model_ids) == ("owner", None)
    kinds = ModelAccessEvent.objects.filter(member=restricted).values_list("kind", flat=True)
    assert sorted(kinds) == ["access", "role"]


@pytest.mark.parametrize("role", ["boss", ""])
def test_unknown_role_is_refused(client, owner, contributor, role):
    client.force_login(owner)
    response = client.post(f"/orgs/acme/members/{contributor.pk}/role/", {"role": role}, **HTMX)
    assert response.status_code == 200
    assert f'<tr id="member-{contributor.pk}">' in response.content.decode()
    assert m(contributor).role == "contributor"


def test_role_change_without_htmx_redirects_with_a_message(client, owner, contributor):
    client.force_login(owner)
    response = client.post(
        f"/orgs/acme/members/{contributor.pk}/role/", {"role": "reader"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/orgs/acme/members/"
    assert "member@example.com is now a reader." in response.content.decode()


def test_remove_as_htmx_leaves_a_message_in_the_rows_place(client, owner, contributor):
    client.force_login(owner)
    response = client.post(f"/orgs/acme/members/{contributor.pk}/remove/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<tr") == 1
    assert f'<tr id="member-{contributor.pk}">' in html
    assert (
        'role="status" tabindex="-1" autofocus>Removed member@example.com from Acme Corp.' in html
    )
    assert not Membership.objects.filter(user=contributor).exists()
    assert ModelAccessEvent.objects.get().kind == "removed"


def test_remove_without_htmx_redirects_with_a_message(client, owner, contributor):
    client.force_login(owner)
    response = client.post(f"/orgs/acme/members/{contributor.pk}/remove/", follow=True)
    assert "Removed member@example.com from Acme Corp." in response.content.decode()
    assert not Membership.objects.filter(user=contributor).exists()


def test_an_owner_can_demote_another_owner(client, owner, co_owner):
    client.force_login(owner)
    client.post(f"/orgs/acme/members/{co_owner.pk}/role/", {"role": "reader"}, **HTMX)
    assert m(co_owner).role == "reader"


def test_audit_log_shows_changes(client, owner, restricted):
    client.force_login(owner)
    client.post(
        f"/orgs/acme/members/{restricted.pk}/access/", {"allow_all": "on", "version": 0}, **HTMX
    )
    html = unescape(client.get("/orgs/acme/audit/").content.decode())
    html = re.sub(r'</?span( class="id-whole")?>', "", html)  # ids are kept whole in spans
    assert "restricted@example.com" in html and "owner@example.com" in html
    assert "1 platform model (dn/claude-opus-4-6) → All platform models" in html


def test_audit_log_is_paginated(client, owner, restricted, org):
    ModelAccessEvent.objects.bulk_create(
        ModelAccessEvent(
            org=org,
            actor=owner,
            member=restricted,
            member_email=restricted.email,
            kind="access",
            before=None,
            after=[],
            via="api",
        )
        for _ in range(55)
    )
    client.force_login(owner)
    html = client.get("/orgs/acme/audit/").content.decode()
    assert "Page 1 of 2" in html and html.count("<tr>") == 51  # header + 50 rows
    assert "Page 2 of 2" in client.get("/orgs/acme/audit/", {"page": 2}).content.decode()
