"""Provisioning sequences replayed as Okta and Microsoft Entra ID send them, with the
request bodies of their documentation (Okta's "SCIM 2.0 provisioning" guide; Microsoft's
"Tutorial: Develop and plan provisioning for a SCIM endpoint"): create a user, create a
group, add to it, rename it, deactivate, reactivate, remove from the group, delete."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import ApiKey, User
from orgs.models import Group, Membership, ModelAccessEvent, Role
from tests.scim.conftest import GROUP, USER, assert_scim_error

pytestmark = pytest.mark.django_db
Kind = ModelAccessEvent.Kind
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def gateway_status(user: User) -> int:
    """What the gateway's access question answers for their API key in acme."""
    raw = ApiKey.issue(user=user, name="cli")[1]
    return Client(HTTP_X_API_KEY=raw).get("/api/v1/gateway/access?org=acme").status_code


def scim_events() -> list[tuple[str, str]]:
    events = ModelAccessEvent.objects.filter(via="scim", actor=None).order_by("created_at", "id")
    return [(e.kind, e.member_email or e.group) for e in events]


def test_okta_sequence(scim, org, owner, platform_models):
    org.default_allowed_model_ids = [platform_models[0].model_id]
    org.save()
    email = "test.user@okta.local"
    found = scim.get("/Users", filter=f'userName eq "{email}"', startIndex="1", count="100")
    assert found.json()["totalResults"] == 0 and found.json()["Resources"] == []
    created = scim.post(
        "/Users",
        {
            "schemas": [USER],
            "userName": email,
            "name": {"givenName": "Test", "familyName": "User"},
            "emails": [{"primary": True, "value": email, "type": "work"}],
            "displayName": "Test User",
            "locale": "en-US",
            "externalId": "00ujl29u0le5T6Aj10h7",
            "groups": [],
            "password": "1mz050nq",
            "active": True,
        },
    )
    assert created.status_code == 201, created.content
    assert created["Content-Type"].startswith("application/scim+json")
    body = created.json()
    user = User.objects.get(email=email)
    assert body["id"] == str(user.pk) and created["Location"].endswith(f"/Users/{user.pk}")
    assert body["userName"] == email and body["active"] is True
    assert body["name"] == {"givenName": "Test", "familyName": "User"}
    assert "password" not in body and "locale" not in body
    membership = Membership.objects.get(org=org, user=user)
    assert membership.provisioned and membership.external_id == "00ujl29u0le5T6Aj10h7"
    assert membership.role == Role.CONTRIBUTOR
    assert membership.allowed_model_ids == [platform_models[0].model_id]
    assert user.name == "Test User" and not user.has_usable_password()
    assert gateway_status(user) == 200
    # Okta's lookup of the same person finds them now.
    again = scim.get("/Users", filter=f'userName eq "{email.upper()}"')
    assert [r["id"] for r in again.json()["Resources"]] == [str(user.pk)]

    group = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Test SCIMv2", "members": []})
    assert group.status_code == 201, group.content
    group_id = group.json()["id"]
    assert Group.objects.get(pk=group_id).provisioned
    added = scim.patch(
        f"/Groups/{group_id}",
        {"op": "add", "path": "members", "value": [{"value": str(user.pk), "display": email}]},
    )
    assert added.status_code == 200, added.content
    assert [m["value"] for m in added.json()["members"]] == [str(user.pk)]
    renamed = scim.patch(
        f"/Groups/{group_id}",
        {"op": "replace", "value": {"id": group_id, "displayName": "Research"}},
    )
    assert renamed.json()["displayName"] == "Research"
    assert Group.objects.get(pk=group_id).name == "Research"

    off = scim.patch(f"/Users/{user.pk}", {"op": "replace", "value": {"active": False}})
    assert off.status_code == 200 and off.json()["active"] is False
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert gateway_status(user) == 404
    page = Client()
    page.force_login(user)
    assert page.get("/orgs/acme/members/").status_code == 404
    on = scim.patch(f"/Users/{user.pk}", {"op": "replace", "value": {"active": True}})
    assert on.json()["active"] is True and gateway_status(user) == 200

    removed = scim.patch(
        f"/Groups/{group_id}", {"op": "remove", "path": f'members[value eq "{user.pk}"]'}
    )
    assert removed.status_code == 200 and "members" not in removed.json()
    assert scim.delete(f"/Users/{user.pk}").status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=user.pk).exists()  # the account stays
    assert_scim_error(scim.get(f"/Users/{user.pk}"), 404)
    assert scim.delete(f"/Groups/{group_id}").status_code == 204
    assert scim_events() == [
        (Kind.ADDED, email),
        (Kind.GROUP_CREATED, "Test SCIMv2"),
        (Kind.GROUP_JOINED, email),
        (Kind.GROUP_RENAMED, "Research"),
        (Kind.DEACTIVATED, email),
        (Kind.REACTIVATED, email),
        (Kind.GROUP_LEFT, email),
        (Kind.REMOVED, email),
        (Kind.GROUP_DELETED, "Research"),
    ]


