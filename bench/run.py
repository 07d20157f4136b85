"""`make bench`: search and members-page latency on PostgreSQL at realistic scale.

Fills a PostgreSQL database (BENCH_DATABASE_URL, default chatmodels_bench on 127.0.0.1) with
the real catalog plus synthetic rows up to 100,000 and an org of 5,000 members; then measures
catalog search in the database (the search service) and end to end through the search
fragment's URL on gunicorn, next to a bare Django view, and the members page and editor, and
the members × models matrix (50 platform models), each with its query count; and the same
at the groups scale (bench/groups_scale.py: 20,000 members, 500 groups) with the API's and
the gateway's effective-access reads and SCIM list pages. Prints a table and writes JSON
(default artifacts/bench.json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import gateway_access  # bench/ is on the path when run as a script
import groups_scale
import people
import throughput

if TYPE_CHECKING:
    from accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/chatmodels_bench"
QUERIES = [
    "gp",
    "o3",
    "opus",
    "gpt-4o",
    "claude",
    "llama 3",
    "opus 4.5",
    "gemini 2.5 pro",
    "sonnet",
    "mistral large",
    "deepseek chat",
    "qwen coder",
    "gpt 4o mini",
    "claude opus 4.5",
    "provider:anthropic sonnet",
    "cap:vision gemini",
    "llama 70b instruct",
    "nova pro",
    "grok 4",
    "command r plus",
    "anthropic/claude-opus-4-5",
    "phi 3 mini",
    "kimi k2",
    "ctx:>=128k price:<5 claude",
]
FAMILIES = [
    "llama",
    "qwen",
    "mistral",
    "claude",
    "gpt",
    "gemini",
    "deepseek",
    "phi",
    "gemma",
    "command",
    "grok",
    "nova",
    "jamba",
    "yi",
    "falcon",
    "olmo",
    "mixtral",
    "granite",
    "glm",
    "kimi",
]
VARIANTS = [
    "instruct",
    "chat",
    "turbo",
    "mini",
    "pro",
    "flash",
    "coder",
    "vision",
    "reasoner",
    "lite",
]
SIZES = ["7b", "8b", "13b", "32b", "70b", "405b"]
PLATFORM_MODELS = 50


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 2)

    return {
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "n": len(ordered),
        "mean": round(statistics.fmean(ordered) * 1000, 2),
    }


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def fill(rows: int, members: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from catalog.costmap import record_for
    from catalog.models import CatalogModel
    from catalog.providers import PROVIDERS
    from orgs.models import Membership, Organization, Role
    from tests.helpers import add_members

    call_command("migrate", verbosity=0)
    if not CatalogModel.objects.exists():  # a re-run keeps the filled table as it is
        call_command("sync_catalog", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", verbosity=0)
    CatalogModel.objects.filter(is_active=False).update(is_active=True)  # e.g. after a sync
    have = CatalogModel.objects.count()
    providers = sorted(PROVIDERS)
    batch, i = [], 0
    while have + i < rows:
        family, variant = FAMILIES[i % len(FAMILIES)], VARIANTS[(i // 20) % len(VARIANTS)]
        version = f"{(i // 200) % 5 + 1}.{(i // 7) % 10}"
        provider = providers[i % len(providers)]
        model_id = f"{provider}/{family}-{version}-{variant}-{SIZES[i % 6]}-ft{i:06}"
        entry = {
            "litellm_provider": provider,
            "mode": "chat",
            "max_input_tokens": [8192, 32768, 128000, 200000, 1000000][i % 5],
            "input_cost_per_token": (i % 50) / 1e7,
            "output_cost_per_token": (i % 50) / 2e6,
            "supports_vision": i % 3 == 0,
            "supports_function_calling": i % 2 == 0,
        }
        batch.append(CatalogModel(model_id=model_id, **record_for(model_id, provider, entry)))
        i += 1
        if len(batch) == 5000:
            CatalogModel.objects.bulk_create(batch)
            batch = []
            print(f"  catalog rows: {have + i}", flush=True)
    CatalogModel.objects.bulk_create(batch)
    org, _ = Organization.objects.get_or_create(slug="bench", defaults={"name": "Bench Org"})
    owner = User.objects.filter(email="bench-owner@example.com").first()
    if owner is None:
        owner = User.objects.create_user("bench-owner@example.com", "bench-password")
        Membership.objects.create(org=org, user=owner, role=Role.OWNER)
    existing = Membership.objects.filter(org=org).count()
    if existing < members:
        add_members(org, members - existing, first=existing, domain="bench.example.com")
    # People joined over the last two years, as in a real org: a row's "joined 3 weeks ago"
    # then changes daily, not every minute as it would for rows all added a minute ago.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orgs_membership SET joined_at = now() - (id % 730) * interval '1 day'"
            " WHERE joined_at > now() - interval '1 day'"
        )
    # The matrix shows one column per deployed platform model: 50, as a large platform has.
    from catalog.models import PlatformModel

    for n in range(PlatformModel.objects.filter(is_active=True).count(), PLATFORM_MODELS):
        PlatformModel.objects.update_or_create(
            model_id=f"dn/bench-model-{n:02}",
            defaults={"display_name": f"Bench Model {n}", "position": n, "is_active": True},
        )
    grouped = groups_scale.fill()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "catalog_rows": CatalogModel.objects.count(),
        "members": Membership.objects.filter(org=org).count(),
        **grouped,
    }


def measure_database(repeats: int) -> dict:
    """SQL alone (the statement the search service sends) and the whole service call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.search import parse_query, search_catalog

    per_query, sql_all, sql_long, service_all = {}, [], [], []
    for query in QUERIES:
        with CaptureQueriesContext(connection) as captured:
            search_catalog(parse_query(query))
        (statement,) = [q["sql"] for q in captured.captured_queries]
        sql_samples, service_samples = [], []
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute(statement)
                cursor.fetchall()
            for _ in range(repeats):
                started = time.perf_counter()
                cursor.execute(statement)
                cursor.fetchall()
                sql_samples.append(time.perf_counter() - started)
        for _ in range(repeats):
            started = time.perf_counter()
            search_catalog(parse_query(query))
            service_samples.append(time.perf_counter() - started)
        per_query[query] = {
            "sql": percentiles(sql_samples),
            "service": percentiles(service_samples),
        }
        sql_all += sql_samples
        service_all += service_samples
        if len(query) >= 3:
            sql_long += sql_samples
        if query == "claude opus 4.5":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + statement)
                plan = [row[0] for row in cursor.fetchall()]
    return {
        "sql_all": percentiles(sql_all),
        "sql_3plus_chars": percentiles(sql_long),
        "service_all": percentiles(service_all),
        "per_query": per_query,
        "plan_claude_opus_4_5": plan,
    }


