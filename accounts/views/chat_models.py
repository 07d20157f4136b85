"""Account Settings → Chat Models: platform models, the BYOK list and the model browser."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from accounts import services
from accounts.forms import ModelIdForm
from accounts.picker import (
    LISTED_MANY,
    REASONS,
    PickerModel,
    PickerSet,
    group_sources,
    groups_phrase,
    member_groups,
    picker_set,
    platform_access,
    suggest_replacements,
    user_byok,
)
from accounts.signals import byok
from catalog import caching
from catalog.grouping import grouped_page
from catalog.models import CAPABILITIES, CatalogModel
from catalog.platform import platform_snapshot
from catalog.providers import get_provider
from catalog.replacements import retirement_notice
from catalog.search import (
    DEFAULT_LIMIT,
    SearchParams,
    SearchResult,
    cached_search_results,
    parse_query,
    today,
)
from catalog.templatetags.catalog_tags import dom_id
from catalog.validation import check_compatibility
from orgs.access import active_membership
from orgs.models import Membership
from orgs.requests import latest_by_model
from settings_app.fragments import render_fragment, with_csrf
from settings_app.responses import fragment_or_redirect
from settings_app.types import AuthedRequest

TEMPLATE = "accounts/chat_models.html"
PAGE_SIZE = DEFAULT_LIMIT
MAX_PAGE = 10_000
# The search's state, kept in page URLs and carried through the list's forms.
SEARCH_KEYS = ("q", "provider", "cap", "retired")


def provider_choices() -> list[tuple[str, str]]:
    """(slug, "Label (count)") for each provider with active catalog models, sorted as a
    person reads. One grouped query, cached until the catalog changes."""

    def build() -> list[tuple[str, str]]:
        counts = (
            CatalogModel.objects.filter(is_active=True)
            .values_list("provider")
            .annotate(n=Count("pk"))
            .order_by()
        )
        labelled = [(slug, get_provider(slug).label, n) for slug, n in counts]
        labelled.sort(key=lambda c: (c[1].casefold(), c[0]))
        return [(slug, f"{label} ({n:,})") for slug, label, n in labelled]

    return caching.cached("provider-choices", [caching.CATALOG], build, caching.HOUR)


@dataclass
class Search:
    """A page of search results, read only to render them: what a page shows of them (the
    results, their status line) is kept as HTML, under the catalog's version read first, so
    a catalog change committed meanwhile never leaves older rows' HTML under a newer one."""

    params: SearchParams  # with this page's offset and limit
    catalog: str = field(default_factory=lambda: caching.version(caching.CATALOG))

    @cached_property
    def results(self) -> SearchResult:
        return cached_search_results(self.params, page=grouped_page)


def _search(params: SearchParams, page: int) -> Search:
    return Search(replace(params, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE))


def _inputs(request: AuthedRequest, params: SearchParams, search: Search) -> dict[str, Any]:
    """What the results' HTML and their status line are kept under."""
    return {
        "catalog": search.catalog,
        "today": today(),
        "search": vars(params),  # plain fields: str, numbers, lists of str
        "page": _page_number(request.GET),
    }


def _objects(params: SearchParams, search: Search) -> dict[str, Any]:
    return {"params": params, "results": SimpleLazyObject(lambda: search.results)}


def results_html(
    request: AuthedRequest,
    partial: str,
    params: SearchParams,
    search: Search,
    enabled: Collection[str],
    **flags: bool,
) -> SafeString:
    """The search results (`results`, or `more_results` for the next rows) as HTML: a fragment
    the same for everyone who searched the same, in which the Add buttons of the models this
    person has added become "Added"."""
    page = _page_number(request.GET)
    inputs = {
        **_inputs(request, params, search),
        **{k: request.GET.get(k, "") for k in SEARCH_KEYS},
        "first_url": _page_url(request.GET),
        "more_url": _page_url(request.GET, page=page + 1),
        "add_url": reverse("accounts:add_model"),
        **flags,
    }
    html = render_fragment(f"{TEMPLATE}#{partial}", inputs, _objects(params, search))
    return with_csrf(request, mark_added(html, enabled))


ADD_BUTTON = re.compile(r'(<div id="act-(m-[0-9a-f]+)"[^>]*>)\s*<button [^>]*>Add</button>')
ADDED = '<span class="badge badge-ok">Added</span>'


def mark_added(html: str, enabled: Collection[str]) -> str:
    """`html` with the Add button of each model in `enabled` replaced by an Added badge."""
    added = {dom_id(model_id) for model_id in enabled}
    if not any(f'id="act-{dom}"' in html for dom in added):
        return html
    return ADD_BUTTON.sub(lambda m: m[1] + ADDED if m[2] in added else m[0], html)


def _page_number(data: QueryDict) -> int:
    value = data.get("page", "")
    if not (value.isdecimal() and len(value) <= len(str(MAX_PAGE))):  # int() of 5,000 digits raises
        return 1
    return min(max(int(value), 1), MAX_PAGE)


