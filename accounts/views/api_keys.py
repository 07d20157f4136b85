"""Account Settings → API keys: personal keys for the JSON API and CLI/TUI clients."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import ApiKeyForm
from accounts.models import ApiKey
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

TEMPLATE = "accounts/api_keys.html"
PAGE = "accounts:api_keys"


def _render(request: AuthedRequest, **extra) -> HttpResponse:
    keys = list(request.user.api_keys.all())
    context = {
        "nav": "api_keys",
        "keys": keys,
        "active_count": sum(key.is_active for key in keys),
        "form": ApiKeyForm(),
        **extra,
    }
    response = render(request, TEMPLATE, context)
    response["Cache-Control"] = "no-store"  # a new key is on this page once
    return response


@require_GET
def page(request: AuthedRequest) -> HttpResponse:
    return _render(request)


@require_POST
def create(request: AuthedRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _render(request, form=form)
    key, raw = ApiKey.issue(user=request.user, name=form.cleaned_data["name"])
    return _render(request, new_key=raw, new_key_name=key.name)


@require_POST
def revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk, user=request.user, revoked_at__isnull=True)
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    return fragment_or_redirect(
        request, None, PAGE, success=f"Revoked “{key.name}”. Clients using it now get 401."
    )


@require_POST
def revoke_all(request: AuthedRequest) -> HttpResponse:
    # Keys outlive a password change: this is the one step that shuts every client out.
    count = request.user.api_keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    if not count:
        return fragment_or_redirect(request, None, PAGE, error="You have no active keys.")
    revoked = ngettext("Revoked your %(n)d key.", "Revoked all %(n)d of your keys.", count)
    return fragment_or_redirect(
        request,
        None,
        PAGE,
        success=f"{revoked % {'n': count}} Clients using them now get 401.",
    )
