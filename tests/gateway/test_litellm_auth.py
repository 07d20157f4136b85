"""gateway/litellm_auth.py on its own, against a stand-in for the app: what it asks, what it
keeps and for how long, and that it refuses when it can't ask. (With a real LiteLLM proxy in
front and the real app behind: test_enforcement.py.)"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from gateway.litellm_auth import NO_MODELS, Config, Gate, Refused, Verdict
from tests.gateway.fake_app import FakeApp, access

KEY = "dnk_" + "k" * 43
OTHER = "dnk_" + "o" * 43
MASTER = "sk-gateway-master"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app():
    fake = FakeApp()
    yield fake
    fake.stop()


def run(coroutine: Any) -> Any:
    """asyncio.run in a thread of its own: a browser test earlier in this worker leaves
    Playwright's event loop running in this one, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def make_gate(app: FakeApp, **config) -> Gate:
    return Gate(Config(app_url=app.url, master_key=MASTER, **config), clock=Clock())


def check(gate: Gate, key: str = KEY, org: str | None = None) -> Verdict:
    return run(gate.check(key, org))


def refused(gate: Gate, key: str = KEY, org: str | None = None) -> Refused:
    with pytest.raises(Refused) as info:
        check(gate, key, org)
    return info.value


def test_a_member_gets_what_the_app_answers(app):
    app.answers[KEY] = (200, access(["dn/a"]))
    verdict = check(make_gate(app))
    assert (verdict.user_id, verdict.email, verdict.org, verdict.admin) == (
        "6f1c1c1e-0000-4000-8000-000000000001",
        "m@example.com",
        "acme",
        False,
    )
    assert verdict.litellm_models == ["dn/a"]
    assert app.requests == [("/api/v1/gateway/access", KEY)]


def test_all_models_is_litellms_empty_list_and_none_is_a_name_no_alias_has(app):
    app.answers[KEY] = (200, access(["dn/a", "dn/b"], all_models=True))
    app.answers[OTHER] = (200, access([]))
    gate = make_gate(app)
    assert check(gate).litellm_models == []  # LiteLLM: every model, new aliases included
    assert check(gate, OTHER).litellm_models == [NO_MODELS]
    assert NO_MODELS == "no-default-models"  # LiteLLM's own "no model": never listed


def test_the_master_key_is_the_proxy_admin_without_asking(app):
    verdict = check(make_gate(app), MASTER)
    assert verdict.admin and MASTER not in verdict.key_id
    assert app.requests == []
    # Without a master key configured, nothing is an admin.
    assert refused(Gate(Config(app_url=app.url)), MASTER).status == 401


@pytest.mark.parametrize(
    "key",
    [
        "",
        "Bearer " + KEY,
        "Basic dXNlcjpwYXNz",
        KEY + "\x00",
        "dnk_\x00" + "k" * 20,
        "dnk_" + "k" * 10_000,
        "dnk_ünïcode",
        "dnk_\ud800",
        "sk-" + "x" * 40,
    ],
)
def test_malformed_keys_are_401_without_asking(app, key):
    refusal = refused(make_gate(app), key)
    assert refusal.status == 401 and "Bearer" in refusal.message
    assert app.requests == []


def test_unknown_revoked_and_throttled_keys_are_401(app):
    app.answers[OTHER] = (429, {"detail": "Too many bad API keys"})
    gate = make_gate(app)
    assert refused(gate).status == 401  # the stand-in answers 401 for an unknown key
    assert refused(gate, OTHER).status == 401


def test_answers_are_kept_for_the_cache_time_then_asked_again(app):
    app.answers[KEY] = (200, access(["dn/a"]))
    gate = make_gate(app, cache_seconds=5)
    check(gate)
    gate.clock.now += 4.9
    check(gate)
    assert len(app.requests) == 1
    app.answers[KEY] = (401, {"detail": "revoked"})
    gate.clock.now += 0.2
    assert refused(gate).status == 401
    assert len(app.requests) == 2
    gate.clock.now += 1  # a refusal is kept too: a stream of bad keys doesn't reach the app
    assert refused(gate).status == 401
    assert len(app.requests) == 2


def test_the_apps_ttl_can_only_shorten_the_cache_time(app):
    app.answers[KEY] = (200, access(["dn/a"], ttl=1))
    gate = make_gate(app, cache_seconds=5)
    check(gate)
    gate.clock.now += 1.1
    check(gate)
    assert len(app.requests) == 2


