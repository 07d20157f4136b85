"""Settings → Members: the member list, and owners' member management."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.platform import deployed_models
from orgs import services
from orgs.access import get_membership, get_owner_membership, member_page, target_membership
from orgs.models import Membership, ModelAccessEvent, Role

TEMPLATE = "orgs/members.html"


def page_context(me: Membership, **extra) -> dict:
    """What every members-page template needs; row URLs extend `members_url`."""
    members_url = reverse("orgs:members", args=[me.org.slug])
    return {"me": me, "org": me.org, "roles": Role.choices, "members_url": members_url, **extra}


@require_GET
@vary_on_headers("HX-Request")
def page(request: HttpRequest, slug: str) -> HttpResponse:
    me = get_membership(request, slug)
    query = request.GET.get("q", "").strip()[:200]
    context = page_context(
        me,
        nav="members",
        members=member_page(me, query, request.GET.get("page", 1)),
        q=query,
        platform_models=deployed_models() if me.is_owner else [],
    )
    if request.htmx and request.htmx.target == "member-list":
        return render(request, TEMPLATE + "#member_list", context)
    return render(request, TEMPLATE, context)


def _row(request: HttpRequest, me: Membership, member: Membership, **extra) -> HttpResponse:
    return render(request, TEMPLATE + "#member_row", page_context(me, m=member, **extra))


def _done(
    request: HttpRequest, me: Membership, member: Membership | None, *, error="", success=""
) -> HttpResponse:
    if request.htmx and member is not None:
        return _row(request, me, member, error=error, success=success)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect("orgs:members", me.org.slug)


@require_POST
def add_member(request: HttpRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    try:
        member = services.add_member(
            org=me.org,
            email=request.POST.get("email", "")[:254],
            role=request.POST.get("role", ""),
            actor=request.user,
            via=ModelAccessEvent.Via.WEB,
        )
    except ValidationError as exc:
        return _done(request, me, None, error=exc.messages[0])
    return _done(request, me, None, success=f"Added {member.user.email} as {member.role}.")


@require_POST
def change_role(request: HttpRequest, slug: str, user_id) -> HttpResponse:
    me = get_owner_membership(request, slug)
    member = target_membership(me, user_id)
    try:
        member = services.set_role(
            membership=member,
            role=request.POST.get("role", ""),
            actor=request.user,
            via=ModelAccessEvent.Via.WEB,
        )
    except ValidationError as exc:
        return _done(request, me, member, error=exc.messages[0])
    return _done(
        request,
        me,
        member,
        success=f"{member.user.email} is now {member.get_role_display().lower()}.",
    )


@require_POST
def remove_member(request: HttpRequest, slug: str, user_id) -> HttpResponse:
    me = get_owner_membership(request, slug)
    member = target_membership(me, user_id)
    try:
        services.remove_member(membership=member, actor=request.user, via=ModelAccessEvent.Via.WEB)
    except ValidationError as exc:
        return _done(request, me, member, error=exc.messages[0])
    if request.htmx:
        return HttpResponse("")  # the row disappears
    return _done(request, me, None, success=f"Removed {member.user.email}.")
