"""Hostile input for every page form and every API operation: never a server error.

Requests that carry a character the database refuses (a NUL byte anywhere, a lone surrogate
in JSON) must be refused with a 400 and change nothing. Other hostile text (huge, control
characters, odd unicode) may be accepted or refused, but never with a 5xx. The API operations
come from its OpenAPI document, so new endpoints are covered without editing this file.
Examples per case come from the hypothesis profile (tests/conftest.py: 8 on a laptop, 25 in
CI); HYPOTHESIS_PROFILE=deep makes a longer probe run (200).
"""

from __future__ import annotations

import functools
import json
import re
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import ApiKey
from accounts.services import save_secret
from orgs.groups import create_group
from settings_app.api import api
from tests.helpers import assert_envelope

pytestmark = pytest.mark.django_db
EXAMPLES = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A URL or form can only carry NUL (undecodable bytes become U+FFFD); JSON can carry both.
URL_BAD = st.just("\x00")
JSON_BAD = st.sampled_from(["\x00", "\ud800", "\udbff", "\udc00", "\udfff"])
HOSTILE = st.one_of(
    st.text(max_size=60),
    st.text(st.characters(max_codepoint=0x9F, exclude_characters="\x00"), max_size=40),
    st.integers(2_000, 10_000).map(lambda n: "é" * n),
    st.sampled_from(
        ["", " ", "../../etc/passwd", "<script>x</script>", "' OR 1=1 --", "%00", "\u202e"]
        + ["𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "dn/gpt-5.2", "openai/gpt-4o", "owner", "reader", "on", "yes"]
    ),
)
VOLATILE = {"last_login", "last_used_at"}


@functools.cache
def snapshot_queries() -> tuple[tuple[str, str], ...]:
    """(model label, SELECT of its rows' columns but the volatile ones, in pk order) for every
    model of the apps, read by one query each: the ORM built each query anew per example."""
    queries, quote = [], connection.ops.quote_name
    for app in ("accounts", "orgs", "catalog"):
        for model in apps.get_app_config(app).get_models():
            meta = model._meta
            columns = [f.column for f in meta.concrete_fields if f.attname not in VOLATILE]
            queries.append(
                (
                    meta.label,
                    f"SELECT {', '.join(map(quote, columns))} FROM {quote(meta.db_table)}"
                    f" ORDER BY {quote(meta.pk.column)}",
                )
            )
    return tuple(queries)


def snapshot() -> dict:
    """Every row of every table of the apps, as the database holds it."""
    with connection.cursor() as cursor:
        rows = {}
        for label, query in snapshot_queries():
            cursor.execute(query)
            rows[label] = cursor.fetchall()
    return rows


def poisoned(draw, text: str, bad: st.SearchStrategy[str]) -> str:
    """`text` with a refused character at a drawn position."""
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(bad) + text[at:]


def url_quote(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")


def form_body(fields: dict[str, object]) -> bytes:
    return urlencode(fields, doseq=True, errors="surrogatepass").encode()


@pytest.fixture
def world(org, owner, contributor, platform_models):
    secret = save_secret(user=owner, name="OPENAI_API_KEY", value="sk-test-value-0123456789")
    return {
        "slug": org.slug,
        "member": str(contributor.pk),
        "secret": str(secret.pk),
        "key": ApiKey.issue(user=owner, name="probe")[1],
        "group": str(create_group(org=org, name="Research", actor=owner, via="web").pk),
        "owner": owner,
    }


# Page forms: (method, path template, fields). {member} and {secret} are real ids.
PAGES = [
    ("get", "/settings/chat-models/", ["q", "provider", "cap", "retired", "page", "offset"]),
    ("post", "/settings/chat-models/add/", ["model_id", "force", "q", "provider", "cap"]),
    ("post", "/settings/chat-models/remove/", ["model_id"]),
    ("post", "/settings/chat-models/check/", ["model_id"]),
    ("post", "/settings/chat-models/reset/", []),
    ("get", "/settings/secrets/", ["name"]),
    ("post", "/settings/secrets/", ["name", "value"]),
    ("post", "/settings/secrets/{secret}/replace/", ["value"]),
    ("post", "/settings/secrets/{secret}/delete/", ["confirm"]),
    ("post", "/settings/api-keys/", ["name"]),
    ("get", "/orgs/acme/members/", ["q", "page"]),
    ("post", "/orgs/acme/members/add/", ["email", "role"]),
    ("post", "/orgs/acme/members/{member}/role/", ["role"]),
    ("post", "/orgs/acme/members/{member}/remove/", []),
    ("get", "/orgs/acme/members/{member}/access/", []),
    ("post", "/orgs/acme/members/{member}/access/", ["models", "allow_all", "version"]),
    ("post", "/orgs/acme/members/bulk-access/", ["members", "models", "allow_all"]),
    ("get", "/orgs/acme/audit/", ["page"]),
    ("get", "/orgs/acme/groups/", ["page"]),
    ("post", "/orgs/acme/groups/new/", ["name"]),
    ("get", "/orgs/acme/groups/{group}/", ["page"]),
    ("post", "/orgs/acme/groups/{group}/rename/", ["name"]),
    ("post", "/orgs/acme/groups/{group}/models/", ["models", "allow_all"]),
    ("post", "/orgs/acme/groups/{group}/members/add/", ["emails"]),
    ("post", "/orgs/acme/groups/{group}/members/{member}/remove/", []),
    ("post", "/orgs/acme/groups/{group}/delete/", []),
    ("post", "/orgs/switch/", ["org", "next"]),
    ("post", "/accounts/login/", ["username", "password", "next"]),
]


def page_request(draw, world, method, template, fields, bad):
    """(client, method, url, body): the fields filled with hostile text, and one value (or,
    with no field, an extra query parameter) poisoned when `bad` is given."""
    values: dict[str, list[str]] = {
        name: draw(st.lists(HOSTILE, min_size=1, max_size=3)) for name in fields
    }
    if bad is not None:
        name = draw(st.sampled_from([*fields, "extra"]))
        slot = values.setdefault(name, [""])
        slot[0] = poisoned(draw, slot[0], bad)
    client = Client()
    if template != "/accounts/login/":
        client.force_login(world["owner"])
    url = template.format(**world)
    if method == "get":
        return client, method, f"{url}?{form_body(values).decode()}", None
    extra = {"extra": values.pop("extra")} if "extra" in values else {}
    query = f"?{form_body(extra).decode()}" if extra else ""
    return client, method, url + query, form_body(values)


def send_page(client, method, url, body):
    if method == "get":
        return client.get(url)
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize(("method", "template", "fields"), PAGES, ids=[p[1] for p in PAGES])
def test_pages_refuse_unstorable_text_and_change_nothing(world, method, template, fields):
    @EXAMPLES
    @given(st.data())
    def probe(data):
        request = page_request(data.draw, world, method, template, fields, URL_BAD)
        before = snapshot()
        response = send_page(*request)
        # Refused as unstorable, or (a body over the upload limit) as too large.
        assert response.status_code == 400, (request[2], response.status_code)
        assert snapshot() == before

    probe()


@pytest.mark.parametrize(("method", "template", "fields"), PAGES, ids=[p[1] for p in PAGES])
def test_pages_never_fail_on_hostile_text(world, method, template, fields):
    @EXAMPLES
    @given(st.data())
    def probe(data):
        request = page_request(data.draw, world, method, template, fields, None)
        response = send_page(*request)
        assert response.status_code < 500, (request[2], response.status_code)

    probe()


# The API's OpenAPI document, generated once: generating it took ~40 ms, for each $ref of each
# example (a third of this module's time).
OPENAPI = api.get_openapi_schema()


def resolve(schema: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        return OPENAPI["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def value_for(draw, schema: dict) -> object:
    """A JSON value shaped like `schema`, its strings hostile."""
    schema = resolve(schema)
    if "anyOf" in schema:
        return value_for(draw, draw(st.sampled_from(schema["anyOf"])))
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        names = [n for n in properties if n in schema.get("required", []) or draw(st.booleans())]
        return {name: value_for(draw, properties[name]) for name in names}
    if kind == "array":
        return [value_for(draw, schema.get("items", {})) for _ in range(draw(st.integers(0, 3)))]
    if kind == "integer":
        return draw(st.integers(-(2**70), 2**70))
    if kind == "number":
        return draw(st.floats(allow_nan=False))
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "null":
        return None
    return draw(HOSTILE)


def string_paths(value: object, path: tuple = ()) -> list[tuple]:
    """Where the strings are in a JSON value (dict keys and list indexes)."""
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in string_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in string_paths(v, (*path, i))]
    return []


def poison_json(draw, body: object) -> object:
    spots = string_paths(body)
    if not spots or not isinstance(body, dict | list) or draw(st.booleans()):
        return {"body": body, "extra": draw(JSON_BAD)}
    *parents, last = draw(st.sampled_from(spots))
    holder = body
    for step in parents:
        holder = holder[step]
    holder[last] = poisoned(draw, holder[last], JSON_BAD)
    return body


def operations() -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, item in OPENAPI["paths"].items()
        for method, operation in item.items()
    ]


def api_request(draw, world, path: str, operation: dict, poison: bool):
    """(url, body bytes) for one operation: real ids in id parameters, hostile text elsewhere;
    when `poison`, one string (URL, query or JSON) holds a refused character."""
    parameters = operation.get("parameters", [])
    query = {
        p["name"]: value_for(draw, p.get("schema", {}))
        for p in parameters
        if p["in"] == "query" and draw(st.booleans())
    }
    query = {k: v for k, v in query.items() if v is not None}
    known = {"slug": world["slug"], "user_id": world["member"], "secret_id": world["secret"]}
    path_values = {
        p["name"]: known.get(p["name"]) or draw(HOSTILE) for p in parameters if p["in"] == "path"
    }
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body = value_for(draw, content["schema"]) if content else None
    where = draw(st.sampled_from(["query", "path", "body"])) if poison else None
    if where == "path" and path_values:
        name = draw(st.sampled_from(sorted(path_values)))
        path_values[name] = poisoned(draw, path_values[name], URL_BAD)
    elif where == "body" and content:
        body = poison_json(draw, body)
    elif poison:
        name = draw(st.sampled_from([*[p for p in query if isinstance(query[p], str)], "extra"]))
        query[name] = poisoned(draw, str(query.get(name, "")), URL_BAD)
    url = re.sub(r"\{(\w+)\}", lambda m: url_quote(path_values[m.group(1)]), path)
    if query:
        url += "?" + urlencode(query, doseq=True, errors="surrogatepass")
    raw = json.dumps(body).encode() if content else None
    return url, raw


def send_api(world, method: str, url: str, raw: bytes | None):
    client = Client(headers={"X-API-Key": world["key"]})
    if raw is None:
        return client.generic(method, url)
    return client.generic(method, url, data=raw, content_type="application/json")


OPERATIONS = operations()
OPERATION_IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=OPERATION_IDS)
def test_api_refuses_unstorable_text_and_changes_nothing(world, method, path, operation):
    @EXAMPLES
    @given(st.data())
    def probe(data):
        url, raw = api_request(data.draw, world, path, operation, poison=True)
        before = snapshot()
        response = send_api(world, method, url, raw)
        # Refused as unstorable, or (a body over the upload limit) as too large.
        too_big = raw is not None and len(raw) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if response.status_code == 413 and too_big:
            assert_envelope(response, 413)
        else:
            assert "can't be stored" in assert_envelope(response, 400)["detail"]
        assert snapshot() == before

    probe()


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=OPERATION_IDS)
def test_api_never_fails_on_hostile_input(world, method, path, operation):
    @EXAMPLES
    @given(st.data())
    def probe(data):
        url, raw = api_request(data.draw, world, path, operation, poison=False)
        response = send_api(world, method, url, raw)
        assert response.status_code < 500, (method, url, response.content[:300])
        assert response["Content-Type"].startswith("application/json")

    probe()