@dataclass(frozen=True)
class Page:
    """A URL the latency mode times on gunicorn and counts the queries of in this process,
    signed in as `user` (pages) or authenticated by `headers` alone (API key, SCIM token)."""

    path: str
    user: User | None = None
    headers: dict[str, str] = field(default_factory=dict)


def pages() -> dict[str, Page]:
    """The 5,000-member org's pages, then the groups scale's (bench/groups_scale.py)."""
    from accounts.models import User

    owner = User.objects.get(email="bench-owner@example.com")
    member = User.objects.get(email="member00042@bench.example.com").pk
    groups_owner, api_key, scim_token = groups_scale.credentials()
    middle = groups_scale.MEMBERS // 2 // 50  # the Members page and the matrix show 50 a page
    slug, research = groups_scale.SLUG, groups_scale.research_id()
    key, scim = {"X-API-Key": api_key}, {"Authorization": f"Bearer {scim_token}"}
    return {
        "members_page_1": Page("/orgs/bench/members/", owner),
        "members_page_50": Page("/orgs/bench/members/?page=50", owner),
        "members_search": Page("/orgs/bench/members/?q=member0123", owner),
        "access_matrix_page_1": Page("/orgs/bench/access/", owner),
        "access_matrix_page_50": Page("/orgs/bench/access/?page=50", owner),
        "access_editor": Page(
            f"/orgs/bench/members/{member}/access/", owner, {"HX-Request": "true"}
        ),
        "chat_models_page": Page("/settings/chat-models/", owner),
        f"groups: members_page_{middle}": Page(
            f"/orgs/{slug}/members/?page={middle}", groups_owner
        ),
        f"groups: access_matrix_page_{middle}": Page(
            f"/orgs/{slug}/access/?page={middle}", groups_owner
        ),
        "groups: Research page 50 (5,000)": Page(
            f"/orgs/{slug}/groups/{research}/?page=50", groups_owner
        ),
        "groups: API user/preferences": Page("/api/v1/user/preferences", headers=key),
        "groups: API gateway/access": Page("/api/v1/gateway/access", headers=key),
        "groups: SCIM Users from 10,001": Page(
            f"/scim/v2/{slug}/Users?startIndex=10001&count=100", headers=scim
        ),
        "groups: SCIM Groups, 100": Page(f"/scim/v2/{slug}/Groups?count=100", headers=scim),
    }


