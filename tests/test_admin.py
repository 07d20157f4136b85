"""Django admin: every model is reachable for staff only; Secrets show metadata only."""

from __future__ import annotations

import pytest
from django.contrib import admin

from accounts.models import Secret
from accounts.services import save_secret
from orgs.models import Membership, ModelAccessEvent

pytestmark = pytest.mark.django_db

# Models whose rows are never typed in by hand: audit events, sync records, write-only secrets,
# and API keys (shown once, so created on the API keys page or with create_api_key).
READ_ONLY = {"modelaccessevent", "platformmodelevent", "syncrun", "secret", "apikey"}
MODELS = sorted(
    (m._meta.app_label, m._meta.model_name)
    for m in admin.site._registry
    if m._meta.app_label in {"accounts", "orgs", "catalog"}
)


def test_every_domain_model_is_registered():
    names = {name for _, name in MODELS}
    assert names >= {
        "user",
        "apikey",
        "secret",
        "enabledmodel",
        "organization",
        "membership",
        "modelaccessevent",
        "catalogmodel",
        "platformmodel",
        "syncrun",
    }


@pytest.mark.parametrize("query", ["", "?q=a"])
@pytest.mark.parametrize(("app", "model"), MODELS)
def test_staff_sees_the_changelist(client, staff, platform_models, app, model, query):
    client.force_login(staff)
    assert client.get(f"/admin/{app}/{model}/{query}").status_code == 200


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_staff_add_page_only_for_rows_typed_in_by_hand(client, staff, app, model):
    client.force_login(staff)
    add = client.get(f"/admin/{app}/{model}/add/")
    assert add.status_code == (403 if model in READ_ONLY else 200)


@pytest.mark.parametrize("page", ["", "add/"])
@pytest.mark.parametrize(("app", "model"), MODELS)
def test_anonymous_is_sent_to_login(client, app, model, page):
    response = client.get(f"/admin/{app}/{model}/{page}")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/admin/{app}/{model}/{page}"


@pytest.mark.parametrize("page", ["", "add/"])
@pytest.mark.parametrize(("app", "model"), MODELS)
def test_non_staff_is_sent_to_the_admin_login(client, contributor, app, model, page):
    client.force_login(contributor)
    response = client.get(f"/admin/{app}/{model}/{page}")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next=/admin/{app}/{model}/{page}"
    assert response.content == b""


def test_secret_admin_shows_metadata_only(client, staff, contributor):
    secret = save_secret(
        user=contributor, name="anthropic_api_key", value="sk-ant-very-secret-1234"
    )
    client.force_login(staff)
    for url in ("/admin/accounts/secret/", f"/admin/accounts/secret/{secret.pk}/change/"):
        html = client.get(url).content.decode()
        assert "ANTHROPIC_API_KEY" in html
        assert "sk-ant-very-secret-1234" not in html
        assert "very-secret" not in html
        assert bytes(Secret.objects.get().encrypted_value).decode() not in html


def test_admin_membership_edit_validates_and_audits(
    client, staff, org, contributor, platform_models
):
    membership = Membership.objects.get(user=contributor)
    client.force_login(staff)
    url = f"/admin/orgs/membership/{membership.pk}/change/"
    base = {"org": org.pk, "user": contributor.pk, "role": "contributor", "invited_by": ""}
    response = client.post(url, base | {"allowed_model_ids": '["dn/nope"]'})
    assert response.status_code == 200
    assert "Not platform models" in response.content.decode()
    membership.refresh_from_db()
    assert membership.allowed_model_ids is None

    for text, expected in (("[]", []), ('["dn/gpt-5.2"]', ["dn/gpt-5.2"]), ("null", None)):
        response = client.post(url, base | {"allowed_model_ids": text})
        assert response.status_code == 302, response.content.decode()[:2000]
        membership.refresh_from_db()
        assert membership.allowed_model_ids == expected
    events = ModelAccessEvent.objects.filter(member=contributor).order_by("created_at", "id")
    assert [(e.before, e.after, e.via) for e in events] == [
        (None, [], "admin"),
        ([], ["dn/gpt-5.2"], "admin"),
        (["dn/gpt-5.2"], None, "admin"),
    ]


def test_admin_refuses_owner_allowlist(client, staff, org, owner, platform_models):
    membership = Membership.objects.get(user=owner)
    client.force_login(staff)
    response = client.post(
        f"/admin/orgs/membership/{membership.pk}/change/",
        {
            "org": org.pk,
            "user": owner.pk,
            "role": "owner",
            "invited_by": "",
            "allowed_model_ids": "[]",
        },
    )
    assert response.status_code == 200
    assert "Owners always have every platform model" in response.content.decode()
    membership.refresh_from_db()
    assert membership.allowed_model_ids is None
