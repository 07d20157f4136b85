"""Issue 23, point 4: the Members page, the matrix, a group's page, the effective-access reads
(the API's preferences and the gateway's access) and SCIM's list pages run the same number of
queries whether the org has 2 groups or 500 and its members are in 1 group or 50: with an
empty cache, and again once it keeps what it may."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import ApiKey
from accounts.signals import person
from catalog import caching
from catalog.platform import deployed_models
from orgs import gateway
from orgs.models import Group, Membership, Role
from orgs.signals import org as org_version
from scim.models import ScimToken
from tests.helpers import add_members
from tests.scim.conftest import Scim

pytestmark = pytest.mark.django_db
MEMBERS = 60
# A list of every kind but "every model", which would end the reading of a member's groups.
LISTS: list[list[str]] = [
    ["dn/gemini-3-pro"],
    [],
    ["dn/gpt-5.2"],
    ["dn/gpt-5.2", "dn/gemini-3-pro"],
]
OWN_LISTS: list[list[str] | None] = [[], ["dn/gpt-5.2"], None]


@dataclass(frozen=True)
class Org:
    """acme with its groups: what the pages, the API and SCIM are asked as."""

    owner: Client
    api_key: str
    scim: Scim
    group: Group
    memberships: int


@pytest.fixture(params=[(2, 1), (500, 50)], ids=["2 groups, in 1", "500 groups, in 50"])
def grouped(request, org, owner, restricted, platform_models, monkeypatch) -> Org:
    """`MEMBERS` more contributors with own lists of every kind, and the org's groups; each
    member, `restricted` among them, in as many groups as the size says (bulk writes, so the
    versions are bumped here)."""
    monkeypatch.setattr(gateway, "_marked", {})
    group_count, each_in = request.param
    add_members(org, MEMBERS)
    members = list(Membership.objects.filter(org=org, role=Role.CONTRIBUTOR).order_by("pk"))
    for n, member in enumerate(members):
        if member.user_id != restricted.pk:
            member.allowed_model_ids = OWN_LISTS[n % len(OWN_LISTS)]
    Membership.objects.bulk_update(members, ["allowed_model_ids"])
    groups = Group.objects.bulk_create(
        Group(org=org, name=f"Team {n:03}", allowed_model_ids=LISTS[n % len(LISTS)])
        for n in range(group_count)
    )
    Row = Group.members.through
    Row.objects.bulk_create(
        Row(group_id=groups[(n + k) % group_count].pk, membership_id=member.pk)
        for n, member in enumerate(members)
        for k in range(each_in)
    )
    caching.bump(org_version(org.pk), *(person(m.user_id) for m in members))
    client = Client()
    client.force_login(owner)
    deployed_models()  # read once per process while the list doesn't change
    return Org(
        owner=client,
        api_key=ApiKey.issue(user=restricted, name="tests")[1],
        scim=Scim(org.slug, ScimToken.issue(org=org, name="Okta")[1]),
        group=groups[0],
        memberships=Row.objects.count(),
    )


def test_the_sizes_are_what_they_say(grouped, restricted):
    per_member = Membership.objects.get(user=restricted).groups.count()
    assert grouped.memberships == (MEMBERS + 1) * per_member
    assert (Group.objects.count(), per_member) in [(2, 1), (500, 50)]


def cold_then_warm(get, counted, cold: int, warm: int):
    """`get()` with an empty cache in `cold` queries, then again in `warm`: the first
    response."""
    with counted(cold):
        response = get()
    assert response.status_code == 200, response.content
    with counted(warm):
        assert get().status_code == 200
    return response


# Each page's queries, with an empty cache and then again (the session is in the cache).


def test_members_page(grouped, django_assert_num_queries):
    # The person, their memberships, the member count, the pending invitations, the nav's
    # pending access requests, the page of members and their groups; then the nav's count.
    response = cold_then_warm(
        lambda: grouped.owner.get("/orgs/acme/members/"), django_assert_num_queries, 7, 0
    )
    assert len(re.findall(r"Groups?: <a", response.content.decode())) == 50  # each row's groups


def test_matrix(grouped, django_assert_num_queries):
    # The person, their memberships, whether the org has groups, the member count, the page
    # of members, their groups and the nav's count; then the page again, its groups, the count.
    response = cold_then_warm(
        lambda: grouped.owner.get("/orgs/acme/access/"), django_assert_num_queries, 7, 3
    )
    assert re.search(r"From groups? Team 00", response.content.decode())


def test_group_page(grouped, django_assert_num_queries):
    # The person, their memberships, the group, its members' count and their page, the nav's
    # count; then the group, its members' count and their page.
    response = cold_then_warm(
        lambda: grouped.owner.get(f"/orgs/acme/groups/{grouped.group.pk}/"),
        django_assert_num_queries,
        6,
        3,
    )
    assert 'id="group-member-' in response.content.decode()


def test_preferences(grouped, django_assert_num_queries):
    api = Client(headers={"X-API-Key": grouped.api_key})
    # The key's holder with their memberships, their groups, the key's last use and their
    # preferences; then the holder and their groups again (recording the key's use changed
    # the person's version), the rest kept.
    response = cold_then_warm(
        lambda: api.get("/api/v1/user/preferences"), django_assert_num_queries, 4, 2
    )
    assert "dn/gemini-3-pro" in {m["id"] for m in response.json()["models"]}  # a group's


def test_gateway_access(grouped, django_assert_num_queries):
    api = Client(headers={"X-API-Key": grouped.api_key})
    # The key's holder with their memberships, their groups and the key's last use; then
    # the holder and their groups again, as above.
    response = cold_then_warm(
        lambda: api.get("/api/v1/gateway/access"), django_assert_num_queries, 3, 2
    )
    assert "dn/gemini-3-pro" in response.json()["models"]


def test_scim_users_page(grouped, django_assert_num_queries):
    # The token, its last use, the page of members and how many there are; then the same
    # but the last use (recorded once a minute).
    response = cold_then_warm(
        lambda: grouped.scim.get("/Users", startIndex="11", count="20"),
        django_assert_num_queries,
        4,
        3,
    )
    assert len(response.json()["Resources"]) == 20


def test_scim_groups_page(grouped, django_assert_num_queries):
    # The token, its last use, the page of groups, their members and how many there are;
    # then the same but the last use.
    response = cold_then_warm(
        lambda: grouped.scim.get("/Groups", count="100"), django_assert_num_queries, 5, 4
    )
    assert response.json()["Resources"][0]["members"]