def _search_params(request: AuthedRequest) -> SearchParams:
    # "Hide retired" only ever hides: unticked, a retired:no typed in the query still applies.
    hide_retired = {"include_retired": False} if request.GET.get("retired") == "no" else {}
    return parse_query(
        request.GET.get("q", ""),
        provider=request.GET.get("provider") or None,
        capabilities=[c for c in [request.GET.get("cap")] if c],
        offset=request.GET.get("offset"),
        **hide_retired,
    )


def why_allowed(membership: Membership | None, shown: int) -> str:
    """Why the `shown` platform models are there; each row a group gives names it too."""
    if membership is None:
        return ""
    if membership.is_owner:
        return REASONS["owner"]
    if membership.allowed_model_ids is None:
        return REASONS["unrestricted"]
    if membership.effective_model_ids is None:
        every = [g.name for g in membership.groups.all() if g.allowed_model_ids is None]
        return f"Your {groups_phrase(every)} gives you every platform model."
    if member_groups(membership):
        return "On your list or from your groups: your org's owners gave you these models."
    return REASONS["listed"] if shown == 1 else LISTED_MANY


def platform_html(
    request: AuthedRequest, membership: Membership | None, picker: PickerSet
) -> SafeString:
    """The platform models section: the same for everyone of an org whose access comes from
    the same facts (role, own list, groups' lists) with the same requests for what they
    can't use, so a fragment kept under exactly those and the platform list as this process
    last read it. What the facts decide (why, which group gives what, the locked rows) is
    worked out only when the section is rendered."""
    status = picker.status
    snapshot = platform_snapshot()
    asked = latest_by_model(membership)  # a restricted member's newest request per model
    inputs = {
        "snapshot": [snapshot.version, snapshot.read_at],
        "org": [membership.org.slug, membership.org.name] if membership else None,
        "platform": [m.model_id for m in picker.permitted],
        "stale": [status.stale, status.last_success] if status else None,
        "access": [membership.role, membership.allowed_model_ids] if membership else None,
        # Groups add to an own list only (orgs.access.with_groups reads them for those).
        "groups": [[g.name, g.allowed_model_ids] for g in membership.groups.all()]
        if membership is not None and membership.is_restricted_by_own
        else [],
        "asked": [[a.model_id, a.status, a.note, a.created_at] for a in asked.values()],
    }

    def platform_rows() -> list[tuple[Any, list[str]]]:
        # Beside each model a group gives a member whose own list restricts them: which group.
        named = membership is not None and membership.is_restricted_by_own
        return [(m, group_sources(membership, m.id) if named else []) for m in picker.platform]

    def locked() -> list[dict[str, Any]]:
        if not picker.restricted:
            return []
        rows = platform_access(membership, list(snapshot.models))
        return [{"row": r, "asked": asked.get(r.id)} for r in rows if not r.allowed]

    objects = {
        "picker": picker,
        "platform_rows": SimpleLazyObject(platform_rows),
        "locked": SimpleLazyObject(locked),
        "why_allowed": SimpleLazyObject(lambda: why_allowed(membership, len(picker.permitted))),
        "active_membership": membership,
    }
    html = render_fragment(f"{TEMPLATE}#platform", inputs, objects)
    return with_csrf(request, html)


def byok_html(request: AuthedRequest, entries: list[PickerModel]) -> SafeString:
    """The person's own models (`entries`, as `user_byok` read them under the versions the
    HTML is kept under): kept for them and the search their forms carry until their list,
    their secrets or the catalog change (or the day, which retirements follow), and at most
    caching.TTL, like the list itself."""
    user = request.user
    inputs = {
        "user": str(user.pk),
        "versions": [caching.version(byok(user.pk)), caching.version(caching.CATALOG)],
        "today": today(),
        **{k: request.GET.get(k, "") for k in SEARCH_KEYS},
    }
    objects = {
        "byok": SimpleLazyObject(lambda: suggest_replacements(entries)),
        "add_url": reverse("accounts:add_model"),
    }
    html = render_fragment(f"{TEMPLATE}#byok", inputs, objects, ttl=caching.TTL)
    return with_csrf(request, html)


def _context(request: AuthedRequest, **extra: object) -> dict[str, object]:
    membership = active_membership(request)
    picker = picker_set(user=request.user, membership=membership)
    params = _search_params(request)
    search = _search(params, _page_number(request.GET))
    return {
        "picker": picker,
        "platform_html": platform_html(request, membership, picker),
        # The restricted banner points at Request access when a deployed model is locked.
        "requestable": picker.restricted
        and len(picker.permitted) < len(platform_snapshot().models),
        "byok_html": byok_html(request, picker.byok),
        "params": params,
        "status_html": render_fragment(
            f"{TEMPLATE}#results_status",
            _inputs(request, params, search),
            _objects(params, search),
        ),
        "results_html": results_html(request, "results", params, search, picker.enabled_model_ids),
        # The same for everyone who searched the same: the filters' options render once.
        "search_form": render_fragment(
            f"{TEMPLATE}#search_form",
            {**{k: request.GET.get(k, "") for k in SEARCH_KEYS}, "catalog": search.catalog},
            {"provider_choices": provider_choices, "capability_choices": CAPABILITIES},
        ),
        **extra,
    }


