from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from orgs.access import SESSION_KEY, get_membership


@require_POST
def switch_org(request: HttpRequest) -> HttpResponse:
    membership = get_membership(request, request.POST.get("org", ""))
    request.session[SESSION_KEY] = membership.org.slug
    messages.success(request, f"Switched to {membership.org.name}.")
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(request.POST.get("next") or "accounts:chat_models")
