"""A real LiteLLM proxy with gateway/litellm_auth.py, in front of the live app.

The proxy runs from `.venv-gateway` (`make gateway-venv`). Required in CI (CI=true or
REQUIRE_GATEWAY=1): a missing one fails the gateway tests there; elsewhere they skip with a
message saying how to install it. One proxy per test session (per xdist worker) on a free port:
it takes ~10 s to start, so every test that needs one shares it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from gateway.config import DEMO_ALIASES, config_yaml
from tests.gateway.relay import Relay

ROOT = Path(__file__).resolve().parents[2]
LITELLM = ROOT / ".venv-gateway" / "bin" / "litellm"
REQUIRED = os.environ.get("CI", "").lower() in {"1", "true"} or bool(
    os.environ.get("REQUIRE_GATEWAY")
)
MASTER_KEY = "sk-test-gateway-master"
# Served by the proxy but unknown to the app until its next refresh: a deployment made after
# the app last read the list.
NEW_ALIAS = "dn/deployed-just-now"
ALIASES = (*DEMO_ALIASES, NEW_ALIAS)
CACHE_SECONDS = 1  # the proxy's answer cache in these tests: "follows within" waits stay short
STARTUP_SECONDS = 120


@dataclass
class Gateway:
    url: str
    master_key: str
    relay: Relay  # the app as the gateway reaches it
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def litellm_bin() -> Path:
    if not LITELLM.exists():
        message = (
            f"No LiteLLM proxy at {LITELLM}: install it with `make gateway-venv` "
            "(litellm[proxy] pinned in gateway/requirements.txt)."
        )
        if REQUIRED:
            pytest.fail(message + " The gateway tests are required in CI.")
        pytest.skip(message)
    return LITELLM


@pytest.fixture(scope="session")
def gateway(litellm_bin, live_server, tmp_path_factory):
    """The proxy, started once, asking the live app through a relay tests can stop."""
    home = tmp_path_factory.mktemp("gateway")
    (home / "config.yaml").write_text(config_yaml(ALIASES))
    relay = Relay(int(live_server.url.rsplit(":", 1)[1]))
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHONPATH": str(ROOT / "gateway"),
        "CHAT_MODELS_URL": relay.url,
        "LITELLM_MASTER_KEY": MASTER_KEY,
        "CHAT_MODELS_CACHE_SECONDS": str(CACHE_SECONDS),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # offline: no cost map download at start-up
        "LITELLM_TELEMETRY": "False",
    }
    log = home / "proxy.log"
    with log.open("wb") as out:
        proxy = subprocess.Popen(
            [str(litellm_bin), "--config", str(home / "config.yaml")]
            + ["--host", "127.0.0.1", "--port", str(port)],
            cwd=home,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if proxy.poll() is not None:
            pytest.fail(
                f"the LiteLLM proxy exited ({proxy.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            if requests.get(url + "/health/liveliness", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            proxy.kill()
            pytest.fail(f"the LiteLLM proxy didn't start in {STARTUP_SECONDS} s")
        time.sleep(0.2)
    yield Gateway(url, MASTER_KEY, relay, log)
    proxy.terminate()
    try:
        proxy.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proxy.kill()
    relay.stop()
