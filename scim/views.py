"""The SCIM 2.0 endpoints of one org, /scim/v2/<org>/: bearer-token authenticated (no
session, no CSRF, no login page), JSON in and out, and every refusal a SCIM error body."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from orgs.models import Group, Membership, Organization
from scim import documents, filters, patch, services
from scim.errors import ScimError, error_response, invalid_syntax, invalid_value, scim_response
from scim.resources import (
    GROUP_KINDS,
    USER_KINDS,
    group_resource,
    group_state,
    user_resource,
    user_state,
)
from settings_app.guards import UNSTORABLE, UNSTORABLE_DETAIL, strings_in

DEFAULT_COUNT = 100
ALWAYS_RETURNED = {"schemas", "id", "meta"}
UNAUTHORIZED = "Send this organization's SCIM token as `Authorization: Bearer <token>`."
View = Callable[..., HttpResponse]


def scim_view(*methods: str) -> Callable[[View], View]:
    """A SCIM endpoint: the method checked first (405), then the org's bearer token (401,
    the same answer for an unknown org), then the view, whose refusals become SCIM errors."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
            scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
            org = None
            if scheme.lower() == "bearer" and raw.strip():
                org = services.token_holder(slug=slug, raw=raw.strip())
            if org is None:
                return error_response(401, UNAUTHORIZED)
            try:
                return view(request, org, **kwargs)
            except ScimError as error:
                return error_response(error.status, error.detail, error.scim_type)
            except ValidationError as error:
                refused = services.refusal(error)
                return error_response(refused.status, refused.detail, refused.scim_type)

        return login_not_required(csrf_exempt(require_http_methods(methods)(wrapper)))

    return decorate


def base_url(request: HttpRequest, org: Organization) -> str:
    return request.build_absolute_uri(f"/scim/v2/{org.slug}")


def body_of(request: HttpRequest) -> Any:
    try:
        data = json.loads(request.body)
        unstorable = any(UNSTORABLE.search(text) for text in strings_in(data))
    except RequestDataTooBig:
        raise ScimError(413, "The body is too large.") from None
    except (ValueError, RecursionError):
        raise invalid_syntax("The body isn't valid JSON (or is nested too deeply).") from None
    if unstorable:
        raise invalid_value(UNSTORABLE_DETAIL)
    return data


def _names(request: HttpRequest, param: str) -> set[str]:
    given = request.GET.get(param, "")
    return {n.strip().rsplit(":", 1)[-1].split(".")[0].lower() for n in given.split(",") if n}


def project(request: HttpRequest, resource: dict[str, Any]) -> dict[str, Any]:
    """The resource with only the `attributes` asked for, or without `excludedAttributes`."""
    wanted, excluded = _names(request, "attributes"), _names(request, "excludedAttributes")
    if wanted:
        return {k: v for k, v in resource.items() if k.lower() in wanted | ALWAYS_RETURNED}
    return {k: v for k, v in resource.items() if k.lower() not in excluded - ALWAYS_RETURNED}


