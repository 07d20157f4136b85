"""Invitations as the invited person sees them (accept or decline), and owners' revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from orgs import invitations
from orgs.access import active_membership, choose_org, get_owner_membership
from orgs.forms import ResendForm, first_error
from orgs.models import Invitation, ModelAccessEvent
from orgs.views.rows import members_url
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

WEB = ModelAccessEvent.Via.WEB
LIST_URL = "invitations:list"


@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    pending = list(invitations.pending_for(request.user.email))
    invitations.remember_pending(request, pending)
    return render(request, "orgs/invitations.html", {"nav": "invitations", "pending": pending})


@require_GET
def detail(request: AuthedRequest, token: str) -> HttpResponse:
    invitation = invitations.invitation_for(request.user, token)
    context = {"nav": "invitations", "invitation": invitation, "expired": invitation.is_expired()}
    context["open"] = invitation.status == invitation.Status.PENDING
    return render(request, "orgs/invitation.html", context)


@require_POST
def accept(request: AuthedRequest, token: str) -> HttpResponse:
    invitation = invitations.invitation_for(request.user, token)
    working_in = active_membership(request)
    try:
        membership = invitations.accept(invitation=invitation, user=request.user, via=WEB)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(reverse("invitations:detail", args=[invitation.token]))
    invitations.remember_pending(request, list(invitations.pending_for(request.user.email)))
    joined = f"You joined {membership.org.name} as {membership.role_phrase}."
    if working_in is None:
        choose_org(request, membership)
    else:
        # Joining is not choosing: they stay in the org they were working in (even when the
        # new one comes first by name), told how to switch.
        choose_org(request, working_in)
        joined += (
            f" You're still working in {working_in.org.name}: choose {membership.org.name}"
            " under Organization at the top of the page to switch."
        )
    messages.success(request, joined)
    return redirect(reverse("accounts:chat_models"))


@require_POST
def decline(request: AuthedRequest, token: str) -> HttpResponse:
    invitation = invitations.invitation_for(request.user, token)
    try:
        invitations.decline(invitation=invitation, user=request.user, via=WEB)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(reverse("invitations:detail", args=[invitation.token]))
    invitations.remember_pending(request, list(invitations.pending_for(request.user.email)))
    messages.success(request, f"You declined the invitation to {invitation.org.name}.")
    return redirect(reverse(LIST_URL))


@require_POST
def revoke(request: AuthedRequest, slug: str, invitation_id: int) -> HttpResponse:
    me = get_owner_membership(request, slug)
    invitation = invitations.revoke(
        org=me.org, invitation_id=invitation_id, actor=request.user, via=WEB
    )
    success = f"Revoked the invitation to {invitation.email}."
    return fragment_or_redirect(request, None, members_url(me), success=success)


@require_POST
def resend(request: AuthedRequest, slug: str, invitation_id: int) -> HttpResponse:
    """Send a pending invitation again, with the role chosen beside it."""
    me = get_owner_membership(request, slug)
    form = ResendForm(request.POST)
    if not form.is_valid():
        return fragment_or_redirect(request, None, members_url(me), error=first_error(form))
    invitation, was = invitations.resend(
        org=me.org,
        invitation_id=invitation_id,
        role=form.cleaned_data["role"],
        actor=request.user,
        via=WEB,
        link=request.build_absolute_uri(reverse(LIST_URL)),
    )
    success = f"Sent the invitation to {invitation.email} again."
    if was:
        success = (
            f"Changed the invitation to {invitation.email} from {Invitation(role=was).role_phrase}"
            f" to {invitation.role_phrase} and sent it again."
        )
    return fragment_or_redirect(request, None, members_url(me), success=success)
