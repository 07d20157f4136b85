"""Access requests on the web: members ask from Chat Models, owners decide on the Requests
page (one row, or a selection)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.picker import platform_access
from catalog.names import display_name
from catalog.platform import deployed_models
from orgs import requests
from orgs.access import get_membership, get_owner_membership
from orgs.models import AccessRequest, ModelAccessEvent
from orgs.services import AccessConflict
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

WEB = ModelAccessEvent.Via.WEB
TEMPLATE = "orgs/requests.html"
CHAT_TEMPLATE = "accounts/chat_models.html"
MAX_SELECTED = 200


def _page_url(slug: str) -> str:
    return reverse("orgs:requests", args=[slug])


@require_GET
def page(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_membership(request, slug)
    pending = list(requests.visible_requests(me, AccessRequest.Status.PENDING)[:MAX_SELECTED])
    decided = list(requests.visible_requests(me).exclude(status=AccessRequest.Status.PENDING)[:50])
    _name(pending + decided)
    rows = list(zip(pending, requests.giving_groups(me.org_id, pending), strict=True))
    context = {"nav": "requests", "me": me, "pending": rows, "decided": decided}
    return render(request, TEMPLATE, context)


def _name(rows: list[AccessRequest]) -> None:
    """Each request's model name, from the deployed list every process keeps (no query); a
    model no longer deployed keeps its generated name."""
    names = {m.model_id: m.display_name for m in deployed_models()}
    for r in rows:
        r.model_name = names.get(r.model_id) or display_name(r.model_id)


@require_POST
def request_access(request: AuthedRequest, slug: str) -> HttpResponse:
    """The Chat Models page's Request access button; htmx swaps the locked row."""
    me = get_membership(request, slug)
    model_id = request.POST.get("model_id", "")[:200]
    error = success = ""
    try:
        made, created = requests.request_access(
            membership=me,
            model_id=model_id,
            reason=request.POST.get("reason", "")[:500],
            link=request.build_absolute_uri(_page_url(slug)),
        )
        name = _model_name(model_id)
        success = (
            f"Asked the owners of {me.org.name} for {name}."
            if created
            else f"You already asked for {name}; the owners haven't answered yet."
        )
    except requests.RequestRefused as exc:
        error = exc.message

    rows = [r for r in platform_access(me, deployed_models()) if r.id == model_id]

    def row() -> HttpResponse:
        context = {
            "row": rows[0],
            "asked": requests.latest_by_model(me).get(model_id),
            "active_membership": me,
            "error": error,
            "success": success,
        }
        return render(request, CHAT_TEMPLATE + "#locked_row", context)

    to = reverse("accounts:chat_models") + "#platform"
    fragment = row if rows and not rows[0].allowed else None
    return fragment_or_redirect(request, fragment, to, error=error, success=success)


def _model_name(model_id: str) -> str:
    for m in deployed_models():
        if m.model_id == model_id:
            return m.display_name or model_id
    return display_name(model_id)


def _decided_text(decided: AccessRequest) -> str:
    who = decided.member.email
    if decided.status == AccessRequest.Status.CLOSED:
        return f"Closed {who}'s request: {decided.note}"
    name = _model_name(decided.model_id)
    how = f" {decided.note}" if decided.note.startswith("Added to group ") else ""
    return f"{decided.get_status_display()} {who}'s request for {name}.{how}"


@require_POST
def decide(request: AuthedRequest, slug: str, request_id: str, action: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    pk = int(request_id)  # the URL allows digits only
    error = success = ""
    decided = None
    group = request.POST.get("group", "")[:20]  # approve by adding them to this group
    try:
        if group and not group.isdecimal():
            raise requests.RequestRefused("Choose one of the groups listed.", 409)
        decided = requests.decide(
            org=me.org,
            request_id=pk,
            approve=action == "approve",
            actor=request.user,
            via=WEB,
            note=request.POST.get("note", "")[:500],
            group_id=int(group) if group and action == "approve" else None,
        )
        success = _decided_text(decided)
    except requests.RequestRefused as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        error = exc.message
    except (AccessConflict, ValidationError) as exc:
        error = str(exc) if isinstance(exc, AccessConflict) else exc.messages[0]

    def row() -> HttpResponse:
        current = decided or AccessRequest.objects.filter(org=me.org, pk=pk).first()
        if current is not None:
            _name([current])
        context = {"r": current, "me": me, "error": error, "success": success}
        return render(request, TEMPLATE + "#request_row", context)

    return fragment_or_redirect(request, row, _page_url(slug), error=error, success=success)


@require_POST
def decide_selected(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    ids = [int(i) for i in request.POST.getlist("ids")[:MAX_SELECTED] if i.isdecimal()]
    action = request.POST.get("action")
    if not ids or action not in ("approve", "deny"):
        return fragment_or_redirect(
            request, None, _page_url(slug), error="Select requests, then Approve or Deny."
        )
    done, refused = requests.decide_many(
        org=me.org, request_ids=ids, approve=action == "approve", actor=request.user, via=WEB
    )
    verb = "Approved" if action == "approve" else "Denied"
    success = ngettext("%(verb)s %(n)d request.", "%(verb)s %(n)d requests.", done) % {
        "verb": verb,
        "n": done,
    }
    error = " ".join([success, *refused]) if refused else ""
    return fragment_or_redirect(request, None, _page_url(slug), error=error, success=success)
