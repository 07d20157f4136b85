"""Org settings (owners): the model access people get when they join, and the identity
provider's SCIM tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from orgs import invitations
from orgs.access import get_owner_membership
from orgs.forms import AllowlistForm, first_error
from orgs.models import ModelAccessEvent
from orgs.selectors import editor_choices
from orgs.views.rows import checklist_html
from scim.forms import ScimTokenForm
from scim.models import ScimToken
from scim.services import revoke_token
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

WEB = ModelAccessEvent.Via.WEB
SAVED = "Saved: people who join get this model access."
# A new SCIM token waits in the session for the one page view after the redirect that shows it.
NEW_TOKEN = "new_scim_token"


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
    new_token = request.session.pop(NEW_TOKEN, None)
    scim = {
        "scim_url": request.build_absolute_uri(f"/scim/v2/{me.org.slug}/"),
        "scim_tokens": list(ScimToken.objects.filter(org=me.org)),
        "new_token": new_token,
    }
    response = render(request, "orgs/org_settings.html", context | scim | {"error": error})
    if new_token:
        response["Cache-Control"] = "no-store"  # a new token is on this page once
    return response


@require_POST
def create_scim_token(request: AuthedRequest, slug: str) -> HttpResponse:
    """Shown once, on the GET this redirects to, so a reload can't create another."""
    me = get_owner_membership(request, slug)
    form = ScimTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        token, raw = ScimToken.issue(
            org=me.org, name=form.cleaned_data["name"], created_by=request.user
        )
        request.session[NEW_TOKEN] = {"raw": raw, "name": token.name}
    return redirect(reverse("orgs:org_settings", args=[slug]) + "#scim-heading")


@require_POST
def revoke_scim_token(request: AuthedRequest, slug: str, token_id: int) -> HttpResponse:
    me = get_owner_membership(request, slug)
    token = revoke_token(org=me.org, token_id=token_id)
    if token is None:
        raise Http404("No such SCIM token.")
    messages.success(
        request, f"Revoked “{token.name}”. The identity provider using it now gets 401."
    )
    return redirect(reverse("orgs:org_settings", args=[slug]) + "#scim-heading")
