"""Who may call each owner URL of an org (the members page and its actions, the model access
matrix and its file): one case per persona × URL, so one hole can't hide another. Every
refused call leaves the target and the audit log untouched."""

from __future__ import annotations

import pytest
from django.test import Client

from orgs.models import Membership, ModelAccessEvent

pytestmark = pytest.mark.django_db

MATRIX = "/orgs/acme/access/"
# (method, url, data); "{id}" is the target member's user id.
OWNER_ACTIONS = {
    "row": ("get", "/orgs/acme/members/{id}/", {}),
    "editor": ("get", "/orgs/acme/members/{id}/access/", {}),
    "save-access": ("post", "/orgs/acme/members/{id}/access/", {"allow_all": "on", "version": 0}),
    "role": ("post", "/orgs/acme/members/{id}/role/", {"role": "reader"}),
    "remove": ("post", "/orgs/acme/members/{id}/remove/", {}),
    "add": ("post", "/orgs/acme/members/add/", {"email": "new@example.com", "role": "reader"}),
    "bulk": ("post", "/orgs/acme/members/bulk-access/", {"members": ["{id}:0"], "models": []}),
    "audit": ("get", "/orgs/acme/audit/", {}),
    "matrix": ("get", MATRIX, {}),
    "matrix-preview": (
        "post",
        MATRIX + "preview/",
        {"kind": "allow", "model": "dn/gpt-5.2", "scope": "search"},
    ),
    "matrix-apply": (
        "post",
        MATRIX + "apply/",
        {"kind": "allow", "model": "dn/gpt-5.2", "versions": "{id}:0"},
    ),
    "export-json": ("get", MATRIX + "export.json", {}),
    "export-csv": ("get", MATRIX + "export.csv", {}),
    "import": ("post", MATRIX + "import/", {}),
    "import-apply": (
        "post",
        MATRIX + "import/apply/",
        {
            "format": "csv",
            "content": "email,role,allowed_model_ids\nrestricted@example.com,contributor,*\n",
            "versions": "{id}:0",
        },
    ),
}
# Every member may see the members page: only anonymous and outsider calls are refused.
ACTIONS = {"members-page": ("get", "/orgs/acme/members/", {}), **OWNER_ACTIONS}
# The URLs an owner may not use on their own membership.
ON_ONESELF = ["row", "editor", "save-access", "role", "remove"]
POSTS = [name for name, (method, _, _) in OWNER_ACTIONS.items() if method == "post"]


def call(client: Client, action: str, target, method: str | None = None):
    verb, url, data = ACTIONS[action]

    def fill(value):
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value.format(id=target.pk) if isinstance(value, str) else value

    data = {key: fill(value) for key, value in data.items()}
    return getattr(client, method or verb)(url.format(id=target.pk), data)


def snapshot(user) -> tuple:
    membership = Membership.objects.get(user=user, org__slug="acme")
    return membership.role, membership.allowed_model_ids, ModelAccessEvent.objects.count()


@pytest.fixture
def target(restricted):
    """The member every call aims at: a restricted contributor."""
    return restricted


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_goes_to_login(client, target, action):
    before = snapshot(target)
    response = call(client, action, target)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert snapshot(target) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_outsider_gets_404(client, outsider, target, action):
    client.force_login(outsider)  # owner of another org
    before = snapshot(target)
    response = call(client, action, target)
    assert response.status_code == 404
    assert snapshot(target) == before


@pytest.mark.parametrize("action", OWNER_ACTIONS)
@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_gets_403(client, request, persona, target, action):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot(target)
    assert call(client, action, target).status_code == 403
    assert snapshot(target) == before


@pytest.mark.parametrize("action", ON_ONESELF)
@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_gets_403_on_themselves(client, request, persona, action):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    before = snapshot(user)
    assert call(client, action, user).status_code == 403
    assert snapshot(user) == before


@pytest.mark.parametrize("action", ON_ONESELF)
def test_owner_gets_403_on_themselves(client, owner, platform_models, action):
    client.force_login(owner)
    before = snapshot(owner)
    assert call(client, action, owner).status_code == 403
    assert snapshot(owner) == before


@pytest.mark.parametrize("persona", ["owner", "contributor", "reader"])
def test_every_member_sees_the_members_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/orgs/acme/members/").status_code == 200


@pytest.mark.parametrize(
    "action", [*POSTS, "row", "audit", "members-page", "matrix", "export-json", "export-csv"]
)
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_get_405(client, owner, target, action, method):
    client.force_login(owner)
    before = snapshot(target)
    response = call(client, action, target, method=method)
    assert response.status_code == 405
    assert snapshot(target) == before


@pytest.mark.parametrize("action", [name for name in POSTS if name != "save-access"])
def test_get_on_a_post_only_url_is_405(client, owner, target, action):
    client.force_login(owner)
    assert call(client, action, target, method="get").status_code == 405


@pytest.mark.parametrize("action", POSTS)
def test_post_without_csrf_token_is_403(owner, target, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    before = snapshot(target)
    assert call(client, action, target).status_code == 403
    assert snapshot(target) == before
