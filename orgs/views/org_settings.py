"""Org settings (owners): the model access people get when they join."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from orgs import invitations
from orgs.access import get_owner_membership
from orgs.forms import AllowlistForm, first_error
from orgs.models import ModelAccessEvent
from orgs.selectors import editor_choices
from orgs.views.rows import checklist_html
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

WEB = ModelAccessEvent.Via.WEB
SAVED = "Saved: people who join get this model access."


@require_http_methods(["GET", "POST"])
def page(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    current = me.org.default_allowed_model_ids
    form = AllowlistForm(request.POST if request.method == "POST" else None, keep=current)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                invitations.set_default_access(
                    org=me.org,
                    allowed_model_ids=form.cleaned_data["allowed_model_ids"],
                    actor=request.user,
                    via=WEB,
                )
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                url = reverse("orgs:org_settings", args=[slug])
                return fragment_or_redirect(request, None, url, success=SAVED)
        else:
            error = first_error(form)
    checklist = checklist_html(
        request,
        editor_choices(current),
        selected=form.ticked if error else current,
        form_label="default",
        who="people who join",
    )
    context = {"nav": "org_settings", "org": me.org, "me": me, "checklist": checklist}
    return render(request, "orgs/org_settings.html", context | {"error": error})