def query_counts(pages: dict[str, Page]) -> dict[str, dict[str, int]]:
    """Queries each page runs in this process: with an empty cache, then again (kept)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from catalog import caching, platform

    clients: dict = {None: Client(HTTP_HOST="127.0.0.1")}
    with override_settings(AXES_ENABLED=False):  # axes logs each login
        for user in {page.user for page in pages.values() if page.user}:
            clients[user] = Client(HTTP_HOST="127.0.0.1")
            clients[user].force_login(user)
    counts = {}
    for name, page in pages.items():
        client = clients[page.user]
        cache.clear()
        caching._in_process.clear()
        platform.expire()
        runs = {}
        for run in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.path, headers=page.headers)
            assert response.status_code == 200, (page.path, response.status_code)
            runs[run] = len(captured)
        counts[name] = runs
    return counts


def measure_http(db_url: str, repeats: int, pages: dict[str, Page]) -> dict:
    import requests

    with throughput.gunicorn(throughput.production_env(db_url), workers=1) as base:
        session = requests.Session()
        signed_in = list({page.user.pk: page.user for page in pages.values() if page.user}.values())
        cookies = dict(
            zip(
                [user.pk for user in signed_in],
                people.session_cookies(signed_in, throughput.SECRET_KEY),
                strict=True,
            )
        )
        session.headers["Cookie"] = cookies[people.owners(1)[0].pk]

        def timed(path: str, n: int, **headers) -> list[float]:
            for _ in range(2):
                session.get(base + path, headers=headers)
            out = []
            for _ in range(n):
                started = time.perf_counter()
                response = session.get(base + path, headers=headers)
                out.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
            return out

        fragment = []
        for query in QUERIES:
            fragment += timed(
                "/settings/chat-models/?" + requests.compat.urlencode({"q": query}),
                repeats,
                **{"HX-Request": "true", "HX-Target": "results"},
            )
        bare = timed("/healthz", len(fragment))
        samples = {
            # Pages with their person's session; the API and SCIM with no session at all.
            name: timed(
                page.path,
                repeats * 2,
                **page.headers,
                Cookie=cookies[page.user.pk] if page.user else None,
            )
            for name, page in pages.items()
        }
    result = {"search_fragment": percentiles(fragment), "bare_view": percentiles(bare)}
    result["fragment_to_bare_p50_ratio"] = round(
        result["search_fragment"]["p50"] / max(result["bare_view"]["p50"], 0.001), 2
    )
    result |= {name: percentiles(times) for name, times in samples.items()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "bench.json"))
    parser.add_argument(
        "--only",
        choices=["latency", "throughput", "gateway"],
        help="one mode (default: latency, throughput under wrk, then the gateway)",
    )
    parser.add_argument(
        "--shape",
        choices=throughput.SHAPES,
        help="throughput in one traffic shape (default: warm, then realistic)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=throughput.ROUNDS,
        help="throughput's passes over each shape's rows; the table gives their median",
    )
    args = parser.parse_args()

    db_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    ensure_database(db_url)
    os.environ |= {
        "DATABASE_URL": db_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "settings_app.settings",
    }
    import django

    django.setup()
    started = time.monotonic()
    print(f"Filling {db_url} ...", flush=True)
    sizes = fill(args.rows, args.members)
    results: dict = {"sizes": sizes}
    if args.only in (None, "latency"):
        results |= latency(db_url, args.repeats)
    if args.only in (None, "throughput"):
        print("Measuring throughput: gunicorn in production settings, wrk ...", flush=True)
        shapes = (args.shape,) if args.shape else throughput.SHAPES
        results["throughput"] = throughput.measure(db_url, shapes, args.rounds)
    if args.only in (None, "gateway"):
        print("Measuring the gateway: the access endpoint and a LiteLLM proxy ...", flush=True)
        results["gateway"] = gateway_access.measure(db_url)
    results["seconds"] = round(time.monotonic() - started, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(
        f"\n{sizes['catalog_rows']:,} catalog rows, {sizes['members']:,} members "
        f"({results['seconds']} s)"
    )
    if "http_ms" in results:
        report_latency(results)
    if "throughput" in results:
        throughput.report(results["throughput"])
    if "gateway" in results:
        gateway_access.report(results["gateway"])
    print(f"JSON: {args.out}")


def latency(db_url: str, repeats: int) -> dict:
    print(f"Measuring search in the database ({len(QUERIES)} queries) ...", flush=True)
    database = measure_database(repeats)
    measured = pages()
    queries = query_counts(measured)
    print("Measuring latency end to end on gunicorn ...", flush=True)
    http = measure_http(db_url, repeats, measured)
    return {"queries": queries, "database_search_ms": database, "http_ms": http}


def report_latency(results: dict) -> None:
    database, http, queries = (
        results["database_search_ms"],
        results["http_ms"],
        results["queries"],
    )

    def row(name: str, p: dict, target: str = "", counted: dict | None = None) -> str:
        count = f"{counted['cold']} / {counted['warm']}" if counted else ""
        return (
            f"| {name:<40} | {p['p50']:>7} | {p['p95']:>7} | {p['p99']:>7} "
            f"| {count:>21} | {target:<9} |"
        )

    print(
        "\n| measurement (ms)                         |     p50 |     p95 |     p99 "
        "| queries (cold / warm) | target    |"
    )
    print(f"|{'-' * 42}|---------|---------|---------|{'-' * 23}|{'-' * 11}|")
    print(row("DB search SQL, all queries", database["sql_all"]))
    print(row("DB search SQL, queries of 3+ chars", database["sql_3plus_chars"], "p95 <= 10"))
    print(row("search service (SQL + ORM)", database["service_all"]))
    print(row("HTTP search fragment", http["search_fragment"]))
    print(row("HTTP bare view (/healthz)", http["bare_view"]))
    for name, counted in queries.items():
        target = "< 100" if "member" in name or "access" in name or "groups" in name else ""
        print(row(f"HTTP {name}", http[name], target, counted))
    sizes = results["sizes"]
    print(
        f"\nqueries: in this process, the first request with an empty cache, then again; "
        f"{sizes['members']:,} members, {PLATFORM_MODELS} platform models; groups: "
        f"{sizes['groups_org_members']:,} members, {sizes['groups_org_groups']} groups, "
        f"{sizes['groups_org_group_rows']:,} memberships of groups"
    )
    print(f"fragment/bare p50 ratio: {http['fragment_to_bare_p50_ratio']} (target <= 8)")
    print(
        "plan for 'claude opus 4.5':",
        " / ".join(p.strip() for p in database["plan_claude_opus_4_5"]),
    )


if __name__ == "__main__":
    main()
