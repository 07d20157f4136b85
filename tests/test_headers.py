"""Security headers on every answer: a strict Content-Security-Policy and a Permissions-Policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/accounts/login/", "/settings/chat-models/", "/orgs/acme/members/", "/api/v1/docs"]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_allows_only_its_own_scripts_and_styles(client, owner, url):
    if url != "/accounts/login/":
        client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in s or "http" in s for sources in policy.values() for s in sources)
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/settings/chat-models/", {}),
        ("/settings/chat-models/?q=opus", {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}),
        ("/orgs/acme/members/", {}),
    ],
)
def test_a_signed_in_persons_answers_are_private(client, owner, url, headers):
    client.force_login(owner)
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private"


def test_api_answers_to_a_key_are_private(contributor):
    from tests.helpers import ApiClient

    response = ApiClient(contributor).get("/user/preferences")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private"


def test_anonymous_answers_are_not_marked_private(client):
    assert "Cache-Control" not in client.get("/healthz")


def test_api_errors_and_static_files_carry_the_headers_too(client):
    for response in (client.get("/api/v1/nope"), client.get("/healthz")):
        assert "Content-Security-Policy" in response and "Permissions-Policy" in response


def test_htmx_does_not_inject_its_indicator_style(client, owner):
    client.force_login(owner)
    html = client.get("/settings/chat-models/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert ".htmx-indicator" in (ROOT / "static/css/app.css").read_text()


def test_templates_and_scripts_have_nothing_inline():
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.js")]
        if inline.search(path.read_text())
    ]
    assert offenders == []
