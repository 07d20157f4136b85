"""Every URL of the project answers 405 to a method it does not serve.

The URL list comes from the resolver and the API's methods from its OpenAPI document, so a
new route is covered (and a page route must be declared below) without editing this test.
"""

from __future__ import annotations

import functools
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from settings_app.api import api
from tests.helpers import ApiClient

pytestmark = pytest.mark.django_db
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
# The one route spelled as a regular expression, and a URL it matches.
EXPORT = r"orgs/^(?P<slug>[-\w]+)/access/export\.(?P<fmt>json|csv)$"
DECIDE = r"orgs/^(?P<slug>[-\w]+)/requests/(?P<request_id>[0-9]{1,9})/(?P<action>approve|deny)/$"
EXAMPLES = {EXPORT: "/orgs/acme/access/export.csv", DECIDE: "/orgs/acme/requests/1/approve/"}
# Methods each page route serves (HEAD and OPTIONS aside).
PAGES = {
    "": {"GET"},
    "healthz": {"GET"},
    "favicon.ico": {"GET"},
    "accounts/login/": {"GET", "POST"},
    "accounts/logout/": {"POST"},
    "settings/": {"GET"},
    "settings/chat-models/": {"GET"},
    "settings/chat-models/add/": {"POST"},
    "settings/chat-models/remove/": {"POST"},
    "settings/chat-models/reset/": {"POST"},
    "settings/chat-models/check/": {"POST"},
    "settings/chat-models/move/": {"POST"},
    "settings/chat-models/replace/": {"POST"},
    "settings/secrets/": {"GET", "POST"},
    "settings/secrets/<uuid:pk>/replace/": {"POST"},
    "settings/secrets/<uuid:pk>/delete/": {"POST"},
    "settings/api-keys/": {"GET", "POST"},
    "settings/api-keys/<int:pk>/revoke/": {"POST"},
    "settings/api-keys/revoke-all/": {"POST"},
    "orgs/switch/": {"POST"},
    "orgs/<slug:slug>/members/": {"GET"},
    "orgs/<slug:slug>/members/add/": {"POST"},
    "orgs/<slug:slug>/members/bulk-access/": {"POST"},
    "orgs/<slug:slug>/members/<uuid:user_id>/": {"GET"},
    "orgs/<slug:slug>/members/<uuid:user_id>/access/": {"GET", "POST"},
    "orgs/<slug:slug>/members/<uuid:user_id>/role/": {"POST"},
    "orgs/<slug:slug>/members/<uuid:user_id>/remove/": {"POST"},
    "orgs/<slug:slug>/audit/": {"GET"},
    "orgs/<slug:slug>/groups/": {"GET"},
    "orgs/<slug:slug>/groups/new/": {"POST"},
    "orgs/<slug:slug>/groups/<int:group_id>/": {"GET"},
    "orgs/<slug:slug>/groups/<int:group_id>/rename/": {"POST"},
    "orgs/<slug:slug>/groups/<int:group_id>/delete/": {"POST"},
    "orgs/<slug:slug>/groups/<int:group_id>/models/": {"POST"},
    "orgs/<slug:slug>/groups/<int:group_id>/members/add/": {"POST"},
    "orgs/<slug:slug>/groups/<int:group_id>/members/<uuid:user_id>/remove/": {"POST"},
    "orgs/<slug:slug>/settings/": {"GET", "POST"},
    "orgs/<slug:slug>/invitations/<int:invitation_id>/revoke/": {"POST"},
    "orgs/<slug:slug>/invitations/<int:invitation_id>/resend/": {"POST"},
    "orgs/<slug:slug>/access/": {"GET"},
    "orgs/<slug:slug>/access/preview/": {"POST"},
    "orgs/<slug:slug>/access/apply/": {"POST"},
    "orgs/<slug:slug>/access/import/": {"POST"},
    "orgs/<slug:slug>/access/import/apply/": {"POST"},
    "orgs/<slug:slug>/access/undeployed/": {"GET"},
    "orgs/<slug:slug>/access/undeployed/remove/": {"POST"},
    EXPORT: {"GET"},
    "orgs/<slug:slug>/requests/": {"GET"},
    "orgs/<slug:slug>/requests/new/": {"POST"},
    "orgs/<slug:slug>/requests/decide/": {"POST"},
    DECIDE: {"POST"},
    "invitations/": {"GET"},
    "invitations/<str:token>/": {"GET"},
    "invitations/<str:token>/accept/": {"POST"},
    "invitations/<str:token>/decline/": {"POST"},
    "scim/v2/<slug:slug>/ServiceProviderConfig": {"GET"},
    "scim/v2/<slug:slug>/ResourceTypes": {"GET"},
    "scim/v2/<slug:slug>/ResourceTypes/<str:name>": {"GET"},
    "scim/v2/<slug:slug>/Schemas": {"GET"},
    "scim/v2/<slug:slug>/Schemas/<str:urn>": {"GET"},
    "scim/v2/<slug:slug>/.search": {"POST"},
    "scim/v2/<slug:slug>/Users": {"GET", "POST"},
    "scim/v2/<slug:slug>/Users/<str:user_id>": {"GET", "PUT", "PATCH", "DELETE"},
    "scim/v2/<slug:slug>/Groups": {"GET", "POST"},
    "scim/v2/<slug:slug>/Groups/<str:group_id>": {"GET", "PUT", "PATCH", "DELETE"},
    "orgs/<slug:slug>/settings/scim-tokens/": {"POST"},
    "orgs/<slug:slug>/settings/scim-tokens/<int:token_id>/revoke/": {"POST"},
    "api/v1/openapi.json": {"GET"},
    "api/v1/docs": {"GET"},
}
# Django's admin serves GET and POST and treats other methods as GET; the API root is a 404.
NOT_CHECKED = re.compile(r"^(admin/|api/v1/$)")
SAMPLE = {
    "uuid": "6f1c1c1e-0000-4000-8000-000000000000",
    "int": "1",
    "slug": "acme",
    "path": "openai/gpt-4o",
    "str": "no-such-token",
}


