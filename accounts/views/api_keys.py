"""Account Settings → API keys: personal keys for the JSON API and CLI/TUI clients."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import ApiKeyForm
from accounts.models import ApiKey

TEMPLATE = "accounts/api_keys.html"


def _render(request: HttpRequest, **extra) -> HttpResponse:
    keys = request.user.api_keys.all()
    context = {"nav": "api_keys", "keys": keys, "form": ApiKeyForm(), **extra}
    response = render(request, TEMPLATE, context)
    response["Cache-Control"] = "no-store"  # a new key is on this page once
    return response


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    return _render(request)


@require_POST
def create(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _render(request, form=form)
    key, raw = ApiKey.issue(user=request.user, name=form.cleaned_data["name"])
    return _render(request, new_key=raw, new_key_name=key.name)


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk, user=request.user, revoked_at__isnull=True)
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    messages.success(request, f"Revoked “{key.name}”. Clients using it now get 401.")
    return redirect("accounts:api_keys")
