"""The model-access audit log (owners only), next to the platform's model changes."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.models import PlatformModel
from orgs.access import get_owner_membership
from orgs.models import ModelAccessEvent

PLATFORM_CHANGES = 50


def platform_changes(limit: int = PLATFORM_CHANGES) -> list[tuple]:
    """(when, what, model) for the latest deployments and retirements, newest first, from the
    dates the platform sync records: one query."""
    models = (
        PlatformModel.objects.filter(Q(first_seen_at__isnull=False) | Q(retired_at__isnull=False))
        .annotate(last_change=Coalesce("retired_at", "first_seen_at"))
        .order_by("-last_change", "model_id")[:limit]
    )
    changes = []
    for model in models:
        if model.first_seen_at:
            changes.append((model.first_seen_at, "Deployed", model))
        if model.retired_at:
            changes.append((model.retired_at, "No longer deployed", model))
    changes.sort(key=lambda change: change[0], reverse=True)
    return changes[:limit]


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    me = get_owner_membership(request, slug)
    events = ModelAccessEvent.objects.filter(org=me.org).select_related("actor")
    events_page = Paginator(events, 50).get_page(request.GET.get("page", 1))
    return render(
        request,
        "orgs/audit.html",
        {
            "nav": "audit",
            "org": me.org,
            "events": events_page,
            "platform_changes": platform_changes(),
        },
    )
