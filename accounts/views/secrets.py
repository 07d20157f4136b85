"""Account Settings → Secrets: write-only named values, masked, with the models they serve."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import SecretForm, SecretValueForm
from accounts.models import MAX_SECRET_NAME, Secret
from accounts.presets import key_use, page_presets
from settings_app.types import AuthedRequest

TEMPLATE = "accounts/secrets.html"


def _context(request: AuthedRequest, **extra: object) -> dict[str, object]:
    secrets = list(request.user.secrets.all())
    enabled = list(request.user.enabled_models.values_list("model_id", flat=True))
    saved = {s.name for s in secrets}
    use = key_use(enabled, saved)
    asked = request.GET.get("name", "")[:MAX_SECRET_NAME]
    return {
        "nav": "secrets",
        # Each secret with the enabled models it serves, and those that have no other key.
        "secrets": [
            (secret, use.used.get(secret.name, []), use.relied.get(secret.name, []))
            for secret in secrets
        ],
        "presets": page_presets(saved, use, asked.strip().upper()),
        "form": SecretForm(initial={"name": asked}),
        **extra,
    }


def _done(request: AuthedRequest, message: str) -> HttpResponse:
    # The page has no fragment to swap: every change ends in a redirect with its message.
    messages.success(request, message)
    return redirect("accounts:secrets")


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("value")
def page(request: AuthedRequest) -> HttpResponse:
    """The page, whose form adds a secret: its errors re-render at the page's own address."""
    if request.method != "POST":
        return render(request, TEMPLATE, _context(request))
    form = SecretForm(request.POST)
    if form.is_valid():
        try:
            secret = services.save_secret(
                user=request.user,
                name=form.cleaned_data["name"],
                value=form.cleaned_data["value"],
                replace=False,
            )
        except ValidationError as exc:  # a duplicate name
            form.add_error("name", exc)
        else:
            return _done(request, f"Saved {secret.name}. Its value won't be shown again.")
    return render(request, TEMPLATE, _context(request, form=form), status=200)


@require_POST
@sensitive_post_parameters("value")
def replace(request: AuthedRequest, pk: UUID) -> HttpResponse:
    secret = get_object_or_404(Secret, pk=pk, user=request.user)
    form = SecretValueForm(request.POST)
    if form.is_valid():
        try:
            services.replace_secret_value(secret=secret, value=form.cleaned_data["value"])
        except ValidationError as exc:
            form.add_error("value", exc)
        else:
            return _done(request, f"Replaced the value of {secret.name}.")
    # Back to the page (this address only takes the form), the reason in the message.
    reason = " ".join(str(message) for message in form.errors["value"])
    messages.error(request, f"{secret.name} was not changed: {reason}")
    return redirect("accounts:secrets")


@require_POST
def delete(request: AuthedRequest, pk: UUID) -> HttpResponse:
    # The page asks first (naming the models that need the secret): this only deletes.
    secret = get_object_or_404(Secret, pk=pk, user=request.user)
    secret.delete()
    return _done(request, f"Deleted {secret.name}.")
