"""Settings → Members: the member list, and owners' member management."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.platform import deployed_models
from orgs import invitations, services
from orgs.access import get_membership, get_owner_membership, target_membership
from orgs.forms import AddMemberForm, MemberSearchForm, RoleForm, first_error
from orgs.models import Membership, ModelAccessEvent
from orgs.views.rows import (
    DEACTIVATED,
    PROVISIONED,
    TEMPLATE,
    MembersOfOrg,
    checklist_html,
    invite_html,
    member_row,
    members_url,
    page_context,
    search_html,
)
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

WEB = ModelAccessEvent.Via.WEB


@require_GET
@vary_on_headers("HX-Request")
def page(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_membership(request, slug)
    search = MemberSearchForm(request.GET, auto_id="member-%s")
    org = MembersOfOrg(me, search.query, request.GET.get("page", "1"))
    member_list = org.list_html(request)
    if request.htmx and request.htmx.target == "member-list":
        return HttpResponse(member_list)
    context = page_context(
        me,
        nav="members",
        member_list=member_list,
        search_html=search_html(request, me, search, org.count),
    )
    if me.is_owner:
        context |= {
            "invite_html": invite_html(request, me),
            "invitations_html": org.invitations_html(request),
            "bulk_checklist": checklist_html(
                request,
                deployed_models(),
                selected=None,
                form_label="bulk",
                who="the selected members",
            ),
        }
    return render(request, TEMPLATE, context)


def _done(
    request: AuthedRequest,
    me: Membership,
    member: Membership | None,
    *,
    error: str = "",
    success: str = "",
    **extra: Any,
) -> HttpResponse:
    """htmx gets the member's row back with the message; a plain form post a redirect."""
    row = (
        None
        if member is None
        else (lambda: member_row(request, me, member, error=error, success=success, **extra))
    )
    return fragment_or_redirect(request, row, members_url(me), error=error, success=success)


@require_POST
def add_member(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        return _done(request, me, None, error=first_error(form))
    try:
        invitation = invitations.invite(
            org=me.org,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            actor=request.user,
            via=WEB,
            link=request.build_absolute_uri(reverse("invitations:list")),
        )
    except ValidationError as exc:
        return _done(request, me, None, error=exc.messages[0])
    # The same answer whether or not an account uses the email: it must not tell.
    return _done(request, me, None, success=f"Invitation sent to {invitation.email}.")


@require_POST
def change_role(request: AuthedRequest, slug: str, user_id: UUID) -> HttpResponse:
    me = get_owner_membership(request, slug)
    member = target_membership(me, user_id)
    if not member.is_active:
        return _done(request, me, member, error=DEACTIVATED)
    form = RoleForm(request.POST, member=member)
    if not form.is_valid():
        # The row shows the role that was asked for, so ticking the box is all that's left.
        chosen = form.cleaned_data.get("role", "")
        return _done(request, me, member, error=first_error(form), chosen_role=chosen)
    allowlist = member.allowed_model_ids
    try:
        member = services.set_role(
            membership=member, role=form.cleaned_data["role"], actor=request.user, via=WEB
        )
    except ValidationError as exc:
        return _done(request, me, member, error=exc.messages[0])
    success = f"{member.user.email} is now {member.role_phrase}."
    if allowlist is not None and member.allowed_model_ids is None:
        success += " " + ngettext(
            "Their list of %(count)d model was cleared: they have every platform model.",
            "Their list of %(count)d models was cleared: they have every platform model.",
            len(allowlist),
        ) % {"count": len(allowlist)}
    return _done(request, me, member, success=success)


@require_POST
def remove_member(request: AuthedRequest, slug: str, user_id: UUID) -> HttpResponse:
    me = get_owner_membership(request, slug)
    member = target_membership(me, user_id)
    if member.provisioned:
        return _done(request, me, member, error=f"{PROVISIONED} Remove them there.")
    try:
        services.remove_member(membership=member, actor=request.user, via=WEB)
    except ValidationError as exc:
        return _done(request, me, member, error=exc.messages[0])
    success = f"Removed {member.user.email} from {me.org.name}."
    return fragment_or_redirect(
        request,
        # The row gives way to the message, which takes the focus the removed row had.
        lambda: render(request, TEMPLATE + "#member_removed", {"m": member, "success": success}),
        members_url(me),
        success=success,
    )


@require_GET
@vary_on_headers("HX-Request")
def row(request: AuthedRequest, slug: str, user_id: UUID) -> HttpResponse:
    """One member's row as the list shows it: what Cancel in the editor swaps back in."""
    me = get_owner_membership(request, slug)
    target = target_membership(me, user_id)
    if not request.htmx:
        return redirect(members_url(me))
    return member_row(request, me, target, focus="access")
