"""`make bench`'s throughput mode: requests per second under gunicorn, next to a bare view and
LiteLLM's own model list, in two traffic shapes (bench/people.py): "warm", one person asking
for one URL again and again, and "realistic", every request a person, key or query at random.

The app runs as in production (DEBUG=0, PostgreSQL, Redis, gunicorn with 2 sync workers) on
the database `run.py` filled; with `.venv-gateway` (`make gateway-venv`), a real LiteLLM proxy
(2 workers, gateway/litellm_auth.py asking that app about member keys) serves its
`GET /v1/models`, with the master key (warm) or the members' keys (realistic). wrk drives each
endpoint with 2 threads × 8 connections for 10 s through bench/people.lua. Every endpoint is
first fetched once and checked (status 200 and what the body must hold), so a redirect to the
login page or an error page is never counted as throughput. In the realistic shape each row's
traffic first runs 5 s unmeasured (`WARM_UP`), as a server in use has served it before: the
measured 10 s then see the cache as the population's traffic keeps it, not an empty one.

A 2-core machine's speed drifts by a quarter from one minute to the next, so one pass over the
rows can compare a row measured in a fast minute with a reference measured in a slow one. Each
shape therefore runs `ROUNDS` passes over its rows; a row's ratio (to LiteLLM or to the bare
view) is taken within each pass and the table gives the median of the passes' ratios, beside
the median req/s.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

import people

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
WRK = ["-t2", "-c8", "-d10s", "--latency"]
WARM_UP = "5s"  # the realistic shape's traffic, unmeasured, before each measured run
ROUNDS = 3  # passes over each shape's rows; the table gives the median of each row's passes
SECRET_KEY = "bench-" + "x" * 50
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
LITELLM = ROOT / ".venv-gateway" / "bin" / "litellm"
MASTER_KEY = "sk-bench-gateway-master"
SHAPES = ("warm", "realistic")
LITELLM_ROW, BARE_ROW = "LiteLLM proxy GET /v1/models", "bare view /healthz"
GOALS = {  # issue 20, on the realistic shape
    "GET /api/v1/user/preferences": "≥ 1.00× (warm ≥ 2.00×)",
    "GET /api/v1/inference": "≥ 1.00× (warm ≥ 2.00×)",
    "Chat Models page": "≥ 1/8",
    "search fragment": "≥ 1/8",
    "members page (5,000 members)": "≥ 1/15",
}


@dataclass
class Crowd:
    """Many people, through bench/people.lua: each request carries a line of `people` (an API
    key, a session cookie) in `header` after `prefix`, and goes to a line of `paths` if
    given; picked at random, or people `in_turn`."""

    header: str = ""
    people: Path | None = None
    prefix: str = ""
    paths: Path | None = None
    in_turn: bool = False


@dataclass
class Endpoint:
    name: str
    url: str
    headers: dict[str, str]
    must_contain: str
    crowd: Crowd | None = None


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    requests: int


def production_env(db_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like app server on the bench database."""
    return os.environ | {
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "SECRETS_ENCRYPTION_KEYS": "pQ4fuhOxxvqj5XpIRBX7tm4h4nxAu1dyjr5W3aULQ9s=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "settings_app.settings",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(args: list[str], url: str, ready: str, **popen) -> Iterator[str]:
    """A server started with `args`, once `url` + `ready` answers 200: `url`."""
    import requests

    server = subprocess.Popen(args, start_new_session=True, **popen)
    deadline = time.monotonic() + 180  # LiteLLM takes a minute on a busy machine
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"{Path(args[0]).name} exited")
            try:
                if requests.get(url + ready, timeout=1).status_code == 200:
                    break
            except requests.RequestException:  # still booting
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{Path(args[0]).name} did not answer on {url}")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[str]:
    """gunicorn serving the app with `env` on a free port, up and answering: its base URL."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    args = [str(Path(sys.executable).parent / "gunicorn"), "settings_app.wsgi"]
    args += ["-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"]
    with serving(args, f"http://127.0.0.1:{port}", "/healthz", cwd=ROOT, env=env) as base:
        yield base


@contextmanager
def proxy(app_url: str, home: Path) -> Iterator[str]:
    """A LiteLLM proxy with 2 workers and litellm_auth.py in front of `app_url`: its URL."""
    from catalog.models import PlatformModel
    from gateway.config import config_yaml

    aliases = list(PlatformModel.objects.filter(is_active=True).values_list("model_id", flat=True))
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.yaml").write_text(config_yaml(aliases))
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHONPATH": str(ROOT / "gateway"),
        "CHAT_MODELS_URL": app_url,
        "LITELLM_MASTER_KEY": MASTER_KEY,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_TELEMETRY": "False",
        "LITELLM_LOG": "ERROR",
    }
    args = [str(LITELLM), "--config", str(home / "config.yaml"), "--num_workers", "2"]
    args += ["--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with (
        (home / "proxy.log").open("wb") as log,
        serving(
            args, url, "/health/liveliness", cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT
        ) as url,
    ):
        yield url


def _check(endpoint: Endpoint) -> None:
    """The first person's request to the first path: status 200 with what it must hold."""
    import requests

    url, headers, crowd = endpoint.url, dict(endpoint.headers), endpoint.crowd
    if crowd and crowd.people:
        headers[crowd.header] = crowd.prefix + crowd.people.read_text().split("\n")[0]
    if crowd and crowd.paths:
        url = "/".join(url.split("/")[:3]) + crowd.paths.read_text().split("\n")[0]
    response = requests.get(url, headers=headers, allow_redirects=False)
    if response.status_code != 200 or endpoint.must_contain not in response.text:
        raise SystemExit(
            f"{endpoint.name}: {url} answered {response.status_code} without "
            f"{endpoint.must_contain!r}; not measuring it"
        )


