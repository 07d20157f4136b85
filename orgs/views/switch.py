"""The org switcher: the active org decides which platform models the caller gets."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from orgs.access import choose_org, get_membership
from orgs.models import Membership
from settings_app.types import AuthedRequest

# Org pages every org has, each with whether only owners may open it. Any other org page
# (one member's editor, say) has no counterpart in another org: the switch lands on Members.
PAGES_IN_EVERY_ORG = {"members": False, "audit": True}


@require_POST
def switch_org(request: AuthedRequest) -> HttpResponse:
    membership = get_membership(request, request.POST.get("org", ""))
    choose_org(request, membership)
    messages.success(request, f"Switched to {membership.org.name}.")
    to = _landing(request, membership)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(to)
    return redirect(to)


def _landing(request: HttpRequest, membership: Membership) -> str:
    """The page the switch was made from; an org's page becomes the same page of the org
    switched to, so it doesn't go on showing the old org under the new name."""
    target = _safe_next(request)
    if not target:
        return reverse("accounts:chat_models")
    try:
        match = resolve(target.partition("?")[0])
    except Resolver404:
        return target
    slug = match.kwargs.get("slug")
    if match.namespace != "orgs" or slug is None or slug == membership.org.slug:
        return target
    owners_only = PAGES_IN_EVERY_ORG.get(match.url_name or "")
    same = owners_only is not None and (membership.is_owner or not owners_only)
    return reverse(f"orgs:{match.url_name if same else 'members'}", args=[membership.org.slug])


def _safe_next(request: HttpRequest) -> str:
    """`next` only when it is a path on this site: never another host, scheme or a bare word
    (which `redirect` would take for a URL name)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
