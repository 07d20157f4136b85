"""What gateway/litellm_auth.py adds to a request once its answer is cached: p50 and p99 of
`user_api_key_auth` over 20,000 calls. Run it with the gateway's Python, against a running app:

    .venv-gateway/bin/python bench/gateway_latency.py http://127.0.0.1:8000 dnk_…
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

CALLS = 20_000


class _Request:
    headers: dict[str, str] = {}


async def measure(key: str) -> list[float]:
    import litellm_auth

    await litellm_auth.user_api_key_auth(_Request(), key)  # asks the app once; kept from then on
    times = []
    for _ in range(CALLS):
        started = time.perf_counter()
        await litellm_auth.user_api_key_auth(_Request(), key)
        times.append(time.perf_counter() - started)
    return sorted(times)


if __name__ == "__main__":
    os.environ["CHAT_MODELS_URL"] = sys.argv[1]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "gateway"))
    times = asyncio.run(measure(sys.argv[2]))
    p50, p99 = times[len(times) // 2] * 1000, times[int(len(times) * 0.99)] * 1000
    print(f"litellm_auth, warm cache: p50 {p50:.3f} ms, p99 {p99:.3f} ms ({CALLS} calls)")
