"""With 5,000 members the members page and the editor run a constant number of queries."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.helpers import add_members

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [10, 5_000])
def test_members_page_queries_are_constant(
    client, owner, org, platform_models, django_assert_num_queries, count
):
    add_members(org, count)
    client.force_login(owner)
    with django_assert_num_queries(7):  # with pending invitations and access requests
        response = client.get("/orgs/acme/members/", {"page": 2 if count > 100 else 1})
    assert response.status_code == 200
    with django_assert_num_queries(6):
        client.get("/orgs/acme/members/", {"q": "member0000"})


@pytest.mark.parametrize("count", [10, 5_000])
def test_editor_queries_are_constant(
    client, owner, org, platform_models, django_assert_num_queries, count
):
    add_members(org, count)
    target = User.objects.get(email="member00003@example.com")
    client.force_login(owner)
    with django_assert_num_queries(4):
        response = client.get(f"/orgs/acme/members/{target.pk}/access/", HTTP_HX_REQUEST="true")
    assert "Allow all platform models" in response.content.decode()
