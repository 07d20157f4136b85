"""Owners edit members' platform-model allowlists: one member in place, or several at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import PlatformModel
from catalog.platform import deployed_models
from orgs import services
from orgs.access import get_owner_membership, target_membership
from orgs.models import Membership, ModelAccessEvent, Role
from orgs.views.members import TEMPLATE, page_context


def editor_choices(allowed: list[str] | None) -> list[PlatformModel]:
    """Deployed models, plus ones the allowlist names that are no longer deployed."""
    deployed = deployed_models()
    deployed_ids = {m.model_id for m in deployed}
    gone = [i for i in (allowed or []) if i not in deployed_ids]
    stale = {m.model_id: m for m in PlatformModel.objects.filter(model_id__in=gone)} if gone else {}
    return deployed + [stale.get(i) or PlatformModel(model_id=i, is_active=False) for i in gone]


def posted_allowlist(request: HttpRequest) -> list[str] | None:
    if request.POST.get("allow_all"):
        return None
    return request.POST.getlist("models")


def _editor(
    request: HttpRequest,
    me: Membership,
    member: Membership,
    *,
    selected=None,
    error: str = "",
) -> HttpResponse:
    selected = member.allowed_model_ids if selected is None else selected
    context = page_context(
        me,
        m=member,
        editing=True,
        choices=editor_choices(member.allowed_model_ids),
        selected=selected,
        error=error,
    )
    if request.htmx:
        return render(request, TEMPLATE + "#member_row", context)
    return render(request, "orgs/access_editor.html", context | {"nav": "members"})


@require_http_methods(["GET", "POST"])
def member_access(request: HttpRequest, slug: str, user_id) -> HttpResponse:
    me = get_owner_membership(request, slug)
    member = target_membership(me, user_id)
    if member.role == Role.OWNER:
        return _editor(request, me, member, error="Owners always have every platform model.")
    if request.method == "GET":
        return _editor(request, me, member)
    allowed = posted_allowlist(request)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        member = services.set_model_access(
            membership=member,
            allowed_model_ids=allowed,
            actor=request.user,
            via=ModelAccessEvent.Via.WEB,
            expected_version=version,
        )
    except services.AccessConflict as conflict:
        return _editor(
            request,
            me,
            conflict.current,
            error=(
                "Someone else changed this member's access since you opened the editor. "
                f"It is now: {conflict.current.access_summary}. Review it and save again."
            ),
        )
    except ValidationError as exc:
        return _editor(request, me, member, selected=allowed, error=exc.messages[0])
    success = f"Saved: {member.user.email} now has {member.access_summary.lower()}."
    if request.htmx:
        return render(
            request, TEMPLATE + "#member_row", page_context(me, m=member, success=success)
        )
    messages.success(request, success)
    return redirect("orgs:members", me.org.slug)


@require_POST
def bulk_access(request: HttpRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    user_ids = request.POST.getlist("members")[:1000]
    if not user_ids:
        messages.error(request, "Select the members to change first.")
        return redirect("orgs:members", me.org.slug)
    try:
        changed, skipped = services.bulk_set_model_access(
            org=me.org,
            user_ids=user_ids,
            allowed_model_ids=posted_allowlist(request),
            actor=request.user,
            via=ModelAccessEvent.Via.WEB,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        note = f" ({skipped} skipped: owners and you keep every model)" if skipped else ""
        messages.success(request, f"Updated model access for {changed} members{note}.")
    return redirect("orgs:members", me.org.slug)
