"""Owners keep model access as a file from the matrix page: export it, and import one
through a preview of the diff (or of the rows refused) and a Confirm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from orgs import access_io
from orgs.access import get_owner_membership
from orgs.forms import RELOAD, first_error
from orgs.matrix import PREVIEW_MEMBERS, describe, members_text
from orgs.matrix_forms import ImportApplyForm, ImportFileForm
from orgs.models import Membership
from orgs.views.matrix import matrix_url, preview_answer
from settings_app.types import AuthedRequest

CHANGED_SINCE = (
    "Model access changed since the preview: nothing was imported. Import the file again to "
    "see what it would change now."
)


@require_GET
def export(request: AuthedRequest, slug: str, fmt: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    return access_io.file_response(me.org, fmt)


def _versions(plan: access_io.Plan) -> str:
    return " ".join(f"{user_id}:{version}" for user_id, (version, _) in plan.wanted.items())


def _answer(request: AuthedRequest, me: Membership, **extra: Any) -> HttpResponse:
    return preview_answer(request, me, "import_preview", importing=True, **extra)


@require_POST
def import_preview(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    form = ImportFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _answer(request, me, error=first_error(form))
    content = form.cleaned_data["file"].read()
    try:
        plan = access_io.plan(me.org, access_io.parse(content, form.format))
        text = content.decode("utf-8-sig")
    except access_io.FileError as exc:
        return _answer(request, me, error=str(exc))
    shown = [(c["email"], describe(c["before"]), describe(c["after"])) for c in plan.diff]
    return _answer(
        request,
        me,
        plan=plan,
        shown=shown[:PREVIEW_MEMBERS],
        more=max(0, len(shown) - PREVIEW_MEMBERS),
        format=form.format,
        content=text,
        versions=_versions(plan),
    )


@require_POST
def import_apply(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    form = ImportApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, RELOAD)
        return redirect(matrix_url(me))
    data = form.cleaned_data
    try:
        plan = access_io.plan(me.org, access_io.parse(data["content"], data["format"]))
        if plan.errors or _versions(plan) != data["versions"]:
            raise access_io.FileError(CHANGED_SINCE)
        changed = access_io.apply(me.org, plan, actor=request.user)
    except (access_io.FileError, access_io.ImportConflict) as exc:
        messages.error(request, str(exc))
        return redirect(matrix_url(me))
    groups = f" and {len(plan.group_diff)} group changes" if plan.group_diff else ""
    messages.success(
        request, f"Imported: model access changed for {members_text(changed)}{groups}."
    )
    return redirect(matrix_url(me))
