"""Account Settings → API keys: personal keys for the JSON API and CLI/TUI clients."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import ApiKeyForm
from accounts.models import ApiKey
from accounts.signals import person
from catalog import caching
from settings_app.types import AuthedRequest

TEMPLATE = "accounts/api_keys.html"
PAGE = "accounts:api_keys"
# A new key waits in the session for the one page view after the redirect that shows it.
NEW_KEY = "new_api_key"


def _render(request: AuthedRequest, **extra) -> HttpResponse:
    keys = list(request.user.api_keys.all())
    context = {
        "nav": "api_keys",
        "keys": keys,
        "active_count": sum(key.is_active for key in keys),
        "form": ApiKeyForm(user=request.user),
        **extra,
    }
    response = render(request, TEMPLATE, context)
    response["Cache-Control"] = "no-store"  # a new key is on this page once
    return response


@require_http_methods(["GET", "POST"])
def page(request: AuthedRequest) -> HttpResponse:
    """The page, whose form creates a key: a reload after creating must not create another,
    so a new key is shown once on the GET the POST redirects to."""
    if request.method == "POST":
        form = ApiKeyForm(request.POST, user=request.user)
        if not form.is_valid():
            return _render(request, form=form)
        key, raw = ApiKey.issue(user=request.user, name=form.cleaned_data["name"])
        request.session[NEW_KEY] = {"raw": raw, "name": key.name}
        return redirect(PAGE)
    new = request.session.pop(NEW_KEY, None)
    if new:
        return _render(request, new_key=new["raw"], new_key_name=new["name"])
    return _render(request)


@require_POST
def revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk, user=request.user, revoked_at__isnull=True)
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    messages.success(request, f"Revoked “{key.name}”. Clients using it now get 401.")
    return redirect(PAGE)


@require_POST
def revoke_all(request: AuthedRequest) -> HttpResponse:
    # Keys outlive a password change: this is the one step that shuts every client out.
    count = request.user.api_keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    caching.bump(person(request.user.pk))  # an update sends no signals
    if not count:
        messages.error(request, "You have no active keys.")
        return redirect(PAGE)
    revoked = ngettext("Revoked your %(n)d key.", "Revoked all %(n)d of your keys.", count)
    messages.success(request, f"{revoked % {'n': count}} Clients using them now get 401.")
    return redirect(PAGE)
