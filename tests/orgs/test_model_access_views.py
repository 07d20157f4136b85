"""Owners edit model access: one member in the editor, or several with the bulk form."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from catalog.models import PlatformModel
from orgs.models import Membership, ModelAccessEvent

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
BULK = "/orgs/acme/members/bulk-access/"


def m(user) -> Membership:
    return Membership.objects.get(user=user, org__slug="acme")


def editor(user) -> str:
    return f"/orgs/acme/members/{user.pk}/access/"


def ticked(*users) -> list[str]:
    """Bulk checkbox values as the members page renders them: id and the version shown."""
    return [f"{u.pk}:{m(u).access_version}" for u in users]


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
def test_editor_stores_null_empty_or_the_list(client, owner, restricted, data, expected):
    client.force_login(owner)
    response = client.post(editor(restricted), data | {"version": 0}, **HTMX)
    assert response.status_code == 200
    assert m(restricted).allowed_model_ids == expected


def test_editor_save_is_audited(client, owner, restricted):
    client.force_login(owner)
    client.post(editor(restricted), {"models": ["dn/gpt-5.2"], "version": 0}, **HTMX)
    event = ModelAccessEvent.objects.get()
    assert (event.before, event.after, event.via, event.actor) == (
        ["dn/claude-opus-4-6"],
        ["dn/gpt-5.2"],
        "web",
        owner,
    )


@pytest.mark.parametrize(("stored", "checked"), [(None, True), ([], False)])
def test_editor_shows_the_stored_value(client, owner, restricted, stored, checked):
    Membership.objects.filter(user=restricted).update(allowed_model_ids=stored)
    client.force_login(owner)
    html = client.get(editor(restricted), **HTMX).content.decode()
    assert ('name="allow_all" value="on" checked' in html) is checked


def test_editor_refuses_unknown_ids_and_changes_nothing(client, owner, restricted):
    client.force_login(owner)
    response = client.post(
        editor(restricted), {"models": ["dn/nope", "openai/gpt-4o"], "version": 0}, **HTMX
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "Not platform models" in html
    assert 'value="dn/gpt-5.2"' in html  # the editor is shown again
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6"]


@pytest.mark.parametrize("version", [None, "", "x", "-1"])
def test_editor_without_a_valid_version_is_refused(client, owner, restricted, version):
    client.force_login(owner)
    data = {"models": ["dn/gpt-5.2"]} | ({} if version is None else {"version": version})
    response = client.post(editor(restricted), data, **HTMX)
    assert response.status_code == 200
    assert "This page is out of date. Reload it" in unescape(response.content.decode())
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6"]
    assert not ModelAccessEvent.objects.exists()


def test_owner_rows_have_no_editor_and_cannot_be_restricted(client, owner, co_owner):
    client.force_login(owner)
    response = client.post(editor(co_owner), {"models": [], "version": 0}, **HTMX)
    assert "Owners always have every platform model" in unescape(response.content.decode())
    assert m(co_owner).allowed_model_ids is None


def test_conflict_is_reported_with_the_current_value(client, owner, restricted):
    client.force_login(owner)
    client.post(editor(restricted), {"models": ["dn/gpt-5.2"], "version": 0}, **HTMX)
    response = client.post(editor(restricted), {"allow_all": "on", "version": 0}, **HTMX)
    html = unescape(response.content.decode())
    assert "Someone else changed this member's access" in html
    assert "It is now: 1 platform model" in html
    assert m(restricted).allowed_model_ids == ["dn/gpt-5.2"]
    assert ModelAccessEvent.objects.count() == 1


def test_removed_deployment_is_shown_and_kept(client, owner, restricted, platform_models):
    platform_models[0].is_active = False  # dn/claude-opus-4-6 no longer deployed
    platform_models[0].save()
    client.force_login(owner)
    assert "no longer deployed" in client.get(editor(restricted), **HTMX).content.decode()
    data = {"models": ["dn/claude-opus-4-6", "dn/gpt-5.2"], "version": 0}
    client.post(editor(restricted), data, **HTMX)
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6", "dn/gpt-5.2"]


def test_editor_works_without_javascript(client, owner, restricted):
    client.force_login(owner)
    html = client.get(editor(restricted)).content.decode()
    assert "<h1>Model access</h1>" in html and 'name="allow_all"' in html
    response = client.post(
        editor(restricted), {"models": ["dn/gpt-5.2"], "version": 0}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/orgs/acme/members/"
    assert "now has 1 platform model" in response.content.decode()
    assert m(restricted).allowed_model_ids == ["dn/gpt-5.2"]


def test_stale_save_without_javascript_shows_the_editor_again(client, owner, restricted):
    Membership.objects.filter(user=restricted).update(access_version=1)
    client.force_login(owner)
    response = client.post(editor(restricted), {"allow_all": "on", "version": 0})
    assert response.status_code == 200
    assert "Someone else changed" in unescape(response.content.decode())


def test_restriction_takes_effect_on_the_next_request(client, owner, contributor, platform_models):
    member_client = Client()
    member_client.force_login(contributor)
    assert "restricted available models" not in member_client.get("/settings/chat-models/").text
    client.force_login(owner)
    client.post(editor(contributor), {"models": ["dn/gpt-5.2"], "version": 0}, **HTMX)
    html = member_client.get("/settings/chat-models/").content.decode()
    assert "Your org has restricted available models." in html
    picker = html.split('id="platform-heading"')[1].split('id="locked-heading"')[0]
    assert "dn/claude-opus-4-6" not in picker  # now among the models they can ask for


def test_members_page_carries_each_members_version_for_bulk(client, owner, restricted):
    Membership.objects.filter(user=restricted).update(access_version=7)
    client.force_login(owner)
    html = client.get("/orgs/acme/members/").content.decode()
    assert f'name="members" value="{restricted.pk}:7"' in html


def test_bulk_applies_one_setting(client, owner, contributor, reader, platform_models):
    client.force_login(owner)
    response = client.post(
        BULK, {"members": ticked(contributor, reader), "models": ["dn/gpt-5.2"]}, follow=True
    )
    assert "Updated model access for 2 members." in response.content.decode()
    assert m(contributor).allowed_model_ids == m(reader).allowed_model_ids == ["dn/gpt-5.2"]
    assert ModelAccessEvent.objects.filter(via="web").count() == 2


def test_bulk_skips_owners_and_the_actor(client, owner, co_owner, contributor):
    client.force_login(owner)
    response = client.post(
        BULK, {"members": ticked(contributor, co_owner, owner), "models": []}, follow=True
    )
    assert (
        "Updated model access for 1 member. 2 members skipped: owners and you keep every model."
    ) in response.content.decode()
    assert m(contributor).allowed_model_ids == []
    assert m(owner).allowed_model_ids is None and m(co_owner).allowed_model_ids is None


@pytest.mark.parametrize(("data", "expected"), [({}, []), ({"allow_all": "on"}, None)])
def test_bulk_stores_none_or_all(client, owner, restricted, data, expected):
    client.force_login(owner)
    client.post(BULK, {"members": ticked(restricted)} | data)
    assert m(restricted).allowed_model_ids == expected


def test_bulk_leaves_members_changed_since_the_page_was_rendered(
    client, owner, contributor, reader, restricted
):
    client.force_login(owner)
    shown = ticked(contributor, reader, restricted)  # what the owner's page shows
    other_owner = Client()
    other_owner.force_login(owner)
    other_owner.post(editor(reader), {"models": [], "version": 0})
    other_owner.post(editor(restricted), {"allow_all": "on", "version": 0})
    response = client.post(BULK, {"members": shown, "models": ["dn/gpt-5.2"]}, follow=True)
    html = response.content.decode()
    assert "Updated model access for 1 member." in html
    assert (
        "2 members changed since you loaded the page and kept their access: "
        "reader@example.com, restricted@example.com. Review them."
    ) in html
    assert m(contributor).allowed_model_ids == ["dn/gpt-5.2"]
    assert m(reader).allowed_model_ids == [] and m(restricted).allowed_model_ids is None


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([], "Select the members to change first."),
        (["not-a-uuid:0"], "This page is out of date. Reload it"),
        (["{id}"], "This page is out of date. Reload it"),
        (["{id}:x"], "This page is out of date. Reload it"),
    ],
)
def test_bulk_form_errors_change_nobody(client, owner, contributor, members, message):
    client.force_login(owner)
    members = [v.format(id=contributor.pk) for v in members]
    response = client.post(BULK, {"members": members, "models": ["dn/gpt-5.2"]}, follow=True)
    assert message in unescape(response.content.decode())
    assert m(contributor).allowed_model_ids is None
    assert not ModelAccessEvent.objects.exists()


def test_bulk_with_a_bad_model_id_changes_nobody(client, owner, contributor, reader):
    client.force_login(owner)
    response = client.post(
        BULK,
        {"members": ticked(contributor, reader), "models": ["dn/gpt-5.2", "dn/fake"]},
        follow=True,
    )
    assert "Not platform models" in unescape(response.content.decode())
    assert m(contributor).allowed_model_ids is None and m(reader).allowed_model_ids is None


def test_nul_in_a_model_id_is_refused_by_the_editor(client, owner, restricted):
    client.force_login(owner)
    response = client.post(editor(restricted), {"models": ["dn/\x00"], "version": 0}, **HTMX)
    assert response.status_code == 400  # refused before any view by the unstorable-text guard
    assert "can't be stored" in response.content.decode()
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6"]


def test_nul_in_a_model_id_is_refused_by_the_bulk_form(client, owner, restricted):
    client.force_login(owner)
    data = {"members": ticked(restricted), "models": ["dn/\x00"]}
    response = client.post(BULK, data)
    assert response.status_code == 400
    assert "can't be stored" in response.content.decode()
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6"]


def test_bulk_that_changes_nobody_says_nothing_changed(client, owner, contributor, reader):
    client.force_login(owner)
    response = client.post(
        BULK, {"members": ticked(contributor, reader, owner), "allow_all": "on"}, follow=True
    )
    html = response.content.decode()
    assert (
        "Nothing changed. 2 members already had that access. "
        "1 member skipped: owners and you keep every model."
    ) in html
    assert "Updated model access" not in html
    assert not ModelAccessEvent.objects.exists()


def test_bulk_counts_unchanged_members_apart(client, owner, contributor, restricted):
    client.force_login(owner)
    data = {"members": ticked(contributor, restricted), "models": ["dn/claude-opus-4-6"]}
    html = client.post(BULK, data, follow=True).content.decode()
    assert "Updated model access for 1 member. 1 member already had that access." in html


def test_saved_message_counts_only_deployed_models(client, owner, restricted, platform_models):
    PlatformModel.objects.filter(model_id="dn/claude-opus-4-6").update(is_active=False)
    client.force_login(owner)
    data = {"models": ["dn/claude-opus-4-6", "dn/gpt-5.2"], "version": 0}
    html = unescape(client.post(editor(restricted), data, **HTMX).content.decode())
    assert "now has 1 platform model (and 1 no longer deployed)." in html
