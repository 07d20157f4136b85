from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from orgs.access import SESSION_KEY, get_membership
from settings_app.types import AuthedRequest


@require_POST
def switch_org(request: AuthedRequest) -> HttpResponse:
    membership = get_membership(request, request.POST.get("org", ""))
    request.session[SESSION_KEY] = membership.org.slug
    messages.success(request, f"Switched to {membership.org.name}.")
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(_safe_next(request) or "accounts:chat_models")


def _safe_next(request: HttpRequest) -> str:
    """`next` only when it is a path on this site: never another host, scheme or a bare word
    (which `redirect` would take for a URL name)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
