"""Platform models from a LiteLLM proxy: a real HTTP server on loopback serving the real
recorded responses, and each failure mode."""

from __future__ import annotations

import io
import json
import os
import socket
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog import platform
from catalog.models import PlatformModel, SyncRun
from tests.helpers import run_together

pytestmark = pytest.mark.django_db
# Verbatim copies of the real proxy responses in ../shared/data (LiteLLM proxy recordings).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MODEL_INFO = (FIXTURES / "litellm_proxy_model_info.json").read_bytes()
V1_MODELS = (FIXTURES / "litellm_proxy_v1_models.json").read_bytes()
DEPLOYED = ["dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro"]


@pytest.fixture
def proxy(live_http, settings):
    settings.LITELLM_PROXY_URL = live_http.url
    settings.LITELLM_API_KEY = "sk-test-master"
    settings.PLATFORM_MODELS_TTL = 60
    live_http.routes["/model/info"] = [(200, MODEL_INFO)]
    live_http.routes["/v1/models"] = [(200, V1_MODELS)]
    return live_http


def active_ids() -> list[str]:
    """What a request sees: the middleware's refresh when due, then the stored list."""
    platform.refresh_if_due()
    return [m.model_id for m in platform.deployed_models()]


def test_reads_model_info_with_metadata_and_bearer_auth(proxy):
    assert active_ids() == DEPLOYED
    opus = PlatformModel.objects.get(model_id="dn/claude-opus-4-6")
    assert opus.litellm_model == "anthropic/claude-opus-4-6"
    assert opus.context_window == 1_000_000 and opus.max_output == 128_000
    assert opus.cost_input == pytest.approx(5.0) and opus.cost_output == pytest.approx(25.0)
    assert opus.supports_vision and opus.supports_reasoning
    assert opus.display_name == "Claude Opus 4.6"
    assert proxy.requests[0] == ("/model/info", "Bearer sk-test-master")


def test_falls_back_to_v1_models(proxy):
    proxy.routes["/model/info"] = [(404, b'{"detail": "not found"}')]
    assert active_ids() == DEPLOYED
    assert PlatformModel.objects.get(model_id="dn/gpt-5.2").context_window == 272_000
    assert [path for path, _ in proxy.requests] == ["/model/info", "/v1/models"]


def test_keeps_only_dn_models(proxy):
    data = json.loads(MODEL_INFO)
    data["data"].append({"model_name": "gpt-4o", "litellm_params": {"model": "openai/gpt-4o"}})
    proxy.routes["/model/info"] = [(200, json.dumps(data).encode())]
    assert active_ids() == DEPLOYED


def test_stored_list_is_reused_within_the_ttl(proxy):
    active_ids()
    active_ids()
    assert len(proxy.requests) == 1
    platform.expire()  # the TTL passed
    active_ids()
    assert len(proxy.requests) == 2


def test_removed_alias_becomes_not_deployed_and_is_back_when_redeployed(proxy):
    active_ids()
    data = json.loads(MODEL_INFO)
    data["data"] = [d for d in data["data"] if d["model_name"] != "dn/gemini-3-pro"]
    proxy.routes["/model/info"] = [(200, json.dumps(data).encode())]
    platform.expire()
    assert active_ids() == ["dn/claude-opus-4-6", "dn/gpt-5.2"]
    assert PlatformModel.objects.get(model_id="dn/gemini-3-pro").is_active is False
    proxy.routes["/model/info"] = [(200, MODEL_INFO)]
    platform.expire()
    assert active_ids() == DEPLOYED


FAILURES = {
    "401": [(401, b'{"error": "bad key"}')],
    "500": [(500, b"Internal Server Error")],
    "malformed JSON": [(200, b'{"data": [')],
    "empty JSON object": [(200, b"{}")],
    "no dn models": [(200, b'{"data": [{"model_name": "gpt-4o"}]}')],
    "data not a list": [(200, b'{"data": "nope"}')],
    "HTML": [(200, b"<html>login</html>")],
}


