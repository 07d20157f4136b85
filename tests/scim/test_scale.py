"""SCIM at scale: a PATCH adding 1,000 members to a group is one transaction with as many
queries as one adding 10; list pages are counted and sliced in the database."""

from __future__ import annotations

import pytest
from django.db import connection

from orgs.models import Group, Membership, ModelAccessEvent
from tests.helpers import add_members
from tests.scim.conftest import PATCH_OP

pytestmark = pytest.mark.django_db
PATCH_QUERIES = 19


def add_patch(user_ids) -> dict:
    members = [{"value": str(user_id)} for user_id in user_ids]
    return {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "add", "path": "members", "value": members}],
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite splits bulk inserts into batches of 999 parameters: more queries for more rows",
)
@pytest.mark.parametrize("count", [10, 1000])
def test_adding_members_takes_the_same_queries_whatever_their_number(
    scim, org, owner, count, django_assert_max_num_queries
):
    add_members(org, count)
    group = Group.objects.create(org=org, name="Research", provisioned=True)
    members = Membership.objects.filter(org=org).exclude(user=owner)
    ids = list(members.values_list("user_id", flat=True))
    with django_assert_max_num_queries(PATCH_QUERIES):
        response = scim.call("PATCH", f"/Groups/{group.pk}", add_patch(ids))
    assert response.status_code == 200, response.content
    assert group.members.count() == count == len(response.json()["members"])
    joined = ModelAccessEvent.objects.filter(kind=ModelAccessEvent.Kind.GROUP_JOINED, via="scim")
    assert joined.count() == count


@pytest.mark.parametrize("count", [10, 300])
def test_list_pages_take_the_same_queries_whatever_the_size(
    scim, org, owner, count, django_assert_max_num_queries
):
    add_members(org, count)
    group = Group.objects.create(org=org, name="Research")
    group.members.set(Membership.objects.filter(org=org))
    Group.objects.bulk_create(Group(org=org, name=f"G{n}") for n in range(count))
    with django_assert_max_num_queries(4):
        users = scim.get("/Users", startIndex="2", count="50")
    assert users.json()["totalResults"] == count + 1
    assert users.json()["itemsPerPage"] == min(50, count)
    with django_assert_max_num_queries(5):
        groups = scim.get("/Groups", count="50")
    assert groups.json()["totalResults"] == count + 1
    assert len(groups.json()["Resources"][0]["members"]) == count + 1
    with django_assert_max_num_queries(4):
        scim.get("/Groups", excludedAttributes="members", filter='displayName eq "research"')


def test_a_failed_patch_adds_nobody(scim, org, owner):
    """One transaction: a PATCH whose last operation is refused changes nothing."""
    add_members(org, 5)
    group = Group.objects.create(org=org, name="Research", provisioned=True)
    ids = Membership.objects.filter(org=org).values_list("user_id", flat=True)
    body = add_patch(ids)
    body["Operations"].append({"op": "replace", "path": "displayName", "value": ""})
    assert scim.call("PATCH", f"/Groups/{group.pk}", body).status_code == 400
    assert not group.members.exists() and Group.objects.get(pk=group.pk).name == "Research"