def test_entra_sequence(scim, org, owner):
    # Microsoft's example userName is "Test_User_<guid>"; here userName is the login email,
    # so Entra maps it from the userPrincipalName, as deployments do.
    upn = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com"
    assert scim.get("/Users", filter=f'userName eq "{upn}"').json()["totalResults"] == 0
    created = scim.post(
        "/Users",
        {
            "schemas": [USER, ENTERPRISE],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "userName": upn,
            "active": True,
            "emails": [
                {
                    "primary": True,
                    "type": "work",
                    "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com",
                }
            ],
            "meta": {"resourceType": "User"},
            "name": {
                "formatted": "givenName familyName",
                "familyName": "familyName",
                "givenName": "givenName",
            },
            "roles": [],
        },
    )
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    membership = Membership.objects.get(org=org, user_id=user_id)
    by_external = scim.get("/Users", filter='externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')
    assert [r["id"] for r in by_external.json()["Resources"]] == [user_id]

    updated = scim.patch(
        f"/Users/{user_id}",
        {
            "op": "Replace",
            "path": 'emails[type eq "work"].value',
            "value": "updatedEmail@microsoft.com",
        },
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Research"},
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["emails"] == [
        {"primary": True, "type": "work", "value": "updatedEmail@microsoft.com"}
    ]
    assert updated.json()["name"]["familyName"] == "updatedFamilyName"

    group = scim.post(
        "/Groups",
        {
            "schemas": [
                GROUP,
                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
            ],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "displayName",
            "meta": {"resourceType": "Group"},
        },
    )
    assert group.status_code == 201, group.content
    group_id = group.json()["id"]
    listed = scim.get(
        "/Groups", excludedAttributes="members", filter='displayName eq "displayName"'
    )
    assert [g["id"] for g in listed.json()["Resources"]] == [group_id]
    member = {"displayName": "new member", "value": user_id}
    add = {"name": "addMember", "op": "Add", "path": "members", "value": [member]}
    assert scim.patch(f"/Groups/{group_id}", add).status_code == 200
    assert list(Group.objects.get(pk=group_id).members.all()) == [membership]
    with_member = scim.get("/Groups", filter=f'id eq "{group_id}" and members eq "{user_id}"')
    assert with_member.json()["totalResults"] == 1
    rename = {"op": "Replace", "path": "displayName", "value": "updatedDisplayName"}
    assert scim.patch(f"/Groups/{group_id}", rename).json()["displayName"] == "updatedDisplayName"

    off = scim.patch(f"/Users/{user_id}", {"op": "Replace", "path": "active", "value": "False"})
    assert off.status_code == 200 and off.json()["active"] is False
    assert not Membership.objects.get(pk=membership.pk).is_active
    on = scim.patch(f"/Users/{user_id}", {"op": "Replace", "path": "active", "value": "True"})
    assert on.json()["active"] is True

    remove = {"name": "removeMember", "op": "Remove", "path": "members", "value": [member]}
    assert scim.patch(f"/Groups/{group_id}", remove).status_code == 200
    assert not Group.objects.get(pk=group_id).members.exists()
    assert scim.delete(f"/Users/{user_id}").status_code == 204
    assert scim.delete(f"/Groups/{group_id}").status_code == 204
    assert_scim_error(scim.get(f"/Groups/{group_id}"), 404)
    assert [kind for kind, _ in scim_events()] == [
        Kind.ADDED,
        Kind.GROUP_CREATED,
        Kind.GROUP_JOINED,
        Kind.GROUP_RENAMED,
        Kind.DEACTIVATED,
        Kind.REACTIVATED,
        Kind.GROUP_LEFT,
        Kind.REMOVED,
        Kind.GROUP_DELETED,
    ]


def test_entra_removes_a_member_by_value_filter(scim, org):
    user_id = scim.post("/Users", {"schemas": [USER], "userName": "ada@example.com"}).json()["id"]
    members = [{"value": user_id}]
    group_id = scim.post("/Groups", {"displayName": "R", "members": members}).json()["id"]
    gone = scim.patch(
        f"/Groups/{group_id}", {"op": "Remove", "path": f'members[value eq "{user_id}"]'}
    )
    assert gone.status_code == 200 and not Group.objects.get(pk=group_id).members.exists()


def test_a_username_that_is_not_an_email_is_refused(scim, org):
    """Microsoft's example userName ("Test_User_<guid>") isn't an email: it is refused."""
    body = {"schemas": [USER], "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"}
    assert_scim_error(scim.post("/Users", body), 400, "invalidValue")
    assert not User.objects.exists()


def test_username_changes_are_refused(scim, org):
    """userName is the login of an account other orgs may share: the provider can't change it."""
    user_id = scim.post("/Users", {"schemas": [USER], "userName": "ada@example.com"}).json()["id"]
    change = {"op": "Replace", "path": "userName", "value": "eve@example.com"}
    assert_scim_error(scim.patch(f"/Users/{user_id}", change), 400, "mutability")
    assert User.objects.get(pk=user_id).email == "ada@example.com"
    same = {"op": "Replace", "path": "userName", "value": "ADA@example.com"}
    assert scim.patch(f"/Users/{user_id}", same).status_code == 200


def test_a_member_added_by_hand_is_claimed_then_a_second_create_conflicts(scim, org, contributor):
    body = {"schemas": [USER], "userName": contributor.email.upper(), "externalId": "ext-1"}
    claimed = scim.post("/Users", body)
    assert claimed.status_code == 201 and claimed.json()["id"] == str(contributor.pk)
    membership = Membership.objects.get(org=org, user=contributor)
    assert membership.provisioned and membership.external_id == "ext-1"
    assert_scim_error(scim.post("/Users", body), 409, "uniqueness")


def test_the_last_owner_cant_be_deactivated_or_deleted(scim, org, owner):
    off = {"op": "replace", "value": {"active": False}}
    assert_scim_error(scim.patch(f"/Users/{owner.pk}", off), 400, "mutability")
    assert_scim_error(scim.delete(f"/Users/{owner.pk}"), 400)
    assert Membership.objects.get(org=org, user=owner).is_active


def test_lists_paginate(scim, org, owner, contributor, reader):
    first = scim.get("/Users", startIndex="1", count="2").json()
    second = scim.get("/Users", startIndex="3", count="2").json()
    assert first["totalResults"] == second["totalResults"] == 3
    assert first["itemsPerPage"] == 2 and second["itemsPerPage"] == 1
    assert second["startIndex"] == 3
    ids = [r["id"] for r in first["Resources"] + second["Resources"]]
    assert sorted(ids) == sorted(str(u.pk) for u in (owner, contributor, reader))
    assert scim.get("/Users", count="0").json()["Resources"] == []