@require_GET
@vary_on_headers("HX-Request")
def page(request: AuthedRequest) -> HttpResponse:
    target = request.htmx.target if request.htmx else None
    if target in ("results", "result-rows"):
        # Only the results: no picker set, just which of them this person has added.
        enabled = [m.id for m in user_byok(request.user)]  # read first: its versions serve all
        params = _search_params(request)
        search = _search(params, _page_number(request.GET))
        if target == "result-rows":  # "Show more": the next rows, appended
            html = results_html(request, "more_results", params, search, enabled, appended=True)
            return HttpResponse(html)
        html = results_html(request, "results", params, search, enabled, oob=True)
        return push_url(HttpResponse(html), _page_url(request.GET))  # bookmarkable: ?q=opus+4.5
    return render(request, TEMPLATE, {"nav": "chat_models", **_context(request)})


def _page_url(data: QueryDict, page: int = 1) -> str:
    query = {k: v for k in SEARCH_KEYS if (v := data.get(k, "").strip())}
    if page > 1:
        query["page"] = str(page)
    url = reverse("accounts:chat_models")
    return f"{url}?{urlencode(query)}" if query else url


def _after_change(
    request: AuthedRequest, *, error: str = "", success: str = "", anchor: str = "", **extra: object
) -> HttpResponse:
    """htmx re-renders "Your models" in place; without it, back to the page the form was on
    (at `anchor`, so the next Tab continues from the changed row)."""

    def byok_fragment() -> HttpResponse:
        # Only what the partial renders: no platform list and no catalog search.
        context = {
            "byok": suggest_replacements(user_byok(request.user)),
            "add_url": reverse("accounts:add_model"),
            **{k: request.POST.get(k, "") for k in SEARCH_KEYS},
            "error": error,
            "success": success,
            **extra,
        }
        return render(request, TEMPLATE + "#byok", context)

    to = _page_url(request.POST) + (f"#{anchor}" if anchor else "")
    return fragment_or_redirect(request, byok_fragment, to, error=error, success=success)


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
    notice = retirement_notice(model_id)
    # Without JavaScript, back to the result it was added from, now marked Added; a retired
    # model's notice is read at the top, where the message is.
    anchor = "" if notice else f"act-{dom_id(model_id)}"
    return _after_change(
        request, success=f"Added {model_id}.{notice}", added=model_id, anchor=anchor
    )


@require_POST
def remove_model(request: AuthedRequest) -> HttpResponse:
    model_id = request.POST.get("model_id", "")[:1000]
    try:
        services.remove_model(
            user=request.user, model_id=model_id, membership=active_membership(request)
        )
    except ValidationError as exc:
        return _after_change(request, error=exc.messages[0])
    return _after_change(request, success=f"Removed {model_id}.", removed=[model_id])


@require_POST
def reset_models(request: AuthedRequest) -> HttpResponse:
    # Read first: the search results turn these back into Add buttons.
    model_ids = list(request.user.enabled_models.values_list("model_id", flat=True))
    try:
        count = services.reset_models(user=request.user, membership=active_membership(request))
    except ValidationError as exc:
        return _after_change(request, error=exc.messages[0])
    success = ngettext(
        "Reset to defaults: removed %(count)d model.",
        "Reset to defaults: removed %(count)d models.",
        count,
    ) % {"count": count}
    return _after_change(request, success=success, removed=model_ids)


@require_POST
def move_model(request: AuthedRequest) -> HttpResponse:
    model_id = request.POST.get("model_id", "")[:1000]
    direction = request.POST.get("direction", "")
    try:
        services.move_model(user=request.user, model_id=model_id, direction=direction)
    except ValidationError as exc:
        return _after_change(request, error=exc.messages[0])
    return _after_change(
        request,
        success=f"Moved {model_id} {direction}.",
        anchor=f"byok-row-{dom_id(model_id)}",
        moved=model_id,
        direction=direction,
    )


@require_POST
def replace_model(request: AuthedRequest) -> HttpResponse:
    """Swap a retiring model for its suggested replacement, in the same place in the list."""
    old_id = request.POST.get("model_id", "")[:1000]
    try:
        new_id = services.replace_model(
            user=request.user, old_id=old_id, new_id=request.POST.get("new_id", "")[:1000]
        )
    except ValidationError as exc:
        return _after_change(request, error=exc.messages[0])
    return _after_change(
        request,
        success=f"Replaced {old_id} with {new_id}.",
        anchor=f"byok-row-{dom_id(new_id)}",
        removed=[old_id],
    )


@require_POST
def check_model(request: AuthedRequest) -> HttpResponse:
    """Catalog lookup, then the LiteLLM compatibility check, for an id typed by hand."""
    result = check_compatibility(request.POST.get("model_id", "")[:1000], suggest=True)
    if request.htmx:
        context = {"compat": result, "add_url": reverse("accounts:add_model")}
        return render(request, TEMPLATE + "#compat", context)
    return render(request, TEMPLATE, {"nav": "chat_models", **_context(request, compat=result)})