@pytest.mark.parametrize("failure", FAILURES)
def test_failures_keep_the_last_good_list_and_say_so(proxy, failure):
    assert active_ids() == DEPLOYED
    assert platform.platform_snapshot().status.stale is False
    proxy.routes["/model/info"] = list(FAILURES[failure])
    proxy.routes["/v1/models"] = list(FAILURES[failure])
    platform.expire()
    assert active_ids() == DEPLOYED
    status = platform.platform_snapshot().status
    assert status.stale is True
    assert status.last_success is not None and status.error
    assert SyncRun.objects.filter(kind="platform", ok=False).count() == 1


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_refused_proxy_keeps_the_list(proxy, settings):
    active_ids()
    settings.LITELLM_PROXY_URL = _closed_port_url()
    platform.expire()
    started = time.monotonic()
    assert active_ids() == DEPLOYED
    assert time.monotonic() - started < 2.5
    assert platform.platform_snapshot().status.stale


def test_hung_proxy_is_bounded_and_keeps_the_list(proxy):
    active_ids()
    proxy.routes["/model/info"] = [(200, MODEL_INFO, 10)]
    proxy.routes["/v1/models"] = [(200, V1_MODELS, 10)]
    platform.expire()
    started = time.monotonic()
    assert active_ids() == DEPLOYED
    assert time.monotonic() - started < 2.5
    assert platform.platform_snapshot().status.stale


def eight_concurrent_refreshes(proxy, monkeypatch) -> list:
    """Eight requests find the list stale at once; returns the proxy fetches they made."""
    proxy.routes["/model/info"] = [(200, MODEL_INFO, 0.5)]
    calls = []
    monkeypatch.setattr(
        platform, "sync_platform_models", lambda: calls.append(platform.fetch_deployed())
    )
    assert run_together(*[platform.refresh_if_due] * 8) == []
    return calls


def test_concurrent_requests_do_not_stampede_the_proxy(proxy, monkeypatch):
    """Only the request that wins the cache lock asks the proxy; the rest serve stored rows."""
    calls = eight_concurrent_refreshes(proxy, monkeypatch)
    assert len(calls) == 1
    assert len(proxy.requests) == 1


def test_sync_platform_models_command(proxy):
    out = io.StringIO()
    call_command("sync_platform_models", stdout=out)
    assert "3 new" in out.getvalue()
    proxy.routes["/model/info"] = [(500, b"")]
    proxy.routes["/v1/models"] = [(500, b"")]
    with pytest.raises(CommandError, match="last list stays"):
        call_command("sync_platform_models", stdout=out)
    assert PlatformModel.objects.filter(is_active=True).count() == 3


def test_without_a_proxy_admin_rows_are_the_platform_models(settings, platform_models):
    settings.LITELLM_PROXY_URL = ""
    assert active_ids() == DEPLOYED
    assert platform.platform_snapshot().status is None
    with pytest.raises(CommandError, match="LITELLM_PROXY_URL is not set"):
        call_command("sync_platform_models")


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(
    not _redis_reachable() and not os.environ.get("CI"),
    reason="no Redis on 127.0.0.1:6379 (CI has one and runs this)",
)
def test_the_refresh_lock_holds_on_redis_shared_by_servers(proxy, monkeypatch, settings):
    """With REDIS_URL (several app servers), the lock and the freshness mark are shared."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
    from django.core.cache import caches

    redis_cache = caches["default"]
    redis_cache.delete_many([platform.FRESH_KEY, platform.LOCK_KEY])
    calls = eight_concurrent_refreshes(proxy, monkeypatch)
    assert len(calls) == 1
    assert redis_cache.get(platform.FRESH_KEY) > time.time()
    platform.refresh_if_due()  # fresh now: nobody asks the proxy
    assert len(calls) == 1
    redis_cache.delete_many([platform.FRESH_KEY, platform.LOCK_KEY])
