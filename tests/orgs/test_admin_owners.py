"""Django admin keeps every org owned and edits memberships the way the app does."""

from __future__ import annotations

from html import unescape

import pytest

from accounts.models import User
from orgs.models import Membership, ModelAccessEvent

pytestmark = pytest.mark.django_db
REFUSED = "That would leave Acme Corp without an owner. Make someone else owner first."


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def user_form(user: User, **changes) -> dict:
    """The user change form as the admin page posts it, with `changes` applied."""
    data = {
        "email": user.email,
        "name": user.name,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def membership_form(membership: Membership, **changes) -> dict:
    data = {
        "org": membership.org_id,
        "user": membership.user_id,
        "role": membership.role,
        "allowed_model_ids": "null",
        "invited_by": "",
    }
    if membership.allowed_model_ids is not None:
        data["allowed_model_ids"] = str(membership.allowed_model_ids).replace("'", '"')
    data.update(changes)
    return data


def test_delete_page_refuses_the_last_owner(admin_client, owner):
    page = admin_client.get(f"/admin/accounts/user/{owner.pk}/delete/")
    html = unescape(page.content.decode())
    assert REFUSED in html
    assert "protected related objects" in html and "Yes, I’m sure" not in html


def test_confirming_the_delete_of_the_last_owner_changes_nothing(admin_client, owner):
    response = admin_client.post(f"/admin/accounts/user/{owner.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert REFUSED in unescape(response.content.decode())
    assert Membership.objects.filter(user=owner, role="owner").exists()


def test_delete_selected_refuses_the_last_owner(admin_client, owner, contributor):
    response = admin_client.post(
        "/admin/accounts/user/",
        {
            "action": "delete_selected",
            "_selected_action": [owner.pk, contributor.pk],
            "post": "yes",
        },
    )
    assert REFUSED in unescape(response.content.decode())
    assert User.objects.filter(pk__in=[owner.pk, contributor.pk]).count() == 2


def test_deleting_both_owners_at_once_is_refused(admin_client, owner, co_owner):
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [owner.pk, co_owner.pk], "post": "yes"},
    )
    assert REFUSED in unescape(response.content.decode())
    assert Membership.objects.filter(role="owner").count() == 2


def test_an_owner_with_a_co_owner_can_be_deleted(admin_client, owner, co_owner):
    response = admin_client.post(f"/admin/accounts/user/{co_owner.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=co_owner.pk).exists()


def test_deactivating_the_last_owner_is_refused(admin_client, owner):
    response = admin_client.post(
        f"/admin/accounts/user/{owner.pk}/change/", user_form(owner, is_active=None)
    )
    assert response.status_code == 200
    assert REFUSED in unescape(response.content.decode())
    owner.refresh_from_db()
    assert owner.is_active


def test_deactivating_an_owner_with_an_active_co_owner_works(admin_client, owner, co_owner):
    response = admin_client.post(
        f"/admin/accounts/user/{co_owner.pk}/change/", user_form(co_owner, is_active=None)
    )
    assert response.status_code == 302
    co_owner.refresh_from_db()
    assert not co_owner.is_active


def test_admin_promotion_to_owner_clears_the_allowlist(admin_client, restricted):
    membership = Membership.objects.get(user=restricted)
    response = admin_client.post(
        f"/admin/orgs/membership/{membership.pk}/change/",
        membership_form(membership, role="owner"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership.refresh_from_db()
    assert (membership.role, membership.allowed_model_ids) == ("owner", None)
    events = ModelAccessEvent.objects.filter(member=restricted)
    assert sorted(events.values_list("kind", "via")) == [("access", "admin"), ("role", "admin")]


def test_admin_promotion_with_an_explicit_allowlist_is_refused(admin_client, contributor):
    membership = Membership.objects.get(user=contributor)
    response = admin_client.post(
        f"/admin/orgs/membership/{membership.pk}/change/",
        membership_form(membership, role="owner", allowed_model_ids="[]"),
    )
    assert "Owners always have every platform model" in unescape(response.content.decode())
    membership.refresh_from_db()
    assert (membership.role, membership.allowed_model_ids) == ("contributor", None)


def test_admin_cannot_demote_the_last_owner(admin_client, owner):
    membership = Membership.objects.get(user=owner)
    response = admin_client.post(
        f"/admin/orgs/membership/{membership.pk}/change/",
        membership_form(membership, role="reader"),
    )
    assert response.status_code == 200
    assert REFUSED in unescape(response.content.decode())
    assert Membership.objects.get(user=owner).role == "owner"


def test_admin_membership_delete_refuses_the_last_owner(admin_client, owner):
    membership = Membership.objects.get(user=owner)
    response = admin_client.post(f"/admin/orgs/membership/{membership.pk}/delete/", {"post": "yes"})
    assert REFUSED in unescape(response.content.decode())
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_org_and_user_are_read_only_on_change(admin_client, contributor, other_org):
    membership = Membership.objects.get(user=contributor)
    stranger = User.objects.create_user("stranger@example.com", "pw")
    url = f"/admin/orgs/membership/{membership.pk}/change/"
    html = admin_client.get(url).content.decode()
    assert 'name="user"' in html and 'name="org"' in html
    assert html.count("disabled") >= 2
    response = admin_client.post(
        url, membership_form(membership, org=other_org.pk, user=stranger.pk, role="reader")
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.org_id, membership.user_id, membership.role) == (
        contributor.memberships.get().org_id,
        contributor.pk,
        "reader",
    )


def test_membership_org_and_user_are_editable_on_add(admin_client, org, staff):
    newcomer = User.objects.create_user("newcomer@example.com", "pw")
    html = admin_client.get("/admin/orgs/membership/add/").content.decode()
    assert "disabled" not in html.split('name="user"')[1].split(">")[0]
    response = admin_client.post(
        "/admin/orgs/membership/add/",
        {"org": org.pk, "user": newcomer.pk, "role": "reader", "allowed_model_ids": "null"},
    )
    assert response.status_code == 302
    added = Membership.objects.get(user=newcomer)
    assert (added.org, added.invited_by) == (org, staff)
    assert ModelAccessEvent.objects.get(member=newcomer).kind == "added"