def test_cache_time_timeout_and_grace_are_bounded(monkeypatch):
    monkeypatch.setenv("CHAT_MODELS_URL", "http://app.internal:8000/")
    monkeypatch.setenv("CHAT_MODELS_CACHE_SECONDS", "60")
    monkeypatch.setenv("CHAT_MODELS_TIMEOUT", "10")
    monkeypatch.setenv("CHAT_MODELS_GRACE_SECONDS", "3600")
    config = Config.from_env()
    assert (config.app_url, config.cache_seconds, config.timeout, config.grace_seconds) == (
        "http://app.internal:8000",
        5.0,
        1.0,
        30.0,
    )
    monkeypatch.setenv("CHAT_MODELS_CACHE_SECONDS", "soon")
    with pytest.raises(ValueError, match="CHAT_MODELS_CACHE_SECONDS"):
        Config.from_env()


def test_the_org_header_is_asked_for_and_kept_apart(app):
    app.answers[KEY] = (200, access(["dn/a"]))
    gate = make_gate(app)
    check(gate, org="zeta")
    check(gate)
    assert [path for path, _ in app.requests] == [
        "/api/v1/gateway/access?org=zeta",
        "/api/v1/gateway/access",
    ]


def test_an_org_the_caller_is_not_in_is_403(app):
    app.answers[KEY] = (404, {"detail": "Not found."})
    gate = make_gate(app)
    assert refused(gate, org="globex").status == 403
    assert refused(gate, org="not a slug!").status == 403
    assert refused(gate, org="x" * 51).status == 403
    assert len(app.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [
        (500, {"detail": "oops"}),
        (502, b"<html>Bad gateway</html>"),
        (200, b"not json"),
        (200, {"models": ["dn/a"]}),
        (200, [1, 2]),
        (302, {}),
    ],
)
def test_an_answer_that_makes_no_sense_is_503_never_allow_all(app, answer):
    app.answers[KEY] = answer
    assert refused(make_gate(app)).status == 503


def test_the_app_down_is_503_at_once(app):
    gate = make_gate(app)
    app.stop()
    started = time.monotonic()
    assert refused(gate).status == 503
    assert time.monotonic() - started < 1.0


def test_a_slow_app_is_503_within_the_timeout(app):
    app.answers[KEY] = (200, access(["dn/a"]), 3)
    gate = make_gate(app, timeout=0.5)
    started = time.monotonic()
    assert refused(gate).status == 503
    assert time.monotonic() - started < 1.0


def test_an_answer_trickling_in_is_cut_off_at_the_timeout(app):
    app.answers[KEY] = (200, access(["dn/a"]), 0, 0.1)  # ~200 bytes, one every 0.1 s
    gate = make_gate(app, timeout=0.5)
    started = time.monotonic()
    assert refused(gate).status == 503
    assert time.monotonic() - started < 1.0


def test_no_app_url_refuses_everyone_but_the_master_key():
    gate = Gate(Config(app_url="", master_key=MASTER))
    assert refused(gate).status == 503
    assert check(gate, MASTER).admin


def test_without_grace_a_known_key_is_refused_once_its_answer_is_old(app):
    app.answers[KEY] = (200, access(["dn/a"]))
    gate = make_gate(app, cache_seconds=5, grace_seconds=0)
    check(gate)
    app.stop()
    gate.clock.now += 5.1
    assert refused(gate).status == 503


def test_grace_serves_keys_seen_recently_and_only_them_for_a_bounded_time(app):
    app.answers[KEY] = (200, access(["dn/a"]))
    app.answers[OTHER] = (401, {"detail": "revoked"})
    gate = make_gate(app, cache_seconds=5, grace_seconds=10)
    check(gate)
    refused(gate, OTHER)
    app.stop()
    gate.clock.now += 14
    assert check(gate).litellm_models == ["dn/a"]  # seen 14 s ago: within 5 + 10
    assert refused(gate, OTHER).status == 503  # a refusal is never what grace serves
    assert refused(gate, "dnk_" + "n" * 43).status == 503  # never seen
    gate.clock.now += 1.1
    assert refused(gate).status == 503  # past the grace
    app.start()
    assert check(gate).litellm_models == ["dn/a"]


def test_concurrent_requests_for_one_key_ask_the_app_once(app):
    app.answers[KEY] = (200, access(["dn/a"]), 0.2)
    gate = make_gate(app)

    async def many():
        return await asyncio.gather(*(gate.check(KEY) for _ in range(20)))

    verdicts = run(many())
    assert {v.litellm_models[0] for v in verdicts} == {"dn/a"}
    assert len(app.requests) == 1


def test_keys_never_reach_the_log(app, caplog):
    app.answers[KEY] = (200, access(["dn/a"]))
    gate = make_gate(app, grace_seconds=10)
    check(gate)
    app.stop()
    gate.clock.now += 6
    with caplog.at_level(logging.DEBUG):
        check(gate)
        refused(gate, OTHER)
    assert caplog.records
    assert KEY not in caplog.text and OTHER not in caplog.text and "kkkk" not in caplog.text


def test_the_module_imports_no_django():
    code = (
        "import sys, gateway.litellm_auth; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
