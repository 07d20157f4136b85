"""Members page and owner actions: access matrix, semantics, conflicts, audit, query counts."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from accounts.models import User
from orgs.models import Membership, ModelAccessEvent, Role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def m(user) -> Membership:
    return Membership.objects.get(user=user, org__slug="acme")


def owner_actions(target) -> list[tuple[str, str, dict]]:
    base = f"/orgs/acme/members/{target.pk}"
    return [
        ("get", f"{base}/access/", {}),
        ("post", f"{base}/access/", {"allow_all": "on"}),
        ("post", f"{base}/role/", {"role": "reader"}),
        ("post", f"{base}/remove/", {}),
        ("post", "/orgs/acme/members/add/", {"email": "x@example.com", "role": "reader"}),
        ("post", "/orgs/acme/members/bulk-access/", {"members": [target.pk], "models": []}),
        ("get", "/orgs/acme/audit/", {}),
    ]


def test_anonymous_goes_to_login(client, contributor):
    for method, url, data in [("get", "/orgs/acme/members/", {}), *owner_actions(contributor)]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_outsiders_get_404_everywhere(client, outsider, contributor, platform_models):
    client.force_login(outsider)  # owns another org
    assert client.get("/orgs/acme/members/").status_code == 404
    for method, url, data in owner_actions(contributor):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert m(contributor).allowed_model_ids is None


@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owners_get_403_on_owner_actions(client, request, persona, restricted, platform_models):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/orgs/acme/members/").status_code == 200
    for method, url, data in owner_actions(restricted):
        assert getattr(client, method)(url, data).status_code == 403, url
    # ...and they cannot change themselves either.
    for method, url, data in owner_actions(user):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6"]
    assert m(user).role == persona if persona == "reader" else m(user).role == "contributor"
    assert not ModelAccessEvent.objects.exists()


def test_owner_cannot_change_own_access_or_role(client, owner, platform_models):
    client.force_login(owner)
    base = f"/orgs/acme/members/{owner.pk}"
    assert client.post(f"{base}/access/", {"models": []}).status_code == 403
    assert client.post(f"{base}/role/", {"role": "reader"}).status_code == 403
    assert m(owner).role == "owner" and m(owner).allowed_model_ids is None


def test_wrong_methods_and_csrf(owner, contributor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    base = f"/orgs/acme/members/{contributor.pk}"
    assert client.post(f"{base}/access/", {"models": []}).status_code == 403  # no CSRF token
    assert client.get(f"{base}/role/").status_code == 405
    assert client.get(f"{base}/remove/").status_code == 405
    assert client.get("/orgs/acme/members/bulk-access/").status_code == 405
    assert m(contributor).allowed_model_ids is None
    plain = Client()
    plain.force_login(owner)
    assert plain.put(f"{base}/access/").status_code == 405
    assert plain.delete(f"{base}/remove/").status_code == 405


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
    assert "Model access for" not in html  # readers get no editor
    client.force_login(owner)
    html = client.get("/orgs/acme/members/").content.decode()
    assert f"Model access for {restricted.email}" in html
    assert f"Model access for {owner.email}" not in html  # own row is read-only


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"allow_all": "on", "models": ["dn/gpt-5.2"]}, None),
        ({}, []),
        ({"models": ["dn/gpt-5.2"]}, ["dn/gpt-5.2"]),
        (
            {"models": ["dn/gemini-3-pro", "dn/gpt-5.2", "dn/gpt-5.2"]},
            ["dn/gemini-3-pro", "dn/gpt-5.2"],
        ),
    ],
)
def test_editor_round_trips_null_empty_and_list(client, owner, restricted, data, expected):
    client.force_login(owner)
    url = f"/orgs/acme/members/{restricted.pk}/access/"
    response = client.post(url, data | {"version": m(restricted).access_version}, **HTMX)
    assert response.status_code == 200
    assert m(restricted).allowed_model_ids == expected
    event = ModelAccessEvent.objects.get()
    assert (event.before, event.after, event.via, event.actor) == (
        ["dn/claude-opus-4-6"],
        expected,
        "web",
        owner,
    )
    editor = client.get(url, **HTMX).content.decode()
    assert ('name="allow_all" value="on" checked' in editor) == (expected is None)


def test_editor_refuses_unknown_ids_and_changes_nothing(client, owner, restricted):
    client.force_login(owner)
    response = client.post(
        f"/orgs/acme/members/{restricted.pk}/access/",
        {"models": ["dn/nope", "openai/gpt-4o"]},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Not platform models" in unescape(response.content.decode())
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6"]


def test_owner_rows_have_no_editor_and_cannot_be_restricted(client, owner, org, platform_models):
    other_owner = User.objects.create_user("owner2@example.com", "pw")
    Membership.objects.create(org=org, user=other_owner, role=Role.OWNER)
    client.force_login(owner)
    response = client.post(f"/orgs/acme/members/{other_owner.pk}/access/", {"models": []}, **HTMX)
    assert "Owners always have every platform model" in response.content.decode()
    assert m(other_owner).allowed_model_ids is None


def test_conflict_is_reported_with_the_current_value(client, owner, restricted):
    client.force_login(owner)
    url = f"/orgs/acme/members/{restricted.pk}/access/"
    opened_version = m(restricted).access_version
    client.post(url, {"models": ["dn/gpt-5.2"], "version": opened_version}, **HTMX)
    response = client.post(url, {"allow_all": "on", "version": opened_version}, **HTMX)
    html = unescape(response.content.decode())
    assert "Someone else changed this member's access" in html
    assert "It is now: 1 platform model" in html
    assert m(restricted).allowed_model_ids == ["dn/gpt-5.2"]
    assert ModelAccessEvent.objects.count() == 1


def test_removed_deployment_is_shown_and_kept(client, owner, restricted, platform_models):
    platform_models[0].is_active = False  # dn/claude-opus-4-6 no longer deployed
    platform_models[0].save()
    client.force_login(owner)
    url = f"/orgs/acme/members/{restricted.pk}/access/"
    html = client.get(url, **HTMX).content.decode()
    assert "no longer deployed" in html
    version = m(restricted).access_version
    client.post(url, {"models": ["dn/claude-opus-4-6", "dn/gpt-5.2"], "version": version}, **HTMX)
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6", "dn/gpt-5.2"]


def test_bulk_applies_one_setting_and_skips_owners(client, owner, contributor, reader, restricted):
    client.force_login(owner)
    response = client.post(
        "/orgs/acme/members/bulk-access/",
        {"members": [contributor.pk, reader.pk, owner.pk], "models": ["dn/gpt-5.2"]},
        follow=True,
    )
    assert "Updated model access for 2 members (1 skipped" in response.content.decode()
    assert m(contributor).allowed_model_ids == ["dn/gpt-5.2"]
    assert m(reader).allowed_model_ids == ["dn/gpt-5.2"]
    assert m(owner).allowed_model_ids is None
    assert ModelAccessEvent.objects.filter(via="web").count() == 2
    client.post("/orgs/acme/members/bulk-access/", {"members": [contributor.pk]})
    assert m(contributor).allowed_model_ids == []
    client.post("/orgs/acme/members/bulk-access/", {"members": [contributor.pk], "allow_all": "on"})
    assert m(contributor).allowed_model_ids is None


def test_bulk_with_a_bad_id_changes_nobody(client, owner, contributor, reader, platform_models):
    client.force_login(owner)
    response = client.post(
        "/orgs/acme/members/bulk-access/",
        {"members": [contributor.pk, reader.pk], "models": ["dn/gpt-5.2", "dn/fake"]},
        follow=True,
    )
    assert "Not platform models" in unescape(response.content.decode())
    assert m(contributor).allowed_model_ids is None and m(reader).allowed_model_ids is None


def test_add_change_role_and_remove(client, owner, contributor, restricted):
    User.objects.create_user("new@example.com", "pw")
    client.force_login(owner)
    response = client.post(
        "/orgs/acme/members/add/", {"email": "NEW@example.com", "role": "reader"}, follow=True
    )
    assert "Added new@example.com as reader" in response.content.decode()
    response = client.post(
        "/orgs/acme/members/add/", {"email": "ghost@example.com", "role": "reader"}, follow=True
    )
    assert "No account uses ghost@example.com" in response.content.decode()
    response = client.post(
        "/orgs/acme/members/add/", {"email": "new@example.com", "role": "reader"}, follow=True
    )
    assert "already a member" in response.content.decode()

    client.post(f"/orgs/acme/members/{restricted.pk}/role/", {"role": "owner"}, **HTMX)
    assert m(restricted).role == "owner"
    assert m(restricted).allowed_model_ids is None  # promotion clears the allowlist
    kinds = list(ModelAccessEvent.objects.filter(member=restricted).values_list("kind", flat=True))
    assert sorted(kinds) == ["access", "role"]

    response = client.post(f"/orgs/acme/members/{contributor.pk}/role/", {"role": "boss"}, **HTMX)
    assert "Role must be one of" in response.content.decode()

    response = client.post(f"/orgs/acme/members/{contributor.pk}/remove/", **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert not Membership.objects.filter(user=contributor).exists()


def test_last_owner_cannot_be_demoted_or_removed(client, owner, org):
    co_owner = User.objects.create_user("co@example.com", "pw")
    Membership.objects.create(org=org, user=co_owner, role=Role.OWNER)
    client.force_login(owner)
    client.post(f"/orgs/acme/members/{co_owner.pk}/role/", {"role": "reader"}, **HTMX)
    assert m(co_owner).role == "reader"
    # Now `owner` is the last owner; co_owner (reader) can't act, and owner can't touch self.
    from orgs import services

    with pytest.raises(Exception, match="last owner"):
        services.set_role(membership=m(owner), role="reader", actor=owner, via="web")
    with pytest.raises(Exception, match="last owner"):
        services.remove_member(membership=m(owner), actor=owner, via="web")
    assert m(owner).role == "owner"


def test_audit_log_shows_changes_to_owners_only(client, owner, reader, restricted):
    client.force_login(owner)
    client.post(f"/orgs/acme/members/{restricted.pk}/access/", {"allow_all": "on"}, **HTMX)
    html = client.get("/orgs/acme/audit/").content.decode()
    assert "restricted@example.com" in html and "owner@example.com" in html
    assert "1 platform model (dn/claude-opus-4-6) → All platform models" in unescape(html)
    client.force_login(reader)
    assert client.get("/orgs/acme/audit/").status_code == 403


def test_restriction_takes_effect_on_the_next_request(client, owner, contributor, platform_models):
    member_client = Client()
    member_client.force_login(contributor)
    assert (
        "restricted available models"
        not in member_client.get("/settings/chat-models/").content.decode()
    )
    client.force_login(owner)
    client.post(f"/orgs/acme/members/{contributor.pk}/access/", {"models": ["dn/gpt-5.2"]}, **HTMX)
    html = member_client.get("/settings/chat-models/").content.decode()
    assert "Your org has restricted available models." in html
    assert "dn/claude-opus-4-6" not in html.split('id="byok"')[0]


def test_search_and_pagination(client, owner, org):
    User.objects.bulk_create(User(email=f"user{i:03}@example.com") for i in range(120))
    Membership.objects.bulk_create(
        Membership(org=org, user=u, role=Role.READER)
        for u in User.objects.filter(email__startswith="user")
    )
    client.force_login(owner)
    html = client.get("/orgs/acme/members/").content.decode()
    assert "Page 1 of 3" in html
    html = client.get("/orgs/acme/members/", {"q": "user11"}).content.decode()
    assert html.count('<tr id="member-') == 10  # user110..user119
    fragment = client.get(
        "/orgs/acme/members/", {"q": "user001"}, HTTP_HX_TARGET="member-list", **HTMX
    ).content.decode()
    assert '<div id="member-list">' in fragment
    assert "<h1>" not in fragment and fragment.count('<tr id="member-') == 1


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


def test_access_editor_works_without_javascript(client, owner, restricted):
    client.force_login(owner)
    url = f"/orgs/acme/members/{restricted.pk}/access/"
    html = client.get(url).content.decode()
    assert "<h1>Model access</h1>" in html and 'name="allow_all"' in html
    response = client.post(url, {"models": ["dn/gpt-5.2"], "version": 0}, follow=True)
    assert response.redirect_chain[-1][0] == "/orgs/acme/members/"
    assert "now has 1 platform model" in response.content.decode()
    assert m(restricted).allowed_model_ids == ["dn/gpt-5.2"]
    response = client.post(url, {"allow_all": "on", "version": 0})  # stale version
    assert response.status_code == 200 and "Someone else changed" in unescape(
        response.content.decode()
    )
