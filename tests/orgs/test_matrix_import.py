"""Import from the matrix page: a preview of the diff (or the rows refused), then Confirm;
and the management commands that share the same module."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from orgs.models import Membership, ModelAccessEvent

pytestmark = pytest.mark.django_db

PAGE = "/orgs/acme/access/"
HEADER = "email,role,allowed_model_ids\n"


def access(email):
    return Membership.objects.get(user__email=email, org__slug="acme").allowed_model_ids


def upload(client, text: str, name: str = "access.csv", **headers):
    return client.post(
        PAGE + "import/", {"file": SimpleUploadedFile(name, text.encode())}, **headers
    ).content.decode()


def hidden(html: str, name: str) -> str:
    import html as html_lib

    return html_lib.unescape(re.search(rf'name="{name}" value="([^"]*)"', html).group(1))


def test_import_previews_the_diff_and_confirm_applies_it(
    client, owner, contributor, restricted, platform_models
):
    client.force_login(owner)
    text = (
        HEADER
        + "member@example.com,contributor,dn/gpt-5.2\n"
        + "restricted@example.com,contributor,dn/claude-opus-4-6\n"
    )
    html = upload(client, text, HTTP_HX_REQUEST="true")
    assert "Import preview: nothing is saved yet" in html and "Changes for 1 member" in html
    assert access("member@example.com") is None
    data = {k: hidden(html, k) for k in ("format", "content", "versions")}
    assert data["content"] == text
    response = client.post(PAGE + "import/apply/", data)
    assert response.status_code == 302
    assert access("member@example.com") == ["dn/gpt-5.2"]
    (event,) = ModelAccessEvent.objects.all()
    assert (event.via, event.actor) == ("import", owner)


def test_import_preview_lists_bad_rows_and_offers_no_confirm(
    client, owner, contributor, platform_models
):
    client.force_login(owner)
    html = upload(client, HEADER + "nobody@example.com,reader,*\nmember@example.com,,dn/x\n")
    assert "2 bad rows" in html and "Unknown email" in html and "Unknown model: dn/x" in html
    assert "Confirm import" not in html


def test_import_refused_when_access_changed_since_the_preview(
    client, owner, contributor, platform_models
):
    client.force_login(owner)
    html = upload(client, HEADER + "member@example.com,contributor,\n")
    data = {k: hidden(html, k) for k in ("format", "content", "versions")}
    Membership.objects.filter(user=contributor).update(access_version=5)
    client.post(PAGE + "import/apply/", data)
    assert access("member@example.com") is None
    assert ModelAccessEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [("{", "a.json", "not valid JSON"), ("x" * 300_000, "a.csv", "can&#x27;t be imported here")],
)
def test_unreadable_uploads_are_explained(client, owner, text, name, message):
    client.force_login(owner)
    assert message in upload(client, text, name)


def test_commands_round_trip_without_changes(
    owner, contributor, restricted, platform_models, tmp_path
):
    for fmt in ("json", "csv"):
        out = io.StringIO()
        call_command("export_model_access", "acme", format=fmt, stdout=out)
        path = tmp_path / f"access.{fmt}"
        path.write_text(out.getvalue())
        printed = io.StringIO()
        call_command("import_model_access", "acme", str(path), stdout=printed)
        assert "Changed model access for 0 members." in printed.getvalue()
    assert ModelAccessEvent.objects.count() == 0


def test_import_command_dry_run_then_apply_with_actor(
    owner, contributor, platform_models, tmp_path
):
    path = tmp_path / "access.json"
    path.write_text(
        json.dumps({"members": [{"email": "member@example.com", "allowed_model_ids": []}]})
    )
    out = io.StringIO()
    call_command("import_model_access", "acme", str(path), dry_run=True, stdout=out)
    assert "member@example.com: null -> []" in out.getvalue()
    assert access("member@example.com") is None
    call_command("import_model_access", "acme", str(path), actor="owner@example.com", stdout=out)
    assert access("member@example.com") == []
    (event,) = ModelAccessEvent.objects.all()
    assert (event.via, event.actor) == ("import", owner)


def test_import_command_fails_on_bad_rows(owner, contributor, platform_models, tmp_path):
    path = tmp_path / "access.csv"
    path.write_text(HEADER + "owner@example.com,owner,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad rows"):
        call_command("import_model_access", "acme", str(path), stderr=err)
    assert "row 2 owner@example.com: Owners always" in err.getvalue()  # the header is row 1


def test_import_command_without_actor_records_none(owner, contributor, platform_models, tmp_path):
    path = tmp_path / "access.csv"
    path.write_text(HEADER + "member@example.com,contributor,dn/gpt-5.2\n")
    call_command("import_model_access", "acme", str(path), stdout=io.StringIO())
    assert ModelAccessEvent.objects.get().actor is None
