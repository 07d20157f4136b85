"""With 5,000 members and 50 platform models the members page and the editor run a constant
number of queries."""

from __future__ import annotations

import pytest

from accounts.models import User
from catalog.models import PlatformModel
from catalog.platform import deployed_models
from tests.helpers import add_members

pytestmark = pytest.mark.django_db
HTMX_LIST = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "member-list"}


@pytest.fixture
def fifty_models(platform_models):
    PlatformModel.objects.bulk_create(
        PlatformModel(model_id=f"dn/model-{n:02}", display_name=f"Model {n}", position=n)
        for n in range(3, 50)
    )


@pytest.mark.parametrize(("count", "models"), [(10, "platform_models"), (5_000, "fifty_models")])
def test_members_page_queries_are_constant(
    request,
    client,
    owner,
    org,
    django_assert_num_queries,
    django_assert_max_num_queries,
    count,
    models,
):
    request.getfixturevalue(models)
    add_members(org, count)
    client.force_login(owner)
    deployed_models()  # read once per process while the list doesn't change
    # User, memberships, member count, pending invitations, the nav's pending access requests,
    # the page of members and the groups of its restricted ones (the session is in the cache).
    with django_assert_num_queries(7):
        response = client.get("/orgs/acme/members/", {"page": 2 if count > 100 else 1})
    assert response.status_code == 200
    # From now on the person, their memberships, the nav's count and the invitations are kept.
    with django_assert_num_queries(3):  # the new search: its count, its page and their groups
        client.get("/orgs/acme/members/", {"q": "member0000"})
    with django_assert_num_queries(0):  # the search box's answer: that page, kept
        client.get("/orgs/acme/members/", {"q": "member0000"}, **HTMX_LIST)
    # Another search box's answer (its groups only if some of its members are restricted).
    with django_assert_max_num_queries(3):
        client.get("/orgs/acme/members/", {"q": "Member 1"}, **HTMX_LIST)


@pytest.mark.parametrize("count", [10, 5_000])
def test_editor_queries_are_constant(
    client, owner, org, platform_models, django_assert_num_queries, count
):
    add_members(org, count)
    target = User.objects.get(email="member00003@example.com")
    client.force_login(owner)
    with django_assert_num_queries(5):  # the member's groups: what they add to their access
        response = client.get(f"/orgs/acme/members/{target.pk}/access/", HTTP_HX_REQUEST="true")
    assert "Allow all platform models" in response.content.decode()
