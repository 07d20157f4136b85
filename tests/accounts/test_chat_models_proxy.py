"""The Chat Models page with a LiteLLM proxy: bounded waits and an honest freshness notice."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.cache import cache

from catalog import platform

pytestmark = pytest.mark.django_db
MODEL_INFO = Path(__file__).resolve().parents[1] / "fixtures" / "litellm_proxy_model_info.json"


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
    html = client.get("/settings/chat-models/").content.decode()
    assert "dn/gpt-5.2" in html and "may be out of date" not in html

    if failure == "hung":
        proxied.routes["/model/info"] = [(200, b"{}", 10)]
        proxied.routes["/v1/models"] = [(200, b"{}", 10)]
    elif failure == "500":
        proxied.routes["/model/info"] = [(500, b"")]
        proxied.routes["/v1/models"] = [(500, b"")]
    else:
        settings.LITELLM_PROXY_URL = "http://127.0.0.1:9"  # discard port: refused
    cache.delete(platform.FRESH_KEY)  # the TTL has passed
    started = time.monotonic()
    html = client.get("/settings/chat-models/").content.decode()
    assert time.monotonic() - started < 2.5
    assert "dn/gpt-5.2" in html and "dn/claude-opus-4-6" in html
    assert "This list may be out of date" in html and "Last updated" in html
