"""Helpers that tests import: the real catalog data, a large org, threads, a JSON API client,
and a person seen through the Chat Models page and the API."""

from __future__ import annotations

import functools
import itertools
import json
import re
import tempfile
import threading
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from accounts.models import ApiKey, User
from catalog import caching
from orgs.models import Membership, Organization, Role


@functools.cache
def snapshot_records() -> dict:
    from catalog.costmap import parse_cost_map
    from catalog.sync import SNAPSHOT, read_file

    return parse_cost_map(read_file(SNAPSHOT))


def assert_not_retired(*model_ids: str) -> None:
    """The snapshot's `model_ids` are not retired on the suite's fixed day: a test that expects
    a model to rank and show as a live one says so first, so a newer snapshot that retires it
    fails here, by name, rather than somewhere in what the test checks."""
    from catalog.models import Lifecycle, lifecycle

    records = snapshot_records()
    for model_id in model_ids:
        when = records[model_id].get("deprecation_date")
        assert lifecycle(when) != Lifecycle.RETIRED, (
            f"{model_id} retired on {when}: pick a model that is live on the suite's day"
        )


def load_catalog() -> None:
    """The snapshot's rows, through the real sync the first time in a process; after that, into
    an empty catalog, the rows that sync wrote copied back in by one INSERT per table (a sync
    of the whole snapshot took 1.5 s, in the setup of 40 test modules)."""
    from catalog.models import CatalogModel, SyncRun
    from catalog.sync import apply_records

    empty = not CatalogModel.objects.exists()
    if empty and _loaded_rows:
        with connection.cursor() as cursor:
            for table, (columns, rows) in _loaded_rows.items():
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        caching.bump(caching.CATALOG)
        return
    run, _ = apply_records(snapshot_records(), source="tests")
    if not empty:  # synced over rows a test changed: not the snapshot alone, so not kept
        return
    for rows in [CatalogModel.objects.all(), SyncRun.objects.filter(pk=run.pk)]:
        fields = rows.model._meta.concrete_fields
        values = rows.values_list(*[field.attname for field in fields])
        _loaded_rows[rows.model._meta.db_table] = (
            [field.column for field in fields],
            [
                tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
                for row in values
            ],
        )


def empty_catalog() -> None:
    """The catalog and its sync runs gone, in one statement each (not row by row)."""
    from catalog.models import CatalogModel, SyncRun

    with connection.cursor() as cursor:
        for model in (CatalogModel, SyncRun):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    caching.bump(caching.CATALOG)


_loaded_rows: dict[str, tuple[list[str], list[tuple]]] = {}


def listable_ids(count: int) -> list[str]:
    """`count` ids of the loaded catalog that a BYOK list accepts, in catalog order."""
    from catalog.models import CatalogModel
    from catalog.validation import model_id_error

    ids = CatalogModel.objects.filter(is_active=True).values_list("model_id", flat=True)
    return list(itertools.islice((m for m in ids if model_id_error(m) is None), count))


SHARED_COST_MAP = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / ("litellm_model_prices.json")
)


@functools.cache
def real_cost_map() -> Path:
    """LiteLLM's real cost map: ../shared/data when present (CI), else the shipped snapshot
    derived from it (its chat/responses entries), so a clone on its own still tests."""
    if SHARED_COST_MAP.exists():
        return SHARED_COST_MAP
    from catalog.sync import SNAPSHOT, read_file

    path = Path(tempfile.mkdtemp()) / "litellm_model_prices.json"
    path.write_bytes(read_file(SNAPSHOT))
    return path


def copy_row(obj: Model, count: int, **columns: str) -> None:
    """`count` copies of `obj`'s row made by PostgreSQL itself (generate_series, n = 1..count),
    `columns` set to SQL expressions of n, then fresh planner statistics: a table as large as
    an EXPLAIN test needs in a second, where bulk_create spends many preparing each field."""
    meta = obj._meta
    names = [f.column for f in meta.concrete_fields if f.column in columns or not f.primary_key]
    values = ", ".join(columns.get(name, connection.ops.quote_name(name)) for name in names)
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {meta.db_table} ({quoted}) SELECT {values} "
            f"FROM {meta.db_table}, generate_series(1, %s) AS n WHERE {meta.pk.column} = %s",
            [count, obj.pk],
        )
        cursor.execute(f"ANALYZE {meta.db_table}")


def add_members(
    org: Organization, count: int, *, first: int = 0, domain: str = "example.com"
) -> None:
    """`count` contributors `member<n>@<domain>`, n from `first`, every third limited to one
    platform model: a large org for query counts here and for `make bench`."""
    users = User.objects.bulk_create(
        User(email=f"member{n:05}@{domain}", name=f"Member {n}")
        for n in range(first, first + count)
    )
    Membership.objects.bulk_create(
        Membership(
            org=org,
            user=u,
            role=Role.CONTRIBUTOR,
            allowed_model_ids=None if i % 3 else ["dn/gpt-5.2"],
        )
        for i, u in enumerate(users)
    )


def run_together(*actions: Callable[[], object]) -> list[BaseException]:
    """Start every action behind one barrier; return the exceptions they raised."""
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def worker(action):
        try:
            barrier.wait()
            action()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


