"""Issue 22, point 14: every platform model deployment, removal and redeployment is recorded
with when and by what, from the proxy sync or the admin, and the audit log shows it."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from catalog import platform
from catalog.models import PlatformModel, PlatformModelEvent

pytestmark = pytest.mark.django_db
ADMIN = "/admin/catalog/platformmodel/"


def events() -> list[tuple[str, str, str, str | None]]:
    return [
        (e.model_id, e.kind, e.via, e.actor.email if e.actor else None)
        for e in PlatformModelEvent.objects.order_by("id").select_related("actor")
    ]


def test_the_proxy_sync_records_deploys_removals_and_redeploys(platform_models):
    ids = [{"model_id": m.model_id} for m in platform_models]
    platform.store_deployed(ids)
    assert events() == []  # nothing changed: nothing recorded
    platform.store_deployed([*ids[:2], {"model_id": "dn/brand-new"}])
    assert events() == [
        ("dn/brand-new", "deployed", "proxy", None),
        ("dn/gemini-3-pro", "removed", "proxy", None),
    ]
    platform.store_deployed(ids)
    assert events()[2:] == [
        ("dn/gemini-3-pro", "reactivated", "proxy", None),
        ("dn/brand-new", "removed", "proxy", None),
    ]


@pytest.fixture
def admin_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _form(model: PlatformModel, **changes) -> dict:
    data = {
        "model_id": model.model_id,
        "display_name": model.display_name,
        "litellm_model": model.litellm_model,
        "position": model.position,
        "is_active": "on" if model.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_deactivating_and_reactivating_in_the_admin_is_recorded_with_who(
    admin_client, platform_models, staff
):
    gpt = PlatformModel.objects.get(model_id="dn/gpt-5.2")
    response = admin_client.post(f"{ADMIN}{gpt.pk}/change/", _form(gpt, is_active=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    gpt.refresh_from_db()
    assert gpt.is_active is False and gpt.retired_at is not None
    admin_client.post(f"{ADMIN}{gpt.pk}/change/", _form(gpt, is_active="on"))
    admin_client.post(
        f"{ADMIN}{gpt.pk}/change/", _form(gpt, display_name="GPT 5.2", is_active="on")
    )
    assert events() == [
        ("dn/gpt-5.2", "removed", "admin", staff.email),
        ("dn/gpt-5.2", "reactivated", "admin", staff.email),
    ]
    assert PlatformModel.objects.get(pk=gpt.pk).retired_at is None


def test_adding_and_deleting_in_the_admin_is_recorded(admin_client, platform_models, staff):
    data = {"model_id": "dn/new-one", "display_name": "New One", "position": 9, "is_active": "on"}
    assert admin_client.post(f"{ADMIN}add/", data).status_code == 302
    new = PlatformModel.objects.get(model_id="dn/new-one")
    assert PlatformModel.objects.get(pk=new.pk).first_seen_at is not None
    admin_client.post(f"{ADMIN}{new.pk}/delete/", {"post": "yes"})
    gemini = PlatformModel.objects.get(model_id="dn/gemini-3-pro")
    admin_client.post(
        ADMIN, {"action": "delete_selected", "_selected_action": [gemini.pk], "post": "yes"}
    )
    assert events() == [
        ("dn/new-one", "deployed", "admin", staff.email),
        ("dn/new-one", "removed", "admin", staff.email),
        ("dn/gemini-3-pro", "removed", "admin", staff.email),
    ]


def test_the_audit_log_shows_each_change_with_when_and_by_what(
    admin_client, client, owner, platform_models, staff, django_assert_max_num_queries
):
    gpt = PlatformModel.objects.get(model_id="dn/gpt-5.2")
    admin_client.post(f"{ADMIN}{gpt.pk}/change/", _form(gpt, is_active=""))
    platform.store_deployed([{"model_id": "dn/claude-opus-4-6"}, {"model_id": "dn/gpt-5.2"}])
    client.force_login(owner)
    client.get("/orgs/acme/audit/")
    with django_assert_max_num_queries(3):  # as before: one query for these rows
        html = unescape(client.get("/orgs/acme/audit/").content.decode())
    section = re.sub(r"\s+", " ", html[html.index("Platform models</h2>") :])
    assert "No platform model changes recorded yet" not in section
    rows = re.findall(r"<tr>(.*?)</tr>", section)[1:]
    text = [re.sub(r"<[^>]+>", " ", r) for r in rows]
    text = [re.sub(r"\s+", " ", t).strip() for t in text]
    assert text == [
        "just now Gemini 3 Pro dn/gemini-3-pro No longer deployed Proxy sync",
        "just now GPT-5.2 dn/gpt-5.2 Deployed again Proxy sync",
        "just now GPT-5.2 dn/gpt-5.2 No longer deployed Admin (admin@example.com)",
    ]


def test_deactivating_in_the_changelist_list_edit_is_recorded_with_who(
    admin_client, platform_models, staff
):
    """The changelist's own Save (its editable Active column), not only the change form."""
    rows = list(PlatformModel.objects.order_by("position", "model_id"))
    data = {
        "form-TOTAL_FORMS": len(rows),
        "form-INITIAL_FORMS": len(rows),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = row.pk
        data[f"form-{i}-position"] = row.position
        if row.is_active and row.model_id != "dn/gpt-5.2":
            data[f"form-{i}-is_active"] = "on"
    response = admin_client.post(ADMIN, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    gpt = PlatformModel.objects.get(model_id="dn/gpt-5.2")
    assert gpt.is_active is False and gpt.retired_at is not None
    assert events() == [("dn/gpt-5.2", "removed", "admin", staff.email)]
