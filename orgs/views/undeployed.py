"""Owners: platform models no longer deployed but still on members' allowlists, and taking
one off every list at once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from orgs import services
from orgs.access import get_owner_membership
from orgs.models import Membership, ModelAccessEvent
from orgs.undeployed import undeployed_in_allowlists
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

TEMPLATE = "orgs/undeployed.html"


def _context(me: Membership, **extra: object) -> dict[str, object]:
    undeployed = undeployed_in_allowlists(me.org)
    return {"me": me, "org": me.org, "nav": "access", "undeployed": undeployed, **extra}


@require_GET
def page(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    return render(request, TEMPLATE, _context(me))


@require_POST
def remove(request: AuthedRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    model_id = request.POST.get("model_id", "")[:255]
    error = success = ""
    try:
        result = services.remove_from_allowlists(
            org=me.org, model_id=model_id, actor=request.user, via=ModelAccessEvent.Via.WEB
        )
    except ValidationError as exc:
        error = exc.messages[0]
    else:
        success = ngettext(
            "Removed %(model)s from %(count)d allowlist.",
            "Removed %(model)s from %(count)d allowlists.",
            result.changed,
        ) % {"model": model_id, "count": result.changed}
        if result.stale:
            success += f" Changed meanwhile, so left as they are: {', '.join(result.stale)}."

    def fragment() -> HttpResponse:
        context = _context(me, error=error, success=success)
        return render(request, TEMPLATE + "#undeployed", context)

    to = reverse("orgs:undeployed", args=[slug])
    return fragment_or_redirect(request, fragment, to, error=error, success=success)