class ApiClient:
    """A JSON client authenticated with a personal API key (X-API-Key)."""

    def __init__(self, user=None, key: str | None = None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            key = ApiKey.issue(user=user, name="tests")[1]
        if key is not None:
            self.headers["X-API-Key"] = key

    def call(self, method: str, path: str, body=None, raw: bytes | None = None, **params):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"headers": self.headers}
        if method == "get":
            return self.client.get("/api/v1" + path, params, **kwargs)
        url = (
            "/api/v1"
            + path
            + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        )
        return getattr(self.client, method)(
            url, data=data, content_type="application/json", **kwargs
        )

    def get(self, path, **params):
        return self.call("get", path, **params)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.call("put", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("patch", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("delete", path, **kw)


def assert_envelope(response, code: int) -> dict:
    assert response.status_code == code, response.content
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    assert body["code"] == code and isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


class Person:
    """Someone seen through every surface of the Chat Models settings: the page and its htmx
    search fragment with their session, the JSON API with their personal key."""

    PAGE = "/settings/chat-models/"

    def __init__(self, user: User):
        self.user = user
        self.api = ApiClient(user)
        self.web = Client()
        self.web.force_login(user)

    @property
    def membership(self) -> Membership | None:
        return Membership.objects.filter(user=self.user).first()

    def page(self, **params: str) -> str:
        response = self.web.get(self.PAGE, params)
        assert response.status_code == 200, response
        return response.content.decode()

    def fragment(self, q: str) -> str:
        """The search results as htmx asks for them when the query changes."""
        response = self.web.get(
            self.PAGE, {"q": q}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
        )
        assert response.status_code == 200, response
        return response.content.decode()

    def get(self, path: str, **params: str):
        response = self.api.get(path, **params)
        assert response.status_code == 200, response.content
        return response.json()


# How a page shows a model id (catalog_tags.wrap_id): in parts that each stay on one line,
# with a line-break opportunity between them.
_WRAPPED_ID = re.compile(r'<span class="id-whole">([^<]*)</span>|<wbr>')


def unwrap_ids(html: str) -> str:
    """The html with each model id as plain text, without the spans and <wbr>s that keep its
    parts whole (`dn/claude-opus-4-6`, not `dn/claude-opus-4-` / `6`)."""
    return _WRAPPED_ID.sub(lambda m: m.group(1) or "", html)


# The Chat Models page read back: each table row's model id is in its `model-id` cell.
_MODEL = re.compile(
    r'<div class="model-name"[^>]*>([^<]*).*?<div class="model-id">(.*?)</div>', re.S
)
_KEY_BADGE = re.compile(r'class="key-need">.*?<span class="badge[^"]*">([^<]+)</span>', re.S)


def _model(row: str) -> tuple[str, str]:
    """(model id, name) of a table row."""
    name, cell = _MODEL.search(row).groups()
    return unescape(unwrap_ids(cell)), unescape(name).strip()


def _rows(html: str, row_id: str) -> list[str]:
    return re.findall(rf'<tr id="{row_id}-[^"]+"[^>]*>(.*?)</tr>', html, re.S)


def byok_rows(html: str) -> dict[str, tuple[str, str]]:
    """The BYOK list ("Your models") in order: model id -> (name, its API key badge: "Ready",
    "Not in Secrets"...)."""
    return {
        (found := _model(row))[0]: (found[1], _KEY_BADGE.search(row)[1])
        for row in _rows(html, "byok-row")
    }


def platform_rows(html: str) -> list[tuple[str, str]]:
    """The platform models listed for the person: (model id, name)."""
    return [_model(row) for row in _rows(html, "pm")]


def locked_rows(html: str) -> list[str]:
    """The platform models shown as not available to the person."""
    return [_model(row)[0] for row in _rows(html, "locked")]


def search_results(html: str) -> dict[str, tuple[str, bool]]:
    """The search results (of the page, or the whole fragment): model id -> (name, Added)."""
    part = html.partition('<div id="results">')[2]
    assert part, "no search results"
    rows = re.findall(r'<tbody id="result-rows">(.*?)</tbody>', part, re.S)[0].split("<tr>")[1:]
    return {
        (found := _model(row))[0]: (found[1], '<span class="badge badge-ok">Added</span>' in row)
        for row in rows
    }


def added(html: str) -> set[str]:
    """The search results marked Added."""
    return {model_id for model_id, (_, yes) in search_results(html).items() if yes}


def backends(changes: dict[str, Any], *, redis: list[str]) -> pytest.MarkDecorator:
    """Every change on local memory (the test cache) and without a shared cache (production
    without Redis: nothing kept between requests), the named ones on Redis as well."""
    assert set(redis) <= set(changes)
    params = [pytest.param("locmem", name, id=name) for name in changes]
    params += [pytest.param("unshared", name, id=f"unshared: {name}") for name in changes]
    params += [pytest.param("redis", name, id=f"redis: {name}") for name in redis]
    return pytest.mark.parametrize(("cache_backend", "change"), params, indirect=["cache_backend"])


# Changes whose names say they bypass the ORM's signals (QuerySet.update, bulk_create,
# bulk_update; a BYOK row's delete, which only the services bump: accounts/signals.py), which
# nothing bumps: the cache forgets what it kept within caching.TTL.
BYPASSING = ("update(", "bulk_", "queryset update", "(no signal)")


def outlast_the_cache(change: str, time_machine: Any, ttl: int = caching.TTL) -> None:
    """Move the clock past `ttl` if `change` bypasses the ORM's signals; every other change
    shows on the very next request."""
    if any(word in change for word in BYPASSING):
        time_machine.move_to(timezone.now() + timedelta(seconds=ttl + 1), tick=True)


def suggestion_queries(user: User) -> int:
    """The queries a first read of `user`'s BYOK list spends on suggested replacements: one
    for every retiring or retired model's successor, and one more when the list holds such a
    successor already (the next one is read for this list)."""
    from catalog.models import CatalogModel
    from catalog.replacements import replacements

    listed = list(user.enabled_models.values_list("model_id", flat=True))
    ending = [r.model_id for r in CatalogModel.objects.filter(model_id__in=listed) if r.lifecycle()]
    if not ending:
        return 0
    return 1 + any(successor in listed for successor in replacements(ending).values())
