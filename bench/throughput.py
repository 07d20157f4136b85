"""`make bench`'s throughput mode: requests per second under gunicorn, next to a bare view and
LiteLLM's own model list.

The app runs as in production (DEBUG=0, PostgreSQL, Redis, gunicorn with 2 sync workers) on
the database `run.py` filled; wrk drives each endpoint with 2 threads × 8 connections for 10 s.
Every endpoint is first fetched once and checked (status 200 and what the body must hold), so
a redirect to the login page or an error page is never counted as throughput.

With BENCH_LITELLM_URL (and BENCH_LITELLM_KEY, the proxy's master key) the proxy's
`GET /v1/models` is measured in the same run, and the app takes its platform models from that
proxy, as a real deployment does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
WRK = ["-t2", "-c8", "-d10s", "--latency"]
MEMBER_EMAIL = "bench-member@example.com"
OWNER_EMAIL = "bench-owner@example.com"
PASSWORD = "bench-password"
BYOK_MODEL = "anthropic/claude-opus-4-5"


@dataclass
class Endpoint:
    name: str
    url: str
    headers: dict[str, str]
    must_contain: str
    # Each request with the next of many keys: (header, file of keys, prefix), through
    # bench/rotate_keys.lua.
    rotate: tuple[str, Path] | tuple[str, Path, str] | None = None


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    requests: int


def prepare_people() -> str:
    """The member the API and Chat Models rows use (one BYOK model with its key saved, every
    platform model) and a fresh API key for them. Returns the raw key."""
    from accounts import services
    from accounts.models import ApiKey, User
    from orgs.models import Membership, Organization, Role

    org = Organization.objects.get(slug="bench")
    member = User.objects.filter(email=MEMBER_EMAIL).first()
    if member is None:
        member = User.objects.create_user(MEMBER_EMAIL, PASSWORD)
    Membership.objects.update_or_create(
        org=org, user=member, defaults={"role": Role.CONTRIBUTOR, "allowed_model_ids": None}
    )
    services.set_models(user=member, model_ids=[BYOK_MODEL], membership=None)
    services.save_secret(user=member, name="ANTHROPIC_API_KEY", value="sk-ant-bench-0000000000")
    ApiKey.objects.filter(user=member).delete()
    _, raw = ApiKey.issue(user=member, name="bench")
    return raw


def production_env(db_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like app server on the bench database."""
    return os.environ | {
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "SECRETS_ENCRYPTION_KEYS": "pQ4fuhOxxvqj5XpIRBX7tm4h4nxAu1dyjr5W3aULQ9s=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "settings_app.settings",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[str]:
    """gunicorn serving the app with `env` on a free port, up and answering: its base URL."""
    import requests

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "settings_app.wsgi"]
        + ["-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except (requests.ConnectionError, requests.Timeout):  # still booting
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not answer on {base}")
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def session_cookie(base: str, email: str) -> str:
    import requests

    session = requests.Session()
    login = session.get(base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    assert token, "no CSRF token on the login page"
    response = session.post(
        base + "/accounts/login/",
        headers={"Referer": base + "/accounts/login/"},
        data={"csrfmiddlewaretoken": token.group(1), "username": email, "password": PASSWORD},
        allow_redirects=False,
    )
    assert response.status_code == 302, f"login as {email} failed: {response.status_code}"
    return f"sessionid={session.cookies['sessionid']}"


def _check(endpoint: Endpoint) -> None:
    import requests

    headers = dict(endpoint.headers)
    if endpoint.rotate:
        header, keys, prefix = (*endpoint.rotate, "")[:3]
        headers[header] = prefix + keys.read_text().split()[0]
    response = requests.get(endpoint.url, headers=headers, allow_redirects=False)
    if response.status_code != 200 or endpoint.must_contain not in response.text:
        raise SystemExit(
            f"{endpoint.name}: {endpoint.url} answered {response.status_code} without "
            f"{endpoint.must_contain!r}; not measuring it"
        )


def _parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(endpoint: Endpoint) -> Result:
    _check(endpoint)
    headers = [arg for k, v in endpoint.headers.items() for arg in ("-H", f"{k}: {v}")]
    script, env = [], None
    if endpoint.rotate:
        header, keys, prefix = (*endpoint.rotate, "")[:3]
        script = ["-s", str(ROOT / "bench" / "rotate_keys.lua")]
        path = "/" + endpoint.url.split("/", 3)[3]
        env = os.environ | {
            "KEYS_FILE": str(keys),
            "KEY_HEADER": header,
            "KEY_PREFIX": prefix,
            "WRK_PATH": path,
        }
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
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _parse_duration_ms(re.search(r"^\s+50%\s+(\S+)$", out, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Result(endpoint.name, rps, p50, total)


def measure(db_url: str) -> dict:
    """Serve with gunicorn, drive every endpoint with wrk, return the results and ratios."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian) or brew install wrk")
    litellm_url = os.environ.get("BENCH_LITELLM_URL", "").rstrip("/")
    litellm_key = os.environ.get("BENCH_LITELLM_KEY", "")
    api_key = prepare_people()
    env = production_env(
        db_url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        LITELLM_PROXY_URL=litellm_url,
        LITELLM_API_KEY=litellm_key,
    )
    with gunicorn(env, WORKERS) as base:
        member = {"Cookie": session_cookie(base, MEMBER_EMAIL)}
        owner = {"Cookie": session_cookie(base, OWNER_EMAIL)}
        key = {"X-API-Key": api_key}
        htmx = {"HX-Request": "true", "HX-Target": "results"}
        endpoints = [
            Endpoint("bare view /healthz", base + "/healthz", {}, "ok"),
            Endpoint(
                "GET /api/v1/user/preferences",
                base + "/api/v1/user/preferences",
                key,
                BYOK_MODEL,
            ),
            Endpoint("GET /api/v1/inference", base + "/api/v1/inference", key, '"models"'),
            Endpoint("Chat Models page", base + "/settings/chat-models/", member, "Your models"),
            Endpoint(
                "search fragment ?q=opus+4.5",
                base + "/settings/chat-models/?q=opus+4.5",
                member | htmx,
                "claude-opus-4-5",
            ),
            Endpoint(
                "members page (5,000 members)", base + "/orgs/bench/members/", owner, "member"
            ),
        ]
        if litellm_url:
            endpoints.append(
                Endpoint(
                    "LiteLLM proxy GET /v1/models",
                    litellm_url + "/v1/models",
                    {"Authorization": f"Bearer {litellm_key}"},
                    '"data"',
                )
            )
        results = []
        for endpoint in endpoints:
            print(f"  wrk: {endpoint.name} ...", flush=True)
            results.append(run_wrk(endpoint))
    return {"results": [r.__dict__ for r in results], "litellm": bool(litellm_url)}


def report(data: dict) -> None:
    results = {r["name"]: r for r in data["results"]}
    bare = results["bare view /healthz"]["rps"]
    litellm = results.get("LiteLLM proxy GET /v1/models", {}).get("rps")
    print(f"\nThroughput: gunicorn {WORKERS} workers, wrk {' '.join(WRK[:3])}")
    columns = ["endpoint", "req/s", "p50 ms", "× bare view"] + (["× LiteLLM"] if litellm else [])
    widths = [33, 7, 7, 11, 9]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=False)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths[: len(columns)]) + "|")
    for r in data["results"]:
        cells = [
            r["name"].ljust(33),
            f"{r['rps']:>7,.0f}",
            f"{r['p50_ms']:>7.1f}",
            f"{r['rps'] / bare:>11.3f}",
        ]
        if litellm:
            cells.append(f"{r['rps'] / litellm:>9.2f}")
        print("| " + " | ".join(cells) + " |")
    print("Goals: APIs ≥ 1.00× LiteLLM /v1/models; pages ≥ 0.100× the bare view.")


if __name__ == "__main__":  # pragma: no cover - `run.py --only throughput` is the entry point
    print(json.dumps(measure(os.environ["BENCH_DATABASE_URL"]), indent=2))
