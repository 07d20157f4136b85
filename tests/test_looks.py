"""Issue 22, point 15, the parts a page's HTML decides: a favicon, a branded admin, ids kept
whole in the audit log. (tests/browser/test_looks.py measures the rest in Chromium.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from orgs import services
from orgs.models import Membership

pytestmark = pytest.mark.django_db


def test_the_favicon_is_served_not_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_the_admin_is_branded(client, staff):
    client.force_login(staff)
    html = client.get("/admin/").content.decode()
    assert "Dreadnode · staff admin" in html and "Django administration" not in html
    assert '<link rel="icon" href="/static/favicon.svg"' in html


def test_audit_keeps_each_model_id_whole(client, owner, restricted, platform_models):
    services.set_model_access(
        membership=Membership.objects.get(user=restricted),
        allowed_model_ids=["dn/claude-opus-4-6", "dn/gpt-5.2"],
        actor=owner,
        via="web",
    )
    client.force_login(owner)
    html = client.get("/orgs/acme/audit/").content.decode()
    assert '<span class="id-whole">dn/claude-opus-4-6</span>' in html
    assert '<span class="id-whole">dn/gpt-5.2</span>' in html


def test_confirm_before_delete_markup_lives_in_one_include():
    """Issue 20, goal 5: the no-JS confirm disclosure is written once, in templates/_confirm.html,
    and the pages include it (with their own question)."""
    templates = Path(__file__).resolve().parents[1] / "templates"
    written = sorted(
        str(path.relative_to(templates))
        for path in templates.glob("**/*.html")
        if '<details class="confirm"' in path.read_text() or "confirm-box" in path.read_text()
    )
    assert written == ["_confirm.html"]
    including = sorted(
        str(path.relative_to(templates))
        for path in templates.glob("**/*.html")
        if '{% include "_confirm.html"' in path.read_text()
    )
    assert including == [
        "accounts/api_keys.html",
        "accounts/chat_models.html",
        "accounts/secrets.html",
        "orgs/groups.html",
        "orgs/members.html",
        "orgs/org_settings.html",
        "orgs/requests.html",
        "orgs/undeployed.html",
    ]
