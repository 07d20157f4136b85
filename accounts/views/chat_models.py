"""Account Settings → Chat Models: platform models, the BYOK list and the model browser."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from accounts import services
from accounts.forms import ModelIdForm
from accounts.picker import picker_set, user_byok
from catalog.models import CAPABILITIES
from catalog.providers import PROVIDERS
from catalog.search import SearchParams, parse_query, search_results
from catalog.validation import check_compatibility
from orgs.access import active_membership
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

TEMPLATE = "accounts/chat_models.html"
PROVIDER_CHOICES = sorted(((p.slug, p.label) for p in PROVIDERS.values()), key=lambda c: c[1])


def _search_params(request: AuthedRequest) -> SearchParams:
    return parse_query(
        request.GET.get("q", ""),
        provider=request.GET.get("provider") or None,
        capabilities=[c for c in [request.GET.get("cap")] if c],
        offset=request.GET.get("offset"),
    )


def _context(request: AuthedRequest, **extra: object) -> dict[str, object]:
    picker = picker_set(user=request.user, membership=active_membership(request))
    params = _search_params(request)
    found = search_results(params)
    return {
        "nav": "chat_models",
        "picker": picker,
        "byok": picker.byok,
        "params": params,
        "results": found.models,
        "search": found,
        "enabled": set(picker.enabled_model_ids),
        "q": request.GET.get("q", ""),
        "provider": request.GET.get("provider", ""),
        "cap": request.GET.get("cap", ""),
        "provider_choices": PROVIDER_CHOICES,
        "capability_choices": CAPABILITIES,
        "add_url": reverse("accounts:add_model"),  # once, not once per result row
        **extra,
    }


@require_GET
@vary_on_headers("HX-Request")
def page(request: AuthedRequest) -> HttpResponse:
    context = _context(request)
    if request.htmx and request.htmx.target == "results":
        response = render(request, TEMPLATE + "#results", context)
        return push_url(response, _page_url(request.GET))  # bookmarkable: ?q=opus+4.5
    return render(request, TEMPLATE, context)


def _page_url(data: QueryDict) -> str:
    query = {k: v for k in ("q", "provider", "cap", "offset") if (v := data.get(k, "").strip())}
    url = reverse("accounts:chat_models")
    return f"{url}?{urlencode(query)}" if query else url


def _after_change(
    request: AuthedRequest, *, error: str = "", success: str = "", **extra: str
) -> HttpResponse:
    """htmx re-renders "Your models" in place; without it, back to the page the form was on."""

    def byok_fragment() -> HttpResponse:
        # Only what the partial renders: no platform list and no catalog search.
        context = {
            "byok": user_byok(request.user),
            "add_url": reverse("accounts:add_model"),
            **{k: request.POST.get(k, "") for k in ("q", "provider", "cap")},
            "error": error,
            "success": success,
            **extra,
        }
        return render(request, TEMPLATE + "#byok", context)

    return fragment_or_redirect(
        request, byok_fragment, _page_url(request.POST), error=error, success=success
    )


@require_POST
def add_model(request: AuthedRequest) -> HttpResponse:
    form = ModelIdForm(request.POST)
    if not form.is_valid():
        return _after_change(request, error=str(form.errors["model_id"][0]))
    try:
        model_id = services.add_model(
            user=request.user,
            model_id=form.cleaned_data["model_id"],
            allow_uncatalogued=form.cleaned_data["force"],
        )
    except ValidationError as exc:
        return _after_change(request, error=exc.messages[0])
    return _after_change(request, success=f"Added {model_id}.", added=model_id)


@require_POST
def remove_model(request: AuthedRequest) -> HttpResponse:
    model_id = request.POST.get("model_id", "")[:1000]
    try:
        services.remove_model(
            user=request.user, model_id=model_id, membership=active_membership(request)
        )
    except ValidationError as exc:
        return _after_change(request, error=exc.messages[0])
    return _after_change(request, success=f"Removed {model_id}.", removed=model_id)


@require_POST
def reset_models(request: AuthedRequest) -> HttpResponse:
    try:
        count = services.reset_models(user=request.user, membership=active_membership(request))
    except ValidationError as exc:
        return _after_change(request, error=exc.messages[0])
    return _after_change(request, success=f"Reset to defaults: removed {count} models.")


@require_POST
def check_model(request: AuthedRequest) -> HttpResponse:
    """LiteLLM compatibility check for an id that is not in the catalog."""
    result = check_compatibility(request.POST.get("model_id", "")[:1000])
    if request.htmx:
        return render(request, TEMPLATE + "#compat", {"compat": result})
    return render(request, TEMPLATE, _context(request, compat=result))
