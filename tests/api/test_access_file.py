"""Model access as a file over the API: export, import with a dry run, per-row errors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from orgs.models import Membership, ModelAccessEvent
from tests.helpers import ApiClient, add_members, assert_envelope

pytestmark = pytest.mark.django_db

EXPORT = "/org/acme/model-access/export"
IMPORT = "/org/acme/model-access/import"


@pytest.fixture
def people(owner, contributor, restricted, reader):
    Membership.objects.filter(user=reader).update(allowed_model_ids=[])
    return owner


def access(email):
    return Membership.objects.get(user__email=email, org__slug="acme").allowed_model_ids


def post_file(client: ApiClient, content: str, content_type: str, **params):
    url = "/api/v1" + IMPORT + ("?" + "&".join(f"{k}={v}" for k, v in params.items()))
    return client.client.post(url, content, content_type=content_type, headers=client.headers)


def import_json(client, members, **params):
    return post_file(client, json.dumps({"members": members}), "application/json", **params)


ENDPOINTS = {
    "export": lambda c: c.get(EXPORT),
    "import": lambda c: import_json(c, [], dry_run="false"),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_gets_401(people, endpoint):
    assert_envelope(ENDPOINTS[endpoint](ApiClient()), 401)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_outsider_gets_404(people, outsider, endpoint):
    assert_envelope(ENDPOINTS[endpoint](ApiClient(outsider)), 404)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", ["contributor", "reader"])
def test_non_owner_gets_403(request, people, persona, endpoint):
    assert_envelope(ENDPOINTS[endpoint](ApiClient(request.getfixturevalue(persona))), 403)


@pytest.mark.parametrize(("path", "method"), [(EXPORT, "post"), (IMPORT, "get"), (IMPORT, "put")])
def test_other_methods_get_405(people, path, method):
    assert_envelope(ApiClient(people).call(method, path, {}), 405)


def test_session_import_without_csrf_token_is_refused(people, restricted):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people)
    response = client.post(
        "/api/v1" + IMPORT + "?dry_run=false",
        json.dumps({"members": [{"email": "restricted@example.com", "allowed_model_ids": None}]}),
        content_type="application/json",
    )
    assert_envelope(response, 403)
    assert access("restricted@example.com") == ["dn/claude-opus-4-6"]


def test_json_export_keeps_null_empty_and_lists_apart(people):
    response = ApiClient(people).get(EXPORT, format="json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    rows = {r["email"]: r for r in response.json()["members"]}
    assert rows["owner@example.com"] == {
        "email": "owner@example.com",
        "role": "owner",
        "allowed_model_ids": None,
    }
    assert rows["reader@example.com"]["allowed_model_ids"] == []
    assert rows["restricted@example.com"]["allowed_model_ids"] == ["dn/claude-opus-4-6"]


def test_csv_export_writes_star_empty_and_ids(people, platform_models):
    Membership.objects.filter(user__email="restricted@example.com").update(
        allowed_model_ids=["dn/claude-opus-4-6", "dn/gpt-5.2"]
    )
    response = ApiClient(people).get(EXPORT, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "email,role,allowed_model_ids",
        "member@example.com,contributor,*",
        "owner@example.com,owner,*",
        "reader@example.com,reader,",
        "restricted@example.com,contributor,dn/claude-opus-4-6 dn/gpt-5.2",
    ]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_changes_nothing_and_audits_nothing(people, platform_models, fmt):
    client = ApiClient(people)
    exported = client.get(EXPORT, format=fmt).content.decode()
    kind = "text/csv" if fmt == "csv" else "application/json"
    response = post_file(client, exported, kind, dry_run="false")
    assert response.status_code == 200, response.content
    assert response.json() == {"dry_run": False, "applied": 0, "changes": []}
    assert ModelAccessEvent.objects.count() == 0


def test_csv_import_reads_star_empty_and_lists_apart(people, platform_models):
    csv = (
        "email,role,allowed_model_ids\n"
        "member@example.com,contributor,\n"
        "reader@example.com,reader,*\n"
        "restricted@example.com,contributor,dn/gpt-5.2;dn/gemini-3-pro\n"
    )
    response = post_file(ApiClient(people), csv, "text/csv", dry_run="false")
    assert response.status_code == 200, response.content
    assert response.json()["applied"] == 3
    assert access("member@example.com") == []
    assert access("reader@example.com") is None
    assert access("restricted@example.com") == ["dn/gpt-5.2", "dn/gemini-3-pro"]


def test_import_answers_the_diff_and_audits_each_member_as_import(people, platform_models):
    members = [
        {"email": "member@example.com", "role": "contributor", "allowed_model_ids": ["dn/gpt-5.2"]},
        {"email": "reader@example.com", "role": "reader", "allowed_model_ids": []},
    ]
    body = import_json(ApiClient(people), members, dry_run="false").json()
    assert body == {
        "dry_run": False,
        "applied": 1,
        "changes": [{"email": "member@example.com", "before": None, "after": ["dn/gpt-5.2"]}],
    }
    (event,) = ModelAccessEvent.objects.all()
    assert (event.via, event.actor, event.member_email) == ("import", people, "member@example.com")
    # Members the file doesn't name keep their access.
    assert access("restricted@example.com") == ["dn/claude-opus-4-6"]


def test_dry_run_changes_nothing(people, platform_models):
    members = [{"email": "member@example.com", "allowed_model_ids": []}]
    for params in ({}, {"dry_run": "true"}):
        body = import_json(ApiClient(people), members, **params).json()
        assert body["dry_run"] is True and body["applied"] == 0
        assert body["changes"] == [{"email": "member@example.com", "before": None, "after": []}]
    assert access("member@example.com") is None
    assert ModelAccessEvent.objects.count() == 0


BAD_ROWS = {
    "unknown email": (
        {"email": "nobody@example.com", "allowed_model_ids": None},
        "Unknown email",
    ),
    "outsider": ({"email": "outsider@example.com", "allowed_model_ids": None}, "Unknown email"),
    "unknown model": (
        {"email": "member@example.com", "allowed_model_ids": ["dn/nope"]},
        "Unknown model: dn/nope",
    ),
    "owner restricted": (
        {"email": "owner@example.com", "allowed_model_ids": []},
        "Owners always have every platform model",
    ),
    "malformed ids": ({"email": "member@example.com", "allowed_model_ids": "x"}, "Malformed"),
    "malformed email": ({"email": 3, "allowed_model_ids": None}, "Malformed"),
    "malformed role": (
        {"email": "member@example.com", "role": "boss", "allowed_model_ids": None},
        "Malformed",
    ),
    "not an object": ([], "Malformed"),
}


@pytest.mark.parametrize("kind", BAD_ROWS)
def test_a_bad_row_refuses_the_whole_file(people, platform_models, outsider, kind):
    row, message = BAD_ROWS[kind]
    good = {"email": "reader@example.com", "allowed_model_ids": None}
    response = import_json(ApiClient(people), [good, row], dry_run="false")
    body = assert_envelope(response, 422)
    (error,) = body["errors"]
    assert error["row"] == 2 and message in error["error"] and error["loc"] == ["body", 2]
    assert access("reader@example.com") == []
    assert ModelAccessEvent.objects.count() == 0


def test_duplicate_email_is_refused(people, platform_models):
    rows = [{"email": "member@example.com", "allowed_model_ids": []}] * 2
    body = assert_envelope(import_json(ApiClient(people), rows), 422)
    assert [(e["row"], e["email"]) for e in body["errors"]] == [(2, "member@example.com")]
    assert "Duplicate" in body["errors"][0]["error"]


def test_a_model_no_longer_deployed_may_stay_in_that_members_list(people, platform_models):
    platform_models[0].is_active = False
    platform_models[0].save()
    kept = ["dn/claude-opus-4-6", "dn/gpt-5.2"]
    rows = [{"email": "restricted@example.com", "allowed_model_ids": kept}]
    response = import_json(ApiClient(people), rows, dry_run="false")
    assert response.status_code == 200, response.content
    other = [{"email": "member@example.com", "allowed_model_ids": ["dn/claude-opus-4-6"]}]
    assert_envelope(import_json(ApiClient(people), other), 422)


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("{", "application/json"),
        ('["x"]', "application/json"),
        ("email,allowed_model_ids\n", "text/csv"),
        ("\udcff", "text/csv"),
    ],
)
def test_unreadable_files_are_422(people, body, kind):
    response = post_file(ApiClient(people), body.encode("utf-8", "surrogateescape"), kind)
    assert_envelope(response, 422)


def test_bad_csv_row_is_named(people, platform_models):
    csv = "email,role,allowed_model_ids\nmember@example.com,contributor,*,extra\n"
    body = assert_envelope(post_file(ApiClient(people), csv, "text/csv"), 422)
    # Numbered as a spreadsheet shows it: the header is row 1.
    assert body["errors"][0]["row"] == 2 and "Malformed" in body["errors"][0]["error"]


def test_export_queries_are_constant(people, org, django_assert_num_queries):
    client = ApiClient(people)
    client.get(EXPORT)  # the key's first use records it: a write the second call skips
    client.get(EXPORT)  # ... and reads its holder again, kept from then on
    with django_assert_num_queries(1):
        client.get(EXPORT)
    add_members(org, 60)
    with django_assert_num_queries(1):
        client.get(EXPORT)


def test_a_member_changed_while_importing_refuses_everything(people, platform_models, monkeypatch):
    from django.db.models import F

    from orgs import access_io

    real_plan = access_io.plan

    def plan_then_someone_edits(org, rows):
        result = real_plan(org, rows)
        Membership.objects.filter(user__email="reader@example.com").update(
            access_version=F("access_version") + 1
        )
        return result

    monkeypatch.setattr(access_io, "plan", plan_then_someone_edits)
    rows = [
        {"email": "member@example.com", "allowed_model_ids": []},
        {"email": "reader@example.com", "allowed_model_ids": None},
    ]
    body = assert_envelope(import_json(ApiClient(people), rows, dry_run="false"), 409)
    assert "reader@example.com" in body["detail"]
    assert access("member@example.com") is None and access("reader@example.com") == []
    assert ModelAccessEvent.objects.count() == 0
