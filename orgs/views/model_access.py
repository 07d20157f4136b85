"""Owners edit members' platform-model allowlists: one member in place, or several at once."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from catalog.platform import deployed_models
from orgs import services
from orgs.access import get_owner_membership, target_membership
from orgs.forms import BulkAccessForm, ModelAccessForm, first_error
from orgs.matrix import members_text
from orgs.models import Membership, ModelAccessEvent
from orgs.selectors import editor_choices, ids_of
from orgs.views.rows import (
    DEACTIVATED,
    EDITOR,
    choice_inputs,
    member_row,
    members_url,
    page_context,
    row_inputs,
    row_response,
)
from settings_app.fragments import render_fragment, with_csrf
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

WEB = ModelAccessEvent.Via.WEB


def groups_give(member: Membership) -> list[tuple[str, str]]:
    """(group name, what it gives) for each of the member's groups, shown beside their own
    list, which is all the editor changes."""
    names = {m.model_id: m.display_name or m.model_id for m in deployed_models()}

    def gives(allowed: list[str] | None) -> str:
        if allowed is None:
            return "every platform model"
        shown = [names[i] for i in allowed if i in names]
        return ", ".join(shown) if shown else "no platform models"

    return [(group.name, gives(group.allowed_model_ids)) for group in member.groups.all()]


def _editor(
    request: AuthedRequest,
    me: Membership,
    member: Membership,
    *,
    form: ModelAccessForm | None = None,
    error: str = "",
) -> HttpResponse:
    """The editor, showing what the owner ticked when a save is refused, else what's stored."""
    [row] = row_inputs(
        me,
        [member],
        ids_of(deployed_models()),
        editing=True,
        choices=choice_inputs(editor_choices(member.allowed_model_ids)),
        selected=member.allowed_model_ids if form is None else form.ticked,
        error=error,
    )
    row["groups_give"] = groups_give(member)
    if request.htmx:
        return row_response(request, row)
    editor = with_csrf(request, render_fragment(EDITOR, row))
    context = page_context(me, nav="members", row=row, editor=editor, error=error)
    return render(request, "orgs/access_editor.html", context)


@require_http_methods(["GET", "POST"])
def member_access(request: AuthedRequest, slug: str, user_id: UUID) -> HttpResponse:
    me = get_owner_membership(request, slug)
    member = target_membership(me, user_id)
    if member.is_owner:
        return _editor(request, me, member, error=services.OWNERS_UNRESTRICTED)
    if not member.is_active:
        return _editor(request, me, member, error=DEACTIVATED)
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
        access = conflict.current.access(ids_of(deployed_models()))
        error = (
            "Someone else changed this member's access since you opened the editor. "
            f"It is now: {access.sentence}. Review it and save again."
        )
        return _editor(request, me, conflict.current, error=error)
    except ValidationError as exc:
        return _editor(request, me, member, form=form, error=exc.messages[0])
    access = member.access(ids_of(deployed_models()))
    success = f"Saved: {member.user.email} now has {access.sentence.lower()}."
    return fragment_or_redirect(
        request,
        lambda: member_row(request, me, member, success=success),
        members_url(me),
        success=success,
    )


def bulk_summary(*, changed: int, unchanged: int, skipped: int) -> str:
    """What a bulk change did, counting only what happened ("Nothing changed" when nothing)."""
    notes = []
    if unchanged:
        notes.append(f"{members_text(unchanged)} already had that access")
    if skipped:
        notes.append(f"{members_text(skipped)} skipped: owners and you keep every model")
    head = f"Updated model access for {members_text(changed)}" if changed else "Nothing changed"
    return " ".join(f"{sentence}." for sentence in [head, *notes])


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
            f"{members_text(len(result.stale))} changed since you loaded the page and kept their "
            f"access: {', '.join(result.stale)}. Review them.",
        )
    # Members removed meanwhile are left as they were, so they count with the unchanged ones.
    untouched = len(form.cleaned_data["members"]) - result.changed - result.skipped
    summary = bulk_summary(
        changed=result.changed, unchanged=untouched - len(result.stale), skipped=result.skipped
    )
    messages.add_message(request, messages.SUCCESS if result.changed else messages.INFO, summary)
    return redirect(members_url(me))
