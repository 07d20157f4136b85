"""Shared fixtures: personas, an org, platform models and the real catalog snapshot."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.cache import cache, caches
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from hypothesis import settings as hypothesis_settings

from accounts.models import User
from catalog import caching, platform
from catalog.models import PlatformModel
from orgs.models import Membership, Organization, Role
from settings_app.cache import RedisCache
from tests.helpers import empty_catalog, load_catalog

PASSWORD = "demo-password"

# The suite runs on one fixed day, whatever the machine's clock says: lifecycle badges
# ("Retiring on", "Retired"), search ranking of retired models, "New", "3 minutes ago",
# invitation expiry and throttle windows all read this day. The clock starts at this instant
# when pytest starts (in every xdist worker) and ticks on from there, so durations still pass.
# A test about another day travels there itself (the `time_machine` fixture).
FIXED_DAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
_clock = time_machine.travel(FIXED_DAY, tick=True)


# Examples per generated-input test (the bad-input probes, schemathesis, the mask): a few on a
# laptop, more in CI (CI=true); HYPOTHESIS_PROFILE=deep for a long probe before a release.
hypothesis_settings.register_profile("dev", max_examples=8, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=25, deadline=None)
hypothesis_settings.register_profile("deep", max_examples=200, deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in {"1", "true"} else "dev")
)


class _NoDelayWSGIServer(ThreadedWSGIServer):
    """Django's live server with TCP_NODELAY on each connection. A response leaves in two
    writes, the headers and then the body; with Nagle's algorithm on, the body waits for the
    client to acknowledge the headers, which Linux delays by up to 40 ms: 40 ms more for each
    request of a browser test (the page, its assets, each htmx swap), of scim2-tester, of
    the gateway, than the app takes."""

    def get_request(self):
        request, address = super().get_request()
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return request, address


def pytest_configure(config):
    _clock.start()
    LiveServerThread.server_class = _NoDelayWSGIServer


def pytest_unconfigure(config):
    _clock.stop()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    platform.expire()  # and the fresh mark this process remembers
    caching._in_process.clear()  # and the entries it keeps
    yield
    cache.clear()
    platform.expire()
    caching._in_process.clear()


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email, PASSWORD, **extra)


@pytest.fixture
def platform_models(db) -> list[PlatformModel]:
    return [
        PlatformModel.objects.create(
            model_id=model_id,
            display_name=name,
            position=i,
            context_window=200_000,
            cost_input=3.0,
            cost_output=15.0,
            supports_vision=True,
        )
        for i, (model_id, name) in enumerate(
            [
                ("dn/claude-opus-4-6", "Claude Opus 4.6"),
                ("dn/gpt-5.2", "GPT-5.2"),
                ("dn/gemini-3-pro", "Gemini 3 Pro"),
            ]
        )
    ]


@pytest.fixture
def org(db) -> Organization:
    return Organization.objects.create(name="Acme Corp", slug="acme")


@pytest.fixture
def other_org(db) -> Organization:
    return Organization.objects.create(name="Globex", slug="globex")


def _member(org, email, role, allowed=None) -> User:
    user = make_user(email)
    Membership.objects.create(org=org, user=user, role=role, allowed_model_ids=allowed)
    return user


@pytest.fixture
def owner(org) -> User:
    return _member(org, "owner@example.com", Role.OWNER)


@pytest.fixture
def contributor(org) -> User:
    return _member(org, "member@example.com", Role.CONTRIBUTOR)


@pytest.fixture
def restricted(org, platform_models) -> User:
    return _member(org, "restricted@example.com", Role.CONTRIBUTOR, ["dn/claude-opus-4-6"])


@pytest.fixture
def reader(org) -> User:
    return _member(org, "reader@example.com", Role.READER)


@pytest.fixture
def outsider(other_org) -> User:
    """Owner of another org, not in acme."""
    return _member(other_org, "outsider@example.com", Role.OWNER)


@pytest.fixture
def staff(db) -> User:
    return make_user("admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture(scope="module")
def catalog_module(django_db_setup, django_db_blocker):
    """The shipped snapshot of the real LiteLLM cost map, loaded once per test module.

    Modules using it must not mix in transactional tests (their flush would empty it).
    """
    with django_db_blocker.unblock():
        load_catalog()
    yield
    with django_db_blocker.unblock():
        empty_catalog()


@pytest.fixture
def catalog(catalog_module, db):
    return None


class _Handler(BaseHTTPRequestHandler):
    """Serves scripted answers: routes[path] is a list of (status, body[, delay]) answers,
    the last one repeating."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        server = self.server
        server.requests.append((self.path, self.headers.get("Authorization")))
        answers = server.routes.get(self.path.split("?")[0]) or [(404, b"{}")]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        status, body, delay = (*answer, 0)[:3]
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def live_http():
    """A real HTTP server on loopback, for the proxy and catalog download tests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.routes, server.requests = {}, []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def cache_backend(request, settings):
    """The default cache: "locmem" (the test settings' local memory), "redis", a real Redis
    (settings_app.cache.RedisCache, as production) under a key prefix of this test's own,
    whose keys are deleted afterwards, or "unshared": production without REDIS_URL, where
    each process has its own memory, nothing is kept between requests and sessions live in
    the database. Use it with indirect parametrization."""
    if request.param == "locmem":
        yield caches["default"]
        return
    if request.param == "unshared":
        settings.SHARED_CACHE = False
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
        platform.expire()
        yield caches["default"]
        platform.expire()
        return
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("no Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379 (CI has one and runs this)")
    prefix = f"test-{uuid.uuid4().hex}"
    # Django's setting_changed handler closes the caches and starts new ones from this.
    settings.CACHES = {
        "default": {
            "BACKEND": "settings_app.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": prefix,
        }
    }
    redis = caches["default"]
    assert isinstance(redis, RedisCache)
    platform.expire()  # the fresh mark this process remembers from the other cache
    yield redis
    client = redis._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