def _number(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    try:
        return int(raw) if raw.strip() else default
    except ValueError:
        raise invalid_value(f"{name} is a whole number.") from None


def list_page(
    request: HttpRequest, found: QuerySet, render: Callable[[list[Any]], list[dict]]
) -> HttpResponse:
    """One page of `found` (startIndex is 1-based), counted and sliced in the database (the
    page's ids first, so rows skipped past are never joined), and rendered at once."""
    start = max(1, _number(request, "startIndex", 1))
    count = min(max(0, _number(request, "count", DEFAULT_COUNT)), documents.MAX_COUNT)
    ids = found.values("pk")[start - 1 : start - 1 + count]
    page = list(found.filter(pk__in=ids)) if count else []
    resources = [project(request, resource) for resource in render(page)]
    return scim_response(documents.list_response(resources, found.count(), start))


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@scim_view("GET")
def service_provider_config(request: HttpRequest, org: Organization) -> HttpResponse:
    return scim_response(documents.service_provider_config(base_url(request, org)))


@scim_view("GET")
def resource_types(request: HttpRequest, org: Organization) -> HttpResponse:
    base = base_url(request, org)
    found = [documents.resource_type(name, base) for name in documents.RESOURCE_TYPES]
    return scim_response(documents.list_response(found, len(found), 1))


@scim_view("GET")
def resource_type(request: HttpRequest, org: Organization, name: str) -> HttpResponse:
    if name not in documents.RESOURCE_TYPES:
        raise ScimError(404, f"No resource type {name[:100]}.")
    return scim_response(documents.resource_type(name, base_url(request, org)))


@scim_view("GET")
def schemas(request: HttpRequest, org: Organization) -> HttpResponse:
    base = base_url(request, org)
    found = [documents.schema(urn, base) for urn in documents.SCHEMAS]
    return scim_response(documents.list_response(found, len(found), 1))


@scim_view("GET")
def schema(request: HttpRequest, org: Organization, urn: str) -> HttpResponse:
    if urn not in documents.SCHEMAS:
        raise ScimError(404, f"No schema {urn[:100]}.")
    return scim_response(documents.schema(urn, base_url(request, org)))


@scim_view("POST")
def search(request: HttpRequest, org: Organization) -> HttpResponse:
    raise ScimError(501, "Search Users or Groups with a filter on GET /Users or GET /Groups.")


def _members_of(org: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(org=org).select_related("user", "scim_profile")


def _member(org: Organization, user_id: str) -> Membership:
    wanted = _uuid(user_id)
    found = _members_of(org).filter(user_id=wanted).first() if wanted else None
    if found is None:
        raise ScimError(404, f"No User {user_id[:100]} in this organization.")
    return found


USER_FILTERS = {"username": "userName", "externalid": "externalId", "id": "id"}


def _filter_users(found: QuerySet[Membership], text: str) -> QuerySet[Membership]:
    for field, value in filters.parse(text, USER_FILTERS):
        if not isinstance(value, str):
            return found.none()
        if field == "userName":
            found = found.alias(email_lower=Lower("user__email")).filter(email_lower=value.lower())
        elif field == "externalId":
            found = found.filter(external_id=value)
        else:
            wanted = _uuid(value)
            found = found.filter(user_id=wanted) if wanted else found.none()
    return found


@scim_view("GET", "POST")
def users(request: HttpRequest, org: Organization) -> HttpResponse:
    base = base_url(request, org)
    if request.method == "POST":
        membership = services.create_user(org=org, data=body_of(request))
        created = user_resource(_member(org, str(membership.user_id)), base)
        response = scim_response(project(request, created), status=201)
        response["Location"] = created["meta"]["location"]
        return response
    found = _members_of(org).order_by("pk")
    if "filter" in request.GET:
        found = _filter_users(found, request.GET["filter"])
    return list_page(request, found, lambda page: [user_resource(m, base) for m in page])


@scim_view("GET", "PUT", "PATCH", "DELETE")
def user(request: HttpRequest, org: Organization, user_id: str) -> HttpResponse:
    membership = _member(org, user_id)
    if request.method == "DELETE":
        services.delete_user(membership=membership)
        return HttpResponse(status=204)
    if request.method == "PUT":
        services.update_user(membership=membership, data=body_of(request))
    elif request.method == "PATCH":
        state = patch.apply(user_state(membership), body_of(request), USER_KINDS)
        services.update_user(membership=membership, data=state)
    if request.method != "GET":
        membership = _member(org, user_id)
    return scim_response(project(request, user_resource(membership, base_url(request, org))))


def _groups_of(org: Organization) -> QuerySet[Group]:
    return Group.objects.filter(org=org).order_by("pk")


def _member_ids(groups: list[Group]) -> dict[int, list[Any]]:
    """Each group's members' User ids, read for all `groups` in one query as plain values: a
    group of thousands costs no model instance a member."""
    found: dict[int, list[Any]] = {group.pk: [] for group in groups}
    rows = Group.members.through.objects.filter(group__in=groups).order_by("membership_id")
    for group_id, user_id in rows.values_list("group_id", "membership__user_id"):
        found[group_id].append(user_id)
    return found


def _group_resources(request: HttpRequest, groups: list[Group], base: str) -> list[dict]:
    """The groups as resources, without their members when the request leaves them out."""
    excluded, wanted = _names(request, "excludedAttributes"), _names(request, "attributes")
    with_members = "members" not in excluded and (not wanted or "members" in wanted)
    ids = _member_ids(groups) if with_members else {}
    return [group_resource(group, ids.get(group.pk), base) for group in groups]


def _group(org: Organization, group_id: str) -> Group:
    number = group_id.isascii() and group_id.isdigit() and len(group_id) < 19
    found = _groups_of(org).filter(pk=group_id).first() if number else None
    if found is None:
        raise ScimError(404, f"No Group {group_id[:100]} in this organization.")
    return found


GROUP_FILTERS = {
    "displayname": "displayName",
    "externalid": "externalId",
    "id": "id",
    "members": "member",
    "members.value": "member",
}


def _filter_groups(found: QuerySet[Group], text: str) -> QuerySet[Group]:
    for field, value in filters.parse(text, GROUP_FILTERS):
        if not isinstance(value, str):
            return found.none()
        if field == "displayName":
            found = found.filter(name__iexact=value)
        elif field == "externalId":
            found = found.filter(external_id=value)
        elif field == "id":
            number = value.isascii() and value.isdigit() and len(value) < 19
            found = found.filter(pk=value) if number else found.none()
        else:
            wanted = _uuid(value)
            found = found.filter(members__user_id=wanted) if wanted else found.none()
    return found


@scim_view("GET", "POST")
def groups(request: HttpRequest, org: Organization) -> HttpResponse:
    base = base_url(request, org)
    if request.method == "POST":
        group = services.create_group(org=org, data=body_of(request))
        (created,) = _group_resources(request, [_group(org, str(group.pk))], base)
        response = scim_response(project(request, created), status=201)
        response["Location"] = created["meta"]["location"]
        return response
    found = _groups_of(org)
    if "filter" in request.GET:
        found = _filter_groups(found, request.GET["filter"])
    return list_page(request, found, lambda page: _group_resources(request, page, base))


@scim_view("GET", "PUT", "PATCH", "DELETE")
def group(request: HttpRequest, org: Organization, group_id: str) -> HttpResponse:
    found = _group(org, group_id)
    if request.method == "DELETE":
        services.delete_group(group=found)
        return HttpResponse(status=204)
    if request.method == "PUT":
        services.update_group(group=found, data=body_of(request))
    elif request.method == "PATCH":
        current = _member_ids([found])[found.pk]
        state = patch.apply(group_state(found, current), body_of(request), GROUP_KINDS)
        services.update_group(group=found, data=state)
    if request.method != "GET":
        found = _group(org, group_id)
    (resource,) = _group_resources(request, [found], base_url(request, org))
    return scim_response(project(request, resource))
