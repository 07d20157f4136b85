"""Owners' members × models matrix: see who may use which platform model, change many cells
or one model for many members, always through a preview that says what will happen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.platform import deployed_models
from orgs import services
from orgs.access import get_owner_membership
from orgs.forms import MemberSearchForm, first_error
from orgs.matrix import members_text, preview, rows
from orgs.matrix_forms import MatrixApplyForm, MatrixChangeForm
from orgs.models import Membership, ModelAccessEvent
from orgs.selectors import member_page, members_matching
from settings_app.types import AuthedRequest

TEMPLATE = "orgs/access_matrix.html"


def matrix_url(me: Membership) -> str:
    return reverse("orgs:access_matrix", args=[me.org.slug])


def _context(me: Membership, **extra: Any) -> dict[str, Any]:
    return {"me": me, "org": me.org, "nav": "access", "matrix_url": matrix_url(me), **extra}


@require_GET
@vary_on_headers("HX-Request")
def page(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    search = MemberSearchForm(request.GET, auto_id="matrix-%s")
    members = member_page(me, search.query, request.GET.get("page", 1))
    deployed = deployed_models()
    context = _context(
        me,
        members=members,
        rows=rows(me, list(members), deployed),
        platform_models=deployed,
        q=search.query,
        search=search,
    )
    if request.htmx and request.htmx.target == "matrix-list":
        return render(request, TEMPLATE + "#matrix_list", context)
    return render(request, TEMPLATE, context)


@require_POST
def preview_change(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    deployed = [m.model_id for m in deployed_models()]
    form = MatrixChangeForm(request.POST, deployed=deployed)
    if not form.is_valid():
        return preview_answer(request, me, error=first_error(form))
    data = form.cleaned_data
    if data["kind"] != "cells" and data["scope"] == "search":
        members = list(members_matching(me, data["q"]))
        seen: dict = {}
    else:
        seen = form.seen
        members = list(
            Membership.objects.filter(org=me.org, user_id__in=list(seen)).select_related("user")
        )
    members.sort(key=lambda m: m.user.email)
    change = form.change
    result = preview(me, change, members, seen, deployed)
    # Confirm sends the ticked cells again, for the members who change.
    cells = [
        f"{m.user_id} {model_id}"
        for m, _ in result.changes
        for model_id in sorted(change.ticked.get(m.user_id, ()))
    ]
    return preview_answer(request, me, preview=result, form=form, cells=cells)


def preview_answer(
    request: AuthedRequest, me: Membership, partial: str = "preview", **extra: Any
) -> HttpResponse:
    """A preview (or why there is none): the page's `partial` in place for htmx, else a page
    of its own."""
    context = _context(me, **extra)
    if request.htmx:
        return render(request, f"{TEMPLATE}#{partial}", context)
    return render(request, "orgs/access_preview.html", context)


@require_POST
def apply_change(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    deployed = [m.model_id for m in deployed_models()]
    form = MatrixApplyForm(request.POST, deployed=deployed)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(matrix_url(me))
    versions = form.cleaned_data["versions"]
    members = Membership.objects.filter(org=me.org, user_id__in=list(versions)).select_related(
        "user"
    )
    change = form.change
    wanted = {m.user_id: (versions[m.user_id], change.after(m, deployed)) for m in members}
    try:
        result = services.set_many_model_access(
            org=me.org, wanted=wanted, actor=request.user, via=ModelAccessEvent.Via.WEB
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(matrix_url(me))
    if result.stale:
        messages.warning(
            request,
            f"{members_text(len(result.stale))} changed since the preview and kept their "
            f"access: {', '.join(result.stale[:20])}. Review them.",
        )
    if result.changed:
        messages.success(request, f"Saved model access for {members_text(result.changed)}.")
    else:
        messages.info(request, "Nothing changed.")
    return redirect(matrix_url(me))
