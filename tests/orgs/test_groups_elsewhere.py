"""Groups where they show outside their own pages: the Members page (each member's groups,
deactivated and identity-provider-managed members), the audit log, the admin and the demo."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.management import call_command

from catalog.platform import deployed_models
from orgs import groups
from orgs.models import Group, Membership, ModelAccessEvent
from tests.helpers import add_members

pytestmark = pytest.mark.django_db


def m(user) -> Membership:
    return Membership.objects.select_related("user").get(user=user, org__slug="acme")


@pytest.fixture
def research(org, owner, restricted, contributor, platform_models) -> Group:
    group = groups.create_group(org=org, name="Research", actor=owner, via="web")
    groups.add_group_members(
        group=group, memberships=[m(restricted), m(contributor)], actor=owner, via="web"
    )
    return group


def row_of(html: str, user) -> str:
    start = html.index(f'<tr id="member-{user.pk}">')
    return html[start : html.index("</tr>", start)]


def test_members_page_names_each_member_groups_linked_for_owners(
    client, owner, org, research, restricted, reader
):
    contractors = groups.create_group(org=org, name="Contractors", actor=owner, via="web")
    groups.add_group_members(group=contractors, memberships=[m(restricted)], actor=owner, via="web")
    client.force_login(owner)
    row = row_of(client.get("/orgs/acme/members/").content.decode(), restricted)
    assert (
        f'Groups: <a href="/orgs/acme/groups/{contractors.pk}/">Contractors</a>, '
        f'<a href="/orgs/acme/groups/{research.pk}/">Research</a>'
    ) in row
    client.force_login(reader)  # sees the names, not links to owner pages
    row = row_of(client.get("/orgs/acme/members/").content.decode(), restricted)
    assert "Groups: Contractors, Research" in row and "/groups/" not in row


def test_members_page_shows_effective_access_from_groups(client, owner, research, restricted):
    groups.set_group_models(
        group=research, allowed_model_ids=["dn/gpt-5.2"], actor=owner, via="web"
    )
    client.force_login(owner)
    row = row_of(client.get("/orgs/acme/members/").content.decode(), restricted)
    assert "2 platform models" in row  # their own one and the group's


def test_a_deactivated_member_has_no_access_and_no_actions(client, owner, restricted):
    Membership.objects.filter(user=restricted).update(is_active=False)
    client.force_login(owner)
    row = row_of(client.get("/orgs/acme/members/").content.decode(), restricted)
    assert "Deactivated by your identity provider" in row and "No access" in row
    assert "1 platform model" not in row
    assert f"Model access for {restricted.email}" not in row
    assert f'id="role-{restricted.pk}"' not in row
    assert f"Remove {restricted.email}" not in row
    assert "disabled" in row  # its bulk-change box


def test_a_deactivated_member_role_cannot_be_changed(client, owner, restricted):
    Membership.objects.filter(user=restricted).update(is_active=False)
    client.force_login(owner)
    before = ModelAccessEvent.objects.count()
    response = client.post(
        f"/orgs/acme/members/{restricted.pk}/role/", {"role": "reader"}, follow=True
    )
    assert "Deactivated by your identity provider: reactivate them there first." in unescape(
        response.content.decode()
    )
    assert m(restricted).role == "contributor" and ModelAccessEvent.objects.count() == before


def test_a_provisioned_member_is_not_offered_remove(client, owner, restricted, contributor):
    Membership.objects.filter(user=restricted).update(provisioned=True)
    client.force_login(owner)
    html = client.get("/orgs/acme/members/").content.decode()
    row = row_of(html, restricted)
    assert "Managed by your identity provider" in row and f"Remove {restricted.email}" not in row
    assert f"Model access for {restricted.email}" in row  # identity providers don't send it
    assert f"Remove {contributor.email}" in row_of(html, contributor)


def test_removing_a_provisioned_member_is_refused(client, owner, restricted):
    Membership.objects.filter(user=restricted).update(provisioned=True)
    client.force_login(owner)
    before = ModelAccessEvent.objects.count()
    response = client.post(f"/orgs/acme/members/{restricted.pk}/remove/", follow=True)
    assert "Managed by your identity provider: changes here would be undone by its next sync." in (
        unescape(response.content.decode())
    )
    assert Membership.objects.filter(user=restricted).exists()
    assert ModelAccessEvent.objects.count() == before


@pytest.mark.parametrize("count", [10, 400])
def test_members_page_queries_stay_constant_with_groups(
    client, owner, org, platform_models, django_assert_num_queries, count
):
    add_members(org, count)
    everyone = list(Membership.objects.filter(org=org))
    for i in range(3):
        group = groups.create_group(org=org, name=f"Team {i}", actor=owner, via="web")
        groups.add_group_members(group=group, memberships=everyone, actor=owner, via="web")
    client.force_login(owner)
    deployed_models()  # read once per process while the list doesn't change
    # User, memberships, member count, pending invitations, the nav's pending access requests,
    # the page of members and their groups.
    with django_assert_num_queries(7):
        response = client.get("/orgs/acme/members/", {"page": 2 if count > 100 else 1})
    assert response.content.decode().count("Groups: ") == (11 if count == 10 else 50)


# The audit log.


def test_audit_log_reads_group_changes_as_sentences(
    client, owner, org, restricted, platform_models
):
    owner.name = "Ana"
    owner.save()
    restricted.name = "Bob"
    restricted.save()
    group = groups.create_group(org=org, name="Research", actor=owner, via="web")
    groups.add_group_members(group=group, memberships=[m(restricted)], actor=owner, via="web")
    groups.set_group_models(
        group=group, allowed_model_ids=["dn/gpt-5.2", "dn/gemini-3-pro"], actor=owner, via="web"
    )
    groups.remove_group_members(group=group, memberships=[m(restricted)], actor=None, via="scim")
    groups.rename_group(group=group, name="Science", actor=owner, via="web")
    groups.delete_group(group=group, actor=owner, via="web")
    client.force_login(owner)
    html = unescape(client.get("/orgs/acme/audit/").content.decode())
    text = " ".join(html.replace("<strong>", "").replace("</strong>", "").split())
    for sentence in [
        "Ana created group Research",
        "Ana added Bob to group Research",
        "Ana set group Research's models: 2 platform models (",
        "Identity provider (SCIM) removed Bob from group Research",
        "Ana renamed group Research to Science",
        "Ana deleted group Science",
    ]:
        assert sentence in text, sentence
    assert '<span class="id-whole">dn/gpt-5.2</span>' in html  # ids kept whole


def test_audit_log_reads_deactivation(client, owner, org, restricted):
    for kind in ("deactivated", "reactivated"):
        ModelAccessEvent.objects.create(
            org=org, member=restricted, member_email=restricted.email, kind=kind, via="scim"
        )
    client.force_login(owner)
    html = unescape(client.get("/orgs/acme/audit/").content.decode())
    assert "Identity provider (SCIM) deactivated restricted@example.com: no access" in html
    assert "Identity provider (SCIM) reactivated restricted@example.com" in html


# The admin and the demo.


def test_admin_changes_go_through_the_audited_services(admin_client, org, research):
    url = f"/admin/orgs/group/{research.pk}/change/"
    assert admin_client.get("/admin/orgs/group/").status_code == 200
    response = admin_client.post(
        url, {"name": "Science", "allowed_model_ids": '["dn/gpt-5.2"]'}, follow=True
    )
    assert response.status_code == 200
    research.refresh_from_db()
    assert (research.name, research.allowed_model_ids) == ("Science", ["dn/gpt-5.2"])
    kinds = ModelAccessEvent.objects.filter(via="admin").values_list("kind", flat=True)
    assert sorted(kinds) == ["group_access", "group_renamed"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "research", "allowed_model_ids": "[]"}, "already has a group named research"),
        ({"name": "Ops", "allowed_model_ids": '["dn/nope"]'}, "Not platform models"),
    ],
)
def test_admin_refuses_what_the_pages_refuse(admin_client, org, research, data, error):
    response = admin_client.post("/admin/orgs/group/add/", {"org": org.pk, **data})
    assert response.status_code == 200 and error in unescape(response.content.decode())
    assert Group.objects.count() == 1


def test_seed_demo_has_a_research_group_once(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    group = Group.objects.get(org__slug="acme")
    assert group.name == "Research" and len(group.allowed_model_ids) == 2
    assert not group.members.exists()  # the demo people keep the access the README describes


def test_a_deactivated_member_access_cannot_be_edited_by_url(client, owner, restricted):
    Membership.objects.filter(user=restricted).update(is_active=False)
    client.force_login(owner)
    url = f"/orgs/acme/members/{restricted.pk}/access/"
    assert "reactivate them there first" in client.get(url).content.decode()
    response = client.post(url, {"allowed_model_ids": [], "version": 0}, follow=True)
    assert "reactivate them there first" in unescape(response.content.decode())
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6"]


def test_the_matrix_shows_a_deactivated_member_without_access_and_leaves_them_alone(
    client, owner, org, research, restricted
):
    groups.set_group_models(group=research, allowed_model_ids=None, actor=owner, via="web")
    Membership.objects.filter(user=restricted).update(is_active=False)
    client.force_login(owner)
    html = client.get("/orgs/acme/access/").content.decode()
    start = html.index(f"{restricted.email}<span")
    row = html[start : html.index("</tr>", start)]
    assert "deactivated" in row and "From group" not in row and "Listed" not in row
    assert f"for {restricted.email}" not in row  # no boxes: nothing to change
    assert f'value="{restricted.pk}:' not in html  # nor a box to pick them for a bulk change
    preview = client.post(
        "/orgs/acme/access/preview/",
        {"kind": "allow", "model": "dn/gpt-5.2", "scope": "search", "q": restricted.email},
    ).content.decode()
    assert "1 member deactivated by your identity provider unchanged" in unescape(preview)
    version = Membership.objects.get(user=restricted).access_version
    client.post(
        "/orgs/acme/access/apply/",
        {"kind": "allow", "model": "dn/gpt-5.2", "versions": f"{restricted.pk}:{version}"},
    )
    assert m(restricted).allowed_model_ids == ["dn/claude-opus-4-6"]  # a forged Confirm too