def routes(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def api_methods() -> dict[str, set[str]]:
    """Route (resolver spelling) -> methods, from the API's own OpenAPI document."""
    served: dict[str, set[str]] = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))
        served.setdefault(route, set()).update(m.upper() for m in operations)
    return served


@functools.cache  # the OpenAPI document is generated once, not for each of 350 tests
def served_methods() -> dict[str, set[str]]:
    pages, api_routes = PAGES, api_methods()

    def methods(route: str) -> set[str]:
        # The OpenAPI document names path parameters without their converter (`{model_id}`
        # for `<path:model_id>`).
        return pages.get(route) or api_routes.get(re.sub(r"<\w+:(\w+)>", r"<\1>", route), set())

    return {route: methods(route) for route in set(routes()) if not NOT_CHECKED.match(route)}


def concrete(route: str) -> str:
    if route in EXAMPLES:
        return EXAMPLES[route]

    def sample(match: re.Match) -> str:
        converter, _, name = match.group(1).rpartition(":")
        if converter:
            return SAMPLE[converter]
        return SAMPLE["slug" if name == "slug" else "uuid"]

    return "/" + re.sub(r"<([\w:]+)>", sample, route)


def test_every_route_declares_what_it_serves():
    assert {route for route, methods in served_methods().items() if not methods} == set()


@pytest.mark.parametrize(
    ("route", "method"),
    [
        (route, method)
        for route, methods in sorted(served_methods().items())
        for method in sorted(METHODS - methods)
    ],
)
def test_unserved_methods_are_405(staff, route, method):
    client = ApiClient(staff).client
    client.force_login(staff)
    response = client.generic(method, concrete(route))
    assert response.status_code == 405, (method, concrete(route), response.status_code)
    assert set(response["Allow"].replace(" ", "").split(",")) >= served_methods()[route]
