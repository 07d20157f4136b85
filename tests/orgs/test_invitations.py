"""Invitations: owners invite an email, the invited person accepts or declines. The answer
never tells whether an account uses the email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from orgs import invitations
from orgs.models import Invitation, Membership, ModelAccessEvent, Organization, Role

pytestmark = pytest.mark.django_db
ADD = "/orgs/acme/members/add/"


def invite(client, email="new@example.com", role="reader"):
    return client.post(ADD, {"email": email, "role": role}, follow=True)


def normalised(html: str, email: str) -> str:
    """A page with what legitimately differs between two invitations taken out."""
    html = html.replace(email, "EMAIL")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'"x-csrftoken": "[^"]+"', "CSRF", html)
    html = re.sub(r'datetime="[^"]+"', "WHEN", html)  # microseconds apart
    return re.sub(r"(invitations/|invitation-|resend-role-)\d+", r"\1ID", html)


def test_same_answer_with_or_without_an_account(client, owner):
    User.objects.create_user("known@example.com", "pw")
    client.force_login(owner)
    answers = []
    for email in ["known@example.com", "ghost@example.com"]:
        response = client.post(ADD, {"email": email, "role": "reader"})
        redirect = (response.status_code, response["Location"], response.content)
        page = client.get(response["Location"]).content.decode()
        assert f"Invitation sent to {email}." in page
        answers.append((redirect, normalised(page, email)))
        Invitation.objects.all().delete()  # each page then lists just its own invitation
    assert answers[0] == answers[1]
    assert "No account" not in answers[1][1]
    assert [m.to for m in mail.outbox] == [["known@example.com"], ["ghost@example.com"]]
    bodies = [re.sub(r"/invitations/\S+/", "", normalised(m.body, m.to[0])) for m in mail.outbox]
    assert bodies[0] == bodies[1]
    assert not Membership.objects.filter(user__email="known@example.com").exists()


def test_invitation_is_stored_audited_and_emailed(client, owner):
    client.force_login(owner)
    page = invite(client, "New@Example.com").content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new@example.com",
        "reader",
        owner,
    )
    assert invitation.status == "pending"
    ttl = invitation.expires_at - invitation.created_at
    assert timedelta(days=13, hours=23) < ttl <= timedelta(days=14)
    event = ModelAccessEvent.objects.get()
    assert (event.kind, event.member_email, event.after, event.actor) == (
        "invited",
        "new@example.com",
        "reader",
        owner,
    )
    (message,) = mail.outbox
    assert message.subject == "You're invited to join Acme Corp"
    assert f"http://testserver/invitations/{invitation.token}/" in message.body
    assert "owner@example.com invited you to join Acme Corp as a reader." in message.body
    assert "Pending invitations" in page and "new@example.com" in page


def test_ttl_comes_from_settings(client, owner, settings):
    settings.INVITATION_TTL_DAYS = 3
    client.force_login(owner)
    invite(client)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at < timedelta(days=3, seconds=1)


def test_inviting_twice_in_any_case_says_already_invited_and_sends_nothing(client, owner):
    client.force_login(owner)
    invite(client)
    page = invite(client, "NEW@Example.com").content.decode()
    assert (
        "new@example.com is already invited as a reader. To send the email again, use Resend "
        "under Pending invitations."
    ) in page
    assert "Invitation sent" not in page
    assert 'aria-label="Resend the invitation to new@example.com"' in page
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert ModelAccessEvent.objects.filter(kind="invited").count() == 1


def test_inviting_a_pending_reader_as_owner_is_refused_not_upgraded(client, owner):
    client.force_login(owner)
    invite(client)
    page = invite(client, "new@example.com", role="owner").content.decode()
    assert (
        "new@example.com is already invited as a reader. To invite them as an owner instead, "
        "choose that role under Pending invitations and resend it."
    ) in page
    assert Invitation.objects.get().role == "reader"
    assert len(mail.outbox) == 1


def test_resend_sends_the_same_invitation_again_for_a_new_term(client, owner):
    client.force_login(owner)
    invite(client)
    invitation = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() + timedelta(days=1))
    page = client.post(
        f"/orgs/acme/invitations/{invitation.pk}/resend/", {"role": "reader"}, follow=True
    ).content.decode()
    assert "Sent the invitation to new@example.com again." in page
    again = Invitation.objects.get()
    assert (again.pk, again.token, again.role) == (invitation.pk, invitation.token, "reader")
    assert again.expires_at > timezone.now() + timedelta(days=13)
    assert [m.to for m in mail.outbox] == [["new@example.com"]] * 2
    assert f"/invitations/{invitation.token}/" in mail.outbox[1].body
    # Nothing changed about anyone's access: no second audit row.
    assert ModelAccessEvent.objects.filter(kind="invited").count() == 1


def test_resend_with_another_role_changes_it_explicitly_and_audits_it(client, owner):
    client.force_login(owner)
    invite(client)
    invitation = Invitation.objects.get()
    page = client.post(
        f"/orgs/acme/invitations/{invitation.pk}/resend/", {"role": "owner"}, follow=True
    ).content.decode()
    assert "Changed the invitation to new@example.com from a reader to an owner" in page
    assert Invitation.objects.get().role == "owner"
    event = ModelAccessEvent.objects.filter(kind="invited").latest("pk")
    assert (event.before, event.after, event.actor) == ("reader", "owner", owner)
    assert "as an owner." in mail.outbox[1].body


def test_resend_is_for_owners_of_the_org_with_post_and_a_role(
    client, owner, contributor, outsider, other_org, invitation
):
    url = f"/orgs/acme/invitations/{invitation.pk}/resend/"
    assert client.post(url, {"role": "reader"})["Location"].startswith("/accounts/login")
    client.force_login(outsider)
    assert client.post(url, {"role": "reader"}).status_code == 404
    client.force_login(contributor)
    assert client.post(url, {"role": "reader"}).status_code == 403
    client.force_login(owner)
    assert client.get(url).status_code == 405
    page = client.post(url, {"role": "admin"}, follow=True).content.decode()
    assert "Role must be one of owner, contributor, reader." in page
    theirs = invitations.invite(
        org=other_org, email="x@example.com", role="reader", actor=outsider, via="web", link="/"
    )
    assert (
        client.post(f"/orgs/acme/invitations/{theirs.pk}/resend/", {"role": "reader"}).status_code
        == 404
    )
    assert len(mail.outbox) == 2  # the two invitations, nothing resent


def test_an_expired_invitation_is_renewed_by_inviting_again(client, owner):
    client.force_login(owner)
    invite(client)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    page = invite(client, role="contributor").content.decode()
    assert "Invitation sent to new@example.com." in page
    invitation = Invitation.objects.get()
    assert invitation.role == "contributor"
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert len(mail.outbox) == 2


def test_inviting_a_member_says_already_a_member(client, owner, reader):
    client.force_login(owner)
    page = invite(client, "READER@example.com").content.decode()
    assert "reader@example.com is already a member." in page
    assert not Invitation.objects.exists() and not mail.outbox


@pytest.fixture
def newcomer(db) -> User:
    return User.objects.create_user("new@example.com", "pw")


@pytest.fixture
def invitation(org, owner) -> Invitation:
    return invitations.invite(
        org=org,
        email="NEW@example.com",
        role="reader",
        actor=owner,
        via="web",
        link="http://testserver/invitations/",
    )


def test_invitee_sees_the_notice_after_logging_in(client, invitation, newcomer):
    client.force_login(newcomer)
    page = client.get("/settings/chat-models/").content.decode()
    assert "You're invited to join Acme Corp." in page
    assert f'href="/invitations/{invitation.token}/"' in page
    listing = client.get("/invitations/").content.decode()
    assert "Acme Corp" in listing and f"/invitations/{invitation.token}/accept/" in listing


def test_notice_counts_several_invitations(client, invitation, newcomer, other_org, outsider):
    invitations.invite(
        org=other_org, email=newcomer.email, role="reader", actor=outsider, via="web", link="/"
    )
    client.force_login(newcomer)
    page = client.get("/settings/chat-models/").content.decode()
    assert "You're invited to join 2 organizations." in page


def test_no_notice_for_others(client, invitation, contributor):
    client.force_login(contributor)
    assert "invited" not in client.get("/settings/chat-models/").content.decode()


def test_someone_elses_token_is_404(client, invitation, contributor):
    client.force_login(contributor)
    for url in ["", "accept/", "decline/"]:
        method = client.get if not url else client.post
        assert method(f"/invitations/{invitation.token}/{url}").status_code == 404
    assert Invitation.objects.get().status == "pending"


def test_accept_joins_with_the_role_and_default_access(client, org, invitation, newcomer):
    org.default_allowed_model_ids = ["dn/gpt-5.2"]
    org.save()
    client.force_login(newcomer)
    response = client.post(f"/invitations/{invitation.token}/accept/", follow=True)
    assert "You joined Acme Corp as a reader." in response.content.decode()
    assert response.redirect_chain[-1][0] == "/settings/chat-models/"
    membership = Membership.objects.get(user=newcomer)
    assert (membership.role, membership.allowed_model_ids) == ("reader", ["dn/gpt-5.2"])
    assert membership.invited_by.email == "owner@example.com"
    assert client.session["active_org"] == "acme"
    assert Invitation.objects.get().status == "accepted"
    assert ModelAccessEvent.objects.filter(kind="joined", member_email=newcomer.email).exists()
    assert "You're invited" not in client.get("/settings/chat-models/").content.decode()


def test_owner_invitation_ignores_a_restrictive_default(org, owner, newcomer):
    org.default_allowed_model_ids = []
    org.save()
    invitation = invitations.invite(
        org=org, email=newcomer.email, role=Role.OWNER, actor=owner, via="web", link="/"
    )
    membership = invitations.accept(invitation=invitation, user=newcomer, via="web")
    assert (membership.role, membership.allowed_model_ids) == ("owner", None)


def test_accept_twice_is_refused_clearly(client, invitation, newcomer):
    client.force_login(newcomer)
    client.post(f"/invitations/{invitation.token}/accept/")
    page = client.post(f"/invitations/{invitation.token}/accept/", follow=True).content.decode()
    assert "This invitation was already accepted." in page
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_expired_invitation_cannot_be_accepted(client, invitation, newcomer):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(newcomer)
    assert "invited" not in client.get("/settings/chat-models/").content.decode()
    detail = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "This invitation expired. Ask an owner of Acme Corp to invite you again." in detail
    page = client.post(f"/invitations/{invitation.token}/accept/", follow=True).content.decode()
    assert "This invitation expired." in page
    assert not Membership.objects.filter(user=newcomer).exists()


def test_expiry_uses_the_time_given(invitation, newcomer):
    later = invitation.expires_at + timedelta(seconds=1)
    with pytest.raises(Exception, match="expired"):
        invitations.accept(invitation=invitation, user=newcomer, via="web", now=later)
    assert not invitation.is_expired(invitation.expires_at - timedelta(seconds=1))


def test_decline_creates_no_membership(client, invitation, newcomer):
    client.force_login(newcomer)
    page = client.post(f"/invitations/{invitation.token}/decline/", follow=True).content.decode()
    assert "You declined the invitation to Acme Corp." in page
    assert not Membership.objects.filter(user=newcomer).exists()
    assert Invitation.objects.get().status == "declined"
    assert ModelAccessEvent.objects.filter(kind="declined").count() == 1


def test_owner_revokes_a_pending_invitation(client, owner, invitation, newcomer):
    client.force_login(owner)
    page = client.post(
        f"/orgs/acme/invitations/{invitation.pk}/revoke/", follow=True
    ).content.decode()
    assert "Revoked the invitation to new@example.com." in page
    assert Invitation.objects.get().status == "revoked"
    assert ModelAccessEvent.objects.filter(kind="uninvited").count() == 1
    client.force_login(newcomer)
    answer = client.post(f"/invitations/{invitation.token}/accept/", follow=True)
    assert "This invitation was already revoked." in answer.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_revoking_twice_or_another_orgs_invitation_is_404(
    client, owner, outsider, other_org, invitation
):
    theirs = invitations.invite(
        org=other_org, email="x@example.com", role="reader", actor=outsider, via="web", link="/"
    )
    client.force_login(owner)
    assert client.post(f"/orgs/acme/invitations/{theirs.pk}/revoke/").status_code == 404
    client.post(f"/orgs/acme/invitations/{invitation.pk}/revoke/")
    assert client.post(f"/orgs/acme/invitations/{invitation.pk}/revoke/").status_code == 404
    assert Invitation.objects.get(pk=theirs.pk).status == "pending"


@pytest.mark.parametrize("count", [1, 30])
def test_pages_query_counts_are_constant(
    client, org, owner, newcomer, django_assert_num_queries, count
):
    for i in range(count):
        invitations.invite(
            org=org, email=f"p{i}@example.com", role="reader", actor=owner, via="web", link="/"
        )
    client.force_login(owner)
    # With the nav's pending access requests and the groups of the page's members.
    with django_assert_num_queries(8):
        assert client.get("/orgs/acme/members/").status_code == 200
    with django_assert_num_queries(3):  # the person, their orgs and the nav's count are kept
        assert client.get("/orgs/acme/audit/").status_code == 200
    for i in range(count):
        other = Organization.objects.create(name=f"Org {i}", slug=f"org-{i}")
        invitations.invite(
            org=other, email=newcomer.email, role="reader", actor=owner, via="web", link="/"
        )
    client.force_login(newcomer)
    with django_assert_num_queries(3):
        assert client.get("/invitations/").status_code == 200
