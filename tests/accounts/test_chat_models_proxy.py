"""The Chat Models page with a LiteLLM proxy: bounded waits, an honest freshness notice, and
a refresh that happens once per request before any transaction, so a refused BYOK action can't
roll back the refreshed rows behind a "fresh" mark, and the proxy is never asked while a
person's row lock is held."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, transaction

from accounts import services
from accounts.models import EnabledModel, User
from catalog import platform
from orgs.models import Membership
from tests.helpers import unwrap_ids

pytestmark = pytest.mark.django_db
MODEL_INFO = Path(__file__).resolve().parents[1] / "fixtures" / "litellm_proxy_model_info.json"
PAGE = "/settings/chat-models/"
HTMX = {"HTTP_HX_REQUEST": "true"}
DEPLOYED = ["dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro"]
OPUS = "anthropic/claude-opus-4-5"


@pytest.fixture
def proxied(live_http, settings):
    settings.LITELLM_PROXY_URL = live_http.url
    settings.LITELLM_API_KEY = "sk-test"
    live_http.routes["/model/info"] = [(200, MODEL_INFO.read_bytes())]
    return live_http


@pytest.mark.parametrize("failure", ["hung", "500", "refused"])
def test_a_failing_proxy_never_holds_the_page_and_the_last_list_stays(
    client, contributor, proxied, settings, failure
):
    client.force_login(contributor)
    html = unwrap_ids(client.get("/settings/chat-models/").content.decode())
    assert "dn/gpt-5.2" in html and "may be out of date" not in html

    if failure == "hung":
        proxied.routes["/model/info"] = [(200, b"{}", 10)]
        proxied.routes["/v1/models"] = [(200, b"{}", 10)]
    elif failure == "500":
        proxied.routes["/model/info"] = [(500, b"")]
        proxied.routes["/v1/models"] = [(500, b"")]
    else:
        settings.LITELLM_PROXY_URL = "http://127.0.0.1:9"  # discard port: refused
    platform.expire()  # the TTL has passed
    started = time.monotonic()
    html = unwrap_ids(client.get("/settings/chat-models/").content.decode())
    assert time.monotonic() - started < 2.5
    assert "dn/gpt-5.2" in html and "dn/claude-opus-4-6" in html
    assert "This list may be out of date" in html and "Last updated" in html


@pytest.fixture
def cornered(contributor) -> User:
    """One BYOK model and no platform access: removing the model must be refused."""
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    EnabledModel.objects.create(user=contributor, model_id=OPUS, position=1)
    return contributor


def deployed_ids() -> list[str]:
    return [m.model_id for m in platform.deployed_models()]


REFUSED_ACTIONS = {
    "remove": lambda user, m: services.remove_model(user=user, model_id=OPUS, membership=m),
    "reset": lambda user, m: services.reset_models(user=user, membership=m),
    "set": lambda user, m: services.set_models(user=user, model_ids=[], membership=m),
}


@pytest.mark.parametrize("action", REFUSED_ACTIONS)
def test_a_refused_action_leaves_no_fresh_mark_over_missing_rows(proxied, cornered, action):
    membership = Membership.objects.get(user=cornered)
    with pytest.raises(ValidationError, match="no model at all"):
        REFUSED_ACTIONS[action](cornered, membership)
    platform.refresh_if_due()
    assert deployed_ids() == DEPLOYED


@pytest.mark.parametrize("url", [PAGE + "remove/", PAGE + "reset/"])
def test_after_a_refused_request_the_stored_list_is_the_proxy_list(client, proxied, cornered, url):
    client.force_login(cornered)
    response = client.post(url, {"model_id": OPUS}, **HTMX)
    assert "would leave you with no model at all" in response.content.decode()
    assert deployed_ids() == DEPLOYED
    assert len(proxied.requests) == 1


def test_reading_platform_models_never_asks_the_proxy(proxied):
    assert deployed_ids() == []
    assert proxied.requests == []


@pytest.fixture
def watch_proxy_calls(monkeypatch) -> list[bool]:
    """Records, for each question to the proxy, whether it was asked inside a transaction."""
    in_atomic: list[bool] = []
    ask = platform._get_json

    def watched(path, deadline):
        in_atomic.append(connection.in_atomic_block)
        return ask(path, deadline)

    monkeypatch.setattr(platform, "_get_json", watched)
    return in_atomic


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", [PAGE, PAGE + "remove/", PAGE + "reset/"])
def test_the_proxy_is_never_asked_inside_a_transaction(
    client, proxied, cornered, watch_proxy_calls, url
):
    client.force_login(cornered)
    if url == PAGE:
        client.get(url)
    else:
        client.post(url, {"model_id": OPUS}, **HTMX)
    assert watch_proxy_calls == [False]
    assert deployed_ids() == DEPLOYED


def _row_is_locked(user: User) -> bool:
    """Whether another connection finds the person's row locked (PostgreSQL NOWAIT)."""
    locked: list[bool] = []

    def probe():
        try:
            with transaction.atomic():
                User.objects.select_for_update(nowait=True).filter(pk=user.pk).exists()
            locked.append(False)
        except DatabaseError:
            locked.append(True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return locked[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.parametrize("url", [PAGE + "remove/", PAGE + "reset/"])
def test_the_proxy_is_never_asked_while_the_row_lock_is_held(
    client, proxied, cornered, monkeypatch, url
):
    locked_when_asked: list[bool] = []
    ask = platform._get_json

    def watched(path, deadline):
        locked_when_asked.append(_row_is_locked(cornered))
        return ask(path, deadline)

    monkeypatch.setattr(platform, "_get_json", watched)
    client.force_login(cornered)
    client.post(url, {"model_id": OPUS}, **HTMX)
    assert locked_when_asked == [False]
