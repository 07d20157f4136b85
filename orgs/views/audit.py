"""The model-access audit log (owners only), next to the platform's model changes."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.models import PlatformModelEvent
from orgs.access import get_owner_membership
from orgs.models import ModelAccessEvent

PLATFORM_CHANGES = 50


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    events = ModelAccessEvent.objects.filter(org=me.org).select_related("actor", "member")
    events_page = Paginator(events, 50).get_page(request.GET.get("page", 1))
    # The latest deployments, removals and redeployments, newest first.
    changes = list(PlatformModelEvent.objects.select_related("actor")[:PLATFORM_CHANGES])
    context = {"nav": "audit", "org": me.org, "events": events_page, "platform_changes": changes}
    return render(request, "orgs/audit.html", context)
