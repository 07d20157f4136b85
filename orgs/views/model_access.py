"""Owners edit members' platform-model allowlists: one member in place, or several at once."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from orgs import services
from orgs.access import get_owner_membership, target_membership
from orgs.forms import BulkAccessForm, ModelAccessForm, first_error
from orgs.models import Membership, ModelAccessEvent
from orgs.selectors import editor_choices
from orgs.views.rows import TEMPLATE, member_row, members_url, page_context
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

WEB = ModelAccessEvent.Via.WEB


def _editor(
    request: AuthedRequest,
    me: Membership,
    member: Membership,
    *,
    form: ModelAccessForm | None = None,
    error: str = "",
) -> HttpResponse:
    """The editor, showing what the owner ticked when a save is refused, else what's stored."""
    context = page_context(
        me,
        m=member,
        editing=True,
        choices=editor_choices(member.allowed_model_ids),
        selected=member.allowed_model_ids if form is None else form.ticked,
        error=error,
    )
    if request.htmx:
        return render(request, TEMPLATE + "#member_row", context)
    return render(request, "orgs/access_editor.html", context | {"nav": "members"})


@require_http_methods(["GET", "POST"])
def member_access(request: AuthedRequest, slug: str, user_id: UUID) -> HttpResponse:
    me = get_owner_membership(request, slug)
    member = target_membership(me, user_id)
    if member.is_owner:
        return _editor(request, me, member, error=services.OWNERS_UNRESTRICTED)
    if request.method == "GET":
        return _editor(request, me, member)
    form = ModelAccessForm(request.POST, member=member)
    if not form.is_valid():
        return _editor(request, me, member, form=form, error=first_error(form))
    try:
        member = services.set_model_access(
            membership=member,
            allowed_model_ids=form.cleaned_data["allowed_model_ids"],
            actor=request.user,
            via=WEB,
            expected_version=form.cleaned_data["version"],
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
        return _editor(request, me, member, form=form, error=exc.messages[0])
    success = f"Saved: {member.user.email} now has {member.access_summary.lower()}."
    return fragment_or_redirect(
        request,
        lambda: member_row(request, me, member, success=success),
        members_url(me),
        success=success,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@require_POST
def bulk_access(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    form = BulkAccessForm(request.POST)
    if not form.is_valid():
        return fragment_or_redirect(request, None, members_url(me), error=first_error(form))
    try:
        result = services.bulk_set_model_access(
            org=me.org,
            expected_versions=form.cleaned_data["members"],
            allowed_model_ids=form.cleaned_data["allowed_model_ids"],
            actor=request.user,
            via=WEB,
        )
    except ValidationError as exc:
        return fragment_or_redirect(request, None, members_url(me), error=exc.messages[0])
    if result.stale:
        messages.warning(
            request,
            f"{_plural(len(result.stale), 'member')} changed since you loaded the page and "
            f"kept their access: {', '.join(result.stale)}. Review them.",
        )
    note = f" ({result.skipped} skipped: owners and you keep every model)" if result.skipped else ""
    return fragment_or_redirect(
        request,
        None,
        members_url(me),
        success=f"Updated model access for {_plural(result.changed, 'member')}{note}.",
    )
