"""Bad input to the SCIM endpoints: a SCIM error body with the right status, never a 500,
and nothing changed."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scim.models import ScimToken
from tests.scim.conftest import PATCH_OP, USER, Scim, assert_scim_error

pytestmark = pytest.mark.django_db
VOLATILE = {"last_login", "last_used_at", "updated_at"}


def snapshot() -> dict:
    return {
        model._meta.label: [
            {k: v for k, v in row.items() if k not in VOLATILE}
            for row in model.objects.order_by("pk").values()
        ]
        for app in ("accounts", "orgs", "scim")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture
def world(scim, org, owner):
    """A provisioned person in a provisioned group."""
    user_id = scim.post("/Users", {"schemas": [USER], "userName": "ada@example.com"}).json()["id"]
    group_id = scim.post("/Groups", {"displayName": "R", "members": [{"value": user_id}]}).json()[
        "id"
    ]
    return {"user": f"/Users/{user_id}", "group": f"/Groups/{group_id}", "user_id": user_id}


def op(**fields):
    return {"schemas": [PATCH_OP], "Operations": [fields]}


REFUSED = [
    # (method, path key, body, status, scimType)
    ("POST", "/Users", "{not json", 400, "invalidSyntax"),
    ("POST", "/Users", "[1, 2]", 400, "invalidValue"),
    ("POST", "/Users", {"schemas": [USER], "userName": 5}, 400, "invalidValue"),
    ("POST", "/Users", {"schemas": [USER], "favoriteColor": "red"}, 400, "invalidValue"),
    ("POST", "/Users", {"userName": "x@example.com", "active": "maybe"}, 400, "invalidValue"),
    ("POST", "/Users", {"userName": "x@example.com", "name": "Ada"}, 400, "invalidValue"),
    ("POST", "/Users", {"userName": "x@example.com", "emails": "x"}, 400, "invalidValue"),
    ("POST", "/Users", {"userName": "x@ex\u0000ample.com"}, 400, "invalidValue"),
    ("POST", "/Users", "[" * 100_000 + "]" * 100_000, 400, None),
    ("POST", "/Groups", {"displayName": "R"}, 409, "uniqueness"),
    ("POST", "/Groups", {"displayName": ""}, 400, "invalidValue"),
    ("POST", "/Groups", {"displayName": "G", "members": "x"}, 400, "invalidValue"),
    ("POST", "/Groups", {"displayName": "G", "members": [{"value": "nope"}]}, 400, "invalidValue"),
    ("PUT", "user", {"userName": "eve@example.com"}, 400, "mutability"),
    ("PUT", "group", {"displayName": "R", "members": [{"value": 7}]}, 400, "invalidValue"),
    ("PATCH", "user", {"Operations": [{"op": "add", "path": "displayName"}]}, 400, "invalidSyntax"),
    ("PATCH", "user", op(op="frobnicate", path="displayName", value="x"), 400, "invalidSyntax"),
    ("PATCH", "user", op(op="add", path="favoriteColor", value="red"), 400, "invalidPath"),
    ("PATCH", "user", op(op="add", path="urn:acme:Thing:x", value="red"), 400, "invalidPath"),
    ("PATCH", "user", op(op="add", path="name[[", value="x"), 400, "invalidPath"),
    ("PATCH", "user", op(op="add", path="active.value", value="x"), 400, "invalidPath"),
    ("PATCH", "user", op(op="remove"), 400, "noTarget"),
    ("PATCH", "user", op(op="replace", path="active", value=3), 400, "invalidValue"),
    ("PATCH", "user", op(op="replace", path="displayName", value="a\u0000b"), 400, "invalidValue"),
    ("PATCH", "user", op(op="replace", value="not an object"), 400, "invalidValue"),
    ("PATCH", "group", op(op="add", path="members", value=[{"value": "x"}]), 400, "invalidValue"),
    ("PATCH", "group", op(op="add", path="members[value eq 1]", value={}), 400, "invalidPath"),
    ("PATCH", "group", op(op="remove", path='members[value eq "\\x"]'), 400, "invalidPath"),
    ("PATCH", "group", op(op="replace", path="displayName", value=None), 400, "invalidValue"),
]


@pytest.mark.parametrize(("method", "where", "body", "status", "scim_type"), REFUSED)
def test_refused_and_nothing_changed(scim, world, method, where, body, status, scim_type):
    before = snapshot()
    path = world.get(where, where)
    assert_scim_error(scim.call(method, path, body), status, scim_type)
    assert snapshot() == before


def test_a_long_filter_is_refused(scim, world):
    long = 'userName eq "' + "a" * 10_000 + '"'
    assert_scim_error(scim.get("/Users", filter=long), 400, "invalidFilter")
    assert_scim_error(scim.get("/Users", filter='userName eq "\\x"'), 400, "invalidFilter")
    assert scim.get("/Groups", filter='id eq "²"').json()["totalResults"] == 0
    for bad in ('userName co "a"', 'userName eq "a" and', "userName eq", 'nope eq "a"', ""):
        assert_scim_error(scim.get("/Users", filter=bad), 400, "invalidFilter")
    assert_scim_error(scim.get("/Groups", filter='name eq "R"'), 400, "invalidFilter")
    assert_scim_error(scim.get("/Users", startIndex="one"), 400, "invalidValue")


def test_a_nul_byte_in_the_url_is_refused_as_scim(scim, world):
    assert_scim_error(scim.get("/Users", filter='userName eq "a\u0000"'), 400)
    assert_scim_error(scim.client.get(scim.base + "/Users/a%00b"), 400)


def test_a_huge_body_is_refused(scim, world):
    before = snapshot()
    huge = {"schemas": [USER], "userName": "big@example.com", "displayName": "x" * 300_000}
    assert_scim_error(scim.post("/Users", huge), 413)
    assert snapshot() == before


def test_tokens_that_dont_open_this_org(org, other_org, world, token):
    theirs = ScimToken.issue(org=other_org, name="theirs")[1]
    revoked, raw = ScimToken.issue(org=org, name="old")
    ScimToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    before = snapshot()
    body = {"schemas": [USER], "userName": "new@example.com"}
    for slug, secret in [("acme", theirs), ("acme", raw), ("acme", "dns_nope"), ("nope", token)]:
        assert_scim_error(Scim(slug, secret).post("/Users", body), 401)
        assert_scim_error(Scim(slug, secret).get(world["user"]), 401)
    anonymous = Scim("acme", "")
    anonymous.client = type(anonymous.client)()
    assert_scim_error(anonymous.get("/Users"), 401)
    basic = Scim("acme", token)
    basic.client = type(basic.client)(HTTP_AUTHORIZATION=f"Basic {token}")
    assert_scim_error(basic.get("/Users"), 401)
    assert snapshot() == before


def test_unknown_paths_and_methods_answer_scim_errors(scim, world):
    assert_scim_error(scim.get("/Nope"), 404)
    assert_scim_error(scim.get("/Users/not-a-uuid"), 404)
    assert_scim_error(scim.get("/Groups/12345678901234567890"), 404)
    assert_scim_error(scim.get("/Groups/²"), 404)
    assert_scim_error(scim.get("/Schemas/urn:nope"), 404)
    assert_scim_error(scim.get("/ResourceTypes/Nope"), 404)
    response = assert_scim_error(scim.call("POST", "/ServiceProviderConfig", {}), 405)
    assert response["status"] == "405"
    assert scim.call("PUT", "/Users", {}).get("Allow") == "GET, POST"


def test_another_orgs_people_and_groups_are_not_found(scim, world, other_org):
    theirs = Scim(other_org.slug, ScimToken.issue(org=other_org, name="x")[1])
    assert_scim_error(theirs.get(world["user"]), 404)
    assert_scim_error(theirs.delete(world["group"]), 404)
    assert theirs.get("/Users").json()["totalResults"] == 0
    add = op(op="add", path="members", value=[{"value": world["user_id"]}])
    group_id = theirs.post("/Groups", {"displayName": "Theirs"}).json()["id"]
    assert_scim_error(theirs.call("PATCH", f"/Groups/{group_id}", add), 400, "invalidValue")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)
OPERATION = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "Replace", "remove", "x"]) | JSON},
    optional={
        "path": st.sampled_from(
            [
                "members",
                "displayName",
                "active",
                "emails",
                'emails[type eq "work"].value',
                "name.givenName",
                "externalId",
            ]
        )
        | JSON,
        "value": JSON,
    },
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    operations=st.lists(OPERATION, min_size=1, max_size=3), where=st.sampled_from(["user", "group"])
)
def test_any_patch_gets_a_scim_answer_never_a_500(scim, world, operations, where):
    response = scim.call("PATCH", world[where], {"schemas": [PATCH_OP], "Operations": operations})
    assert response.status_code in (200, 400, 409), response.content
    assert response["Content-Type"].startswith("application/scim+json")
    if response.status_code != 200:
        assert json.loads(response.content)["scimType"]


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSON, where=st.sampled_from(["/Users", "/Groups", "user", "group"]))
def test_any_body_gets_a_scim_answer_never_a_500(scim, world, body, where):
    method = "POST" if where.startswith("/") else "PUT"
    response = scim.call(method, world.get(where, where), json.dumps(body))
    assert response.status_code in (200, 201, 400, 409), response.content
    assert response["Content-Type"].startswith("application/scim+json")


def test_scim_needs_no_csrf_token(org, token):
    scim = Scim(org.slug, token)
    scim.client = type(scim.client)(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (
        scim.post("/Users", {"schemas": [USER], "userName": "ada@example.com"}).status_code == 201
    )
