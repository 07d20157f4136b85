from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from orgs.access import get_membership, get_owner_membership


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request, slug)
    return render(
        request, "settings/placeholder.html", {"nav": "members", "title": membership.org.name}
    )


@require_GET
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_owner_membership(request, slug)
    return render(
        request, "settings/placeholder.html", {"nav": "audit", "title": membership.org.name}
    )
