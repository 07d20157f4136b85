"""`make bench`'s gateway mode: what enforcing model access at the LiteLLM gateway costs.

On the database `run.py` filled, the app runs as in throughput mode (production settings,
gunicorn with 2 workers, Redis) and 1,000 members of the bench org get an API key each, with
allowlists of every kind (`null`, `[]`, one to three aliases). Measured:

- the app's `GET /api/v1/gateway/access`, each request with the next of the 1,000 keys (wrk's
  Lua script bench/people.lua), the question the gateway asks;
- with `.venv-gateway` (`make gateway-venv`), a real LiteLLM proxy (2 workers) serving the
  bench's `dn/` aliases through gateway/litellm_auth.py, asking that app: its `GET /v1/models`
  with the master key (no question to the app: the proxy's own cost), with one member's key
  (answers kept by the module: what it adds warm) and with the 1,000 keys in turn;
- the module's own cost once an answer is kept: p50 of `user_api_key_auth` in the gateway's
  Python (bench/gateway_latency.py).

Goals: the access endpoint's req/s ≥ the proxy's `/v1/models`; the module's warm p50 ≤ 2 ms.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import people
import throughput
from throughput import LITELLM, MASTER_KEY, Crowd, Endpoint

ROOT = Path(__file__).resolve().parent.parent
GATEWAY_PYTHON = ROOT / ".venv-gateway" / "bin" / "python"


def module_p50_ms(app_url: str, key: str) -> float:
    out = subprocess.run(
        [str(GATEWAY_PYTHON), str(ROOT / "bench" / "gateway_latency.py"), app_url, key],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"p50 ([\d.]+) ms", out).group(1))  # type: ignore[union-attr]


def measure(db_url: str) -> dict:
    keys = [key for _, key in people.with_api_keys()]
    work = ROOT / "artifacts" / "gateway"
    work.mkdir(parents=True, exist_ok=True)
    keys_file = work / "keys.txt"
    keys_file.write_text("\n".join(keys) + "\n")
    env = throughput.production_env(db_url, REDIS_URL=throughput.REDIS_URL)
    results = []
    data: dict = {"keys": len(keys), "proxy": LITELLM.exists()}
    with throughput.gunicorn(env, throughput.WORKERS) as base:
        access = base + "/api/v1/gateway/access"
        # A first pass over every key, as the gateway's steady state has (each key asked
        # again every few seconds); then measured.
        in_turn = Crowd("X-API-Key", keys_file, in_turn=True)
        throughput.run_wrk(Endpoint("warm-up", access, {}, '"models"', in_turn))
        name = f"GET /api/v1/gateway/access ({len(keys):,} keys)"
        results.append(throughput.run_wrk(Endpoint(name, access, {}, '"models"', in_turn)))
        if LITELLM.exists():
            print("  starting a LiteLLM proxy with litellm_auth.py ...", flush=True)
            with throughput.proxy(base, work / "proxy") as url:
                models = url + "/v1/models"
                bearer = {"Authorization": f"Bearer {MASTER_KEY}"}
                member = {"Authorization": f"Bearer {keys[0]}"}
                for endpoint in [
                    Endpoint("LiteLLM GET /v1/models (master key)", models, bearer, '"data"'),
                    Endpoint("LiteLLM GET /v1/models (one member)", models, member, '"data"'),
                    Endpoint(
                        f"LiteLLM GET /v1/models ({len(keys):,} keys)",
                        models,
                        {},
                        '"data"',
                        Crowd("Authorization", keys_file, "Bearer ", in_turn=True),
                    ),
                ]:
                    print(f"  wrk: {endpoint.name} ...", flush=True)
                    results.append(throughput.run_wrk(endpoint))
            data["module_p50_ms"] = module_p50_ms(base, keys[0])
        else:
            print("  no .venv-gateway (make gateway-venv): the proxy rows are left out")
    data["results"] = [r.__dict__ for r in results]
    return data


def report(data: dict) -> None:
    proxy_rps = next(
        (r["rps"] for r in data["results"] if r["name"].endswith("(master key)")), None
    )
    print(f"\nGateway: {data['keys']:,} distinct API keys, gunicorn and the proxy 2 workers each")
    widths = [44, 7, 7, 12]
    columns = ["endpoint", "req/s", "p50 ms", "× /v1/models"]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in data["results"]:
        ratio = f"{r['rps'] / proxy_rps:>12.2f}" if proxy_rps else " " * 12
        print(f"| {r['name']:<44} | {r['rps']:>7,.0f} | {r['p50_ms']:>7.1f} | {ratio} |")
    if "module_p50_ms" in data:
        print(f"litellm_auth.py with a kept answer: p50 {data['module_p50_ms']:.3f} ms")
    print("Goals: the access endpoint ≥ 1.00× the proxy's /v1/models; litellm_auth p50 ≤ 2 ms.")