def _parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(endpoint: Endpoint, warm_up: bool = False) -> Result:
    _check(endpoint)
    headers = [arg for k, v in endpoint.headers.items() for arg in ("-H", f"{k}: {v}")]
    script, env = [], None
    if crowd := endpoint.crowd:
        script = ["-s", str(ROOT / "bench" / "people.lua")]
        given = {
            "PEOPLE_FILE": crowd.people,
            "PEOPLE_HEADER": crowd.header,
            "PEOPLE_PREFIX": crowd.prefix,
            "PATHS_FILE": crowd.paths,
            "PICK": "in_turn" if crowd.in_turn else "random",
        }
        env = os.environ | {name: str(value) for name, value in given.items() if value}
    if warm_up:
        args = [*WRK, f"-d{WARM_UP}", *script, *headers, endpoint.url]  # the last -d wins
        subprocess.run(["wrk", *args], capture_output=True, check=True, env=env)
    out = subprocess.run(
        ["wrk", *WRK, *script, *headers, endpoint.url],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*timeout (\d+)", out)
    if bad or (errors and int(errors.group(1))):
        raise SystemExit(f"{endpoint.name}: wrk saw failed responses\n{out}")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)$", out, re.M)
    total = re.search(r"(\d+) requests in", out)
    if not (rps and p50 and total):
        raise SystemExit(f"{endpoint.name}: wrk's output is not as expected\n{out}")
    return Result(endpoint.name, float(rps[1]), _parse_duration_ms(p50[1]), int(total[1]))


def endpoints(base: str, proxy_url: str | None, files: people.Files) -> list[Endpoint]:
    """The rows of one traffic shape: the same URLs, asked by the people in `files`."""
    keys = Crowd("X-API-Key", files.api_keys)
    signed_in = Crowd("Cookie", files.sessions)
    htmx = {"HX-Request": "true", "HX-Target": "results"}
    rows = [
        Endpoint(BARE_ROW, base + "/healthz", {}, "ok", Crowd()),
        Endpoint(
            "GET /api/v1/user/preferences",
            base + "/api/v1/user/preferences",
            {},
            '"enabled_model_ids"',
            keys,
        ),
        Endpoint("GET /api/v1/inference", base + "/api/v1/inference", {}, '"models"', keys),
        Endpoint("Chat Models page", base + "/settings/chat-models/", {}, "Your models", signed_in),
        Endpoint(
            "search fragment",
            base + "/settings/chat-models/",
            htmx,
            'id="results"',
            replace(signed_in, paths=files.searches),
        ),
        Endpoint(
            "members page (5,000 members)",
            base + "/orgs/bench/members/",
            {},
            "member",
            Crowd("Cookie", files.owners, paths=files.member_pages),
        ),
    ]
    if proxy_url:
        models = Crowd("Authorization", files.proxy_keys, "Bearer ")
        rows.insert(0, Endpoint(LITELLM_ROW, proxy_url + "/v1/models", {}, '"data"', models))
    return rows


def measure(db_url: str, shapes: tuple[str, ...] = SHAPES, rounds: int = ROUNDS) -> dict:
    """Serve with gunicorn (and the proxy), drive every row of each shape with wrk, `rounds`
    passes over the rows: for each shape, a list of passes, each a list of results."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian) or brew install wrk")
    prepare = {
        "warm": lambda: people.warm(SECRET_KEY, MASTER_KEY),
        "realistic": lambda: people.realistic(SECRET_KEY),
    }
    files = {shape: prepare[shape]() for shape in shapes}
    import redis

    # Every run starts from an empty cache, as after a deploy, so that runs compare: the
    # first request of each person and key in a run finds nothing kept for them.
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = production_env(db_url, REDIS_URL=REDIS_URL)
    results: dict = {}
    with gunicorn(env, WORKERS) as base, _proxy_if_installed(base) as url:
        for shape, shape_files in files.items():
            results[shape] = []
            for round in range(1, rounds + 1):
                passed = []
                for endpoint in endpoints(base, url, shape_files):
                    print(f"  wrk, {shape} {round}/{rounds}: {endpoint.name} ...", flush=True)
                    # Every pass: the realistic shape's entries expire (caching.TTL) between
                    # one pass over a row and the next.
                    warm_up = shape == "realistic"
                    passed.append(run_wrk(endpoint, warm_up).__dict__)
                results[shape].append(passed)
    return results


def _proxy_if_installed(app_url: str) -> AbstractContextManager[str | None]:
    if LITELLM.exists():
        return proxy(app_url, ROOT / "artifacts" / "proxy")
    print("  no .venv-gateway (make gateway-venv): the LiteLLM rows are left out")
    return nullcontext()


def ratios(results: list[dict]) -> dict[str, float]:
    """One pass's ratios: each API's req/s over LiteLLM's, each page's over the bare view's."""
    rps = {r["name"]: r["rps"] for r in results}
    shown = {}
    for name, value in rps.items():
        reference = LITELLM_ROW if name.startswith("GET /api") else BARE_ROW
        if name not in (LITELLM_ROW, BARE_ROW) and rps.get(reference):
            shown[name] = value / rps[reference]
    return shown


def report(data: dict) -> None:
    """One table: each shape's median req/s, and the median of its passes' ratios (APIs
    against LiteLLM, pages against the bare view), then every pass's ratios."""
    shapes = [shape for shape in SHAPES if shape in data]
    names = [r["name"] for r in data[shapes[0]][0]]
    rps = {
        s: {
            n: statistics.median(r["rps"] for p in data[s] for r in p if r["name"] == n)
            for n in names
        }
        for s in shapes
    }
    passes = {s: [ratios(p) for p in data[s]] for s in shapes}
    median = {
        s: {n: statistics.median(p[n] for p in passes[s]) for n in passes[s][0]} for s in shapes
    }

    def shown(name: str, ratio: float | None) -> str:
        if ratio is None:
            return ""
        return (
            f"{ratio:.2f}× LiteLLM" if name.startswith("GET /api") else f"1/{1 / ratio:.1f} of bare"
        )

    rounds = len(data[shapes[0]])
    print(f"\nThroughput: gunicorn {WORKERS} workers, LiteLLM 2 workers, wrk {' '.join(WRK[:3])}")
    print(
        f"warm: one person, one URL; realistic: {people.KEYS:,} API keys, {people.SIGNED_IN} "
        f"people and {people.OWNERS} owners signed in, a few hundred searches, at random; "
        f"the median of {rounds} passes"
    )
    header = [
        "endpoint",
        *(f"{s} req/s" for s in shapes),
        *(f"{s} ratio" for s in shapes),
        "goal (realistic)",
    ]
    rows = [
        [
            name,
            *(f"{rps[s][name]:,.0f}" for s in shapes),
            *(shown(name, median[s].get(name)) for s in shapes),
            GOALS.get(name, ""),
        ]
        for name in names
    ]
    _table(header, rows)
    print("\nEach pass's ratios:")
    header = ["endpoint", *(f"{s} {i}" for s in shapes for i in range(1, len(data[s]) + 1))]
    rows = [
        [name, *(shown(name, p[name]) for s in shapes for p in passes[s])]
        for name in passes[shapes[0]][0]
    ]
    _table(header, rows)


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [
            c.rjust(w) if c[:1].isdigit() else c.ljust(w) for c, w in zip(row, widths, strict=True)
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":  # pragma: no cover - `run.py --only throughput` is the entry point
    print(json.dumps(measure(os.environ["BENCH_DATABASE_URL"]), indent=2))
