"""/inference, /inference/catalog, /inference/validate, /user/preferences, /user/secrets."""

from __future__ import annotations

import json

import pytest

from accounts.models import EnabledModel, Secret
from accounts.services import save_secret
from catalog.models import CatalogModel, PlatformModel
from orgs.models import Membership, Role
from tests.helpers import ApiClient, assert_envelope

pytestmark = pytest.mark.usefixtures("catalog")
OPUS = "anthropic/claude-opus-4-5"
VALUE = "sk-ant-api-plaintext-never-shown-42"
SLASHED = "openrouter/anthropic/claude-3.5-sonnet"


def test_inference_lists_only_permitted_platform_models(restricted, contributor):
    assert [m["id"] for m in ApiClient(restricted).get("/inference").json()["models"]] == [
        "dn/claude-opus-4-6"
    ]
    models = ApiClient(contributor).get("/inference").json()["models"]
    assert [m["id"] for m in models] == ["dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro"]
    assert all(m["is_system_model"] and m["provider"] == "dn" for m in models)


def test_catalog_search_with_filters(contributor):
    client = ApiClient(contributor)
    models = client.get("/inference/catalog", query="opus 4.5", limit=3).json()["models"]
    assert models[0]["id"] == OPUS and len(models) == 3
    assert set(models[0]) == {
        "id",
        "name",
        "provider",
        "context_window",
        "max_output",
        "cost_input",
        "cost_output",
        "capabilities",
        "modalities_input",
        "modalities_output",
        "knowledge_cutoff",
        "deprecation_date",
        "open_weights",
    }
    models = client.get(
        "/inference/catalog",
        query="claude",
        provider="anthropic",
        capabilities="vision,reasoning",
        min_context=100000,
        max_price=5,
        limit=100,
    ).json()["models"]
    assert models and all(
        m["provider"] == "anthropic"
        and {"vision", "reasoning"} <= set(m["capabilities"])
        and m["cost_input"] <= 5
        for m in models
    )
    featured = client.get("/inference/catalog").json()["models"]
    assert featured and OPUS in [m["id"] for m in featured]
    assert client.get("/inference/catalog", open_weights="true", query="llama").json()["models"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 10_000},
        {"min_context": -1},
        {"query": "x" * 10_000},
        {"open_weights": "maybe"},
    ],
)
def test_catalog_bad_params_are_422(contributor, params):
    assert_envelope(ApiClient(contributor).get("/inference/catalog", **params), 422)


def test_validate(contributor):
    client = ApiClient(contributor)
    assert client.post("/inference/validate", {"model_id": "openrouter/some/new-model"}).json() == {
        "valid": True,
        "model_id": "openrouter/some/new-model",
        "provider": "openrouter",
        "required_api_keys": ["OPENROUTER_API_KEY"],
        "error": None,
    }
    for bad in ("foo/bar", "dn/x", "", "a b", "x" * 9_000):
        body = client.post("/inference/validate", {"model_id": bad}).json()
        assert body["valid"] is False and body["error"]
    assert_envelope(client.post("/inference/validate", {"model_id": None}), 422)
    assert_envelope(client.post("/inference/validate", {}), 422)
    assert_envelope(client.post("/inference/validate", {"model_id": "x" * 10_001}), 422)


def test_preferences_picker_set_platform_first_with_key_readiness(restricted):
    EnabledModel.objects.create(user=restricted, model_id=OPUS, position=1)
    EnabledModel.objects.create(user=restricted, model_id="gemini/gemini-2.5-pro", position=2)
    save_secret(user=restricted, name="GOOGLE_API_KEY", value=VALUE)
    body = ApiClient(restricted).get("/user/preferences").json()
    assert body["enabled_model_ids"] == [OPUS, "gemini/gemini-2.5-pro"]
    assert body["access_restricted"] is True
    assert body["inference_credits_per_dollar"] == 100
    assert [m["id"] for m in body["models"]] == [
        "dn/claude-opus-4-6",
        OPUS,
        "gemini/gemini-2.5-pro",
    ]
    by_id = {m["id"]: m for m in body["models"]}
    assert by_id["dn/claude-opus-4-6"]["is_system_model"] is True
    assert by_id[OPUS]["has_required_keys"] is False
    assert by_id[OPUS]["required_api_keys"] == ["ANTHROPIC_API_KEY"]
    assert by_id["gemini/gemini-2.5-pro"]["has_required_keys"] is True  # either key will do
    assert VALUE not in str(body)


def test_access_restricted_is_false_exactly_for_null(contributor):
    assert ApiClient(contributor).get("/user/preferences").json()["access_restricted"] is False
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    body = ApiClient(contributor).get("/user/preferences").json()
    assert body["access_restricted"] is True
    assert [m for m in body["models"] if m["is_system_model"]] == []


def test_preferences_org_parameter(contributor, outsider, other_org):
    Membership.objects.create(
        org=other_org, user=contributor, role=Role.READER, allowed_model_ids=[]
    )
    client = ApiClient(contributor)
    assert client.get("/user/preferences", org="globex").json()["access_restricted"] is True
    assert client.get("/user/preferences", org="acme").json()["access_restricted"] is False
    assert_envelope(client.get("/user/preferences", org="initech"), 404)


def test_patch_preferences_replaces_the_list(contributor):
    client = ApiClient(contributor)
    body = client.patch(
        "/user/preferences", {"enabled_model_ids": ["openai/gpt-5.2", "Anthropic/Claude-Opus-4-5"]}
    ).json()
    assert body["enabled_model_ids"] == ["openai/gpt-5.2", OPUS]
    assert [m["id"] for m in body["models"]][-2:] == ["openai/gpt-5.2", OPUS]
    body = client.patch("/user/preferences", {"enabled_model_ids": [OPUS]}).json()
    assert body["enabled_model_ids"] == [OPUS]


def test_patch_reorders_the_list(contributor):
    ids = ["openai/gpt-5.2", OPUS, "gemini/gemini-2.5-pro"]
    for position, model_id in enumerate(ids, start=1):
        EnabledModel.objects.create(user=contributor, model_id=model_id, position=position)
    client = ApiClient(contributor)
    reordered = [ids[2], ids[0], ids[1]]
    body = client.patch("/user/preferences", {"enabled_model_ids": reordered}).json()
    assert body["enabled_model_ids"] == reordered
    assert client.get("/user/preferences").json()["enabled_model_ids"] == reordered


def _patch(client: ApiClient, ids: list[str], if_match: str):
    return client.client.patch(
        "/api/v1/user/preferences",
        data=json.dumps({"enabled_model_ids": ids}),
        content_type="application/json",
        headers={**client.headers, "If-Match": if_match},
    )


def test_preferences_etag_is_the_list_version(contributor):
    client = ApiClient(contributor)
    empty = client.get("/user/preferences")["ETag"]
    assert empty.startswith('"') and empty.endswith('"')
    patched = client.patch("/user/preferences", {"enabled_model_ids": [OPUS, "openai/gpt-5.2"]})
    assert patched["ETag"] not in (empty, None)
    assert client.get("/user/preferences")["ETag"] == patched["ETag"]
    reordered = client.patch("/user/preferences", {"enabled_model_ids": ["openai/gpt-5.2", OPUS]})
    assert reordered["ETag"] != patched["ETag"]


def test_patch_with_the_current_etag_applies(contributor):
    client = ApiClient(contributor)
    etag = client.get("/user/preferences")["ETag"]
    response = _patch(client, [OPUS], etag)
    assert response.status_code == 200 and response.json()["enabled_model_ids"] == [OPUS]
    assert response["ETag"] == client.get("/user/preferences")["ETag"] != etag


@pytest.mark.parametrize("form", ["{}", "W/{}", '"other", {}', "*"])
def test_if_match_accepts_weak_listed_and_star_forms(contributor, form):
    client = ApiClient(contributor)
    etag = client.get("/user/preferences")["ETag"]
    assert _patch(client, [OPUS], form.format(etag)).status_code == 200
    assert list(EnabledModel.objects.values_list("model_id", flat=True)) == [OPUS]


@pytest.mark.parametrize("stale", ["stale", '"stale"', 'W/"stale"', "", "\x00"])
def test_patch_with_a_stale_if_match_is_412_and_changes_nothing(contributor, stale):
    EnabledModel.objects.create(user=contributor, model_id="openai/gpt-5.2")
    client = ApiClient(contributor)
    current = client.get("/user/preferences")["ETag"]
    response = _patch(client, [OPUS], stale)
    body = assert_envelope(response, 412)
    assert "changed since you read them" in body["detail"]
    assert response["ETag"] == current
    assert list(EnabledModel.objects.values_list("model_id", flat=True)) == ["openai/gpt-5.2"]


def test_an_etag_read_before_another_edit_is_stale(contributor):
    client = ApiClient(contributor)
    etag = client.get("/user/preferences")["ETag"]
    client.post("/user/preferences/models", {"model_id": OPUS})
    assert_envelope(_patch(client, ["openai/gpt-5.2"], etag), 412)
    assert list(EnabledModel.objects.values_list("model_id", flat=True)) == [OPUS]


def test_post_adds_one_model_at_the_end(contributor):
    EnabledModel.objects.create(user=contributor, model_id="openai/gpt-5.2", position=1)
    client = ApiClient(contributor)
    response = client.post("/user/preferences/models", {"model_id": "anthropic/Claude-Opus-4-5"})
    assert response.status_code == 201
    assert response.json()["enabled_model_ids"] == ["openai/gpt-5.2", OPUS]
    assert response["ETag"] == client.get("/user/preferences")["ETag"]


@pytest.mark.parametrize(
    ("model_id", "status", "says"),
    [
        (OPUS, 409, "already in your models"),
        ("openai/nope-9", 422, "isn't in the catalog"),
        ("dn/claude-opus-4-6", 422, "platform models"),
        ("a b/c", 422, "spaces"),
        ("", 422, "Enter a model id"),
    ],
)
def test_post_refuses_duplicates_and_bad_ids(contributor, model_id, status, says):
    EnabledModel.objects.create(user=contributor, model_id=OPUS)
    body = assert_envelope(
        ApiClient(contributor).post("/user/preferences/models", {"model_id": model_id}), status
    )
    assert says in body["detail"]
    assert list(EnabledModel.objects.values_list("model_id", flat=True)) == [OPUS]


def test_post_with_an_unknown_org_changes_nothing(contributor):
    client = ApiClient(contributor)
    assert_envelope(client.post("/user/preferences/models", {"model_id": OPUS}, org="nope"), 404)
    assert not EnabledModel.objects.exists()


@pytest.mark.parametrize("path", [SLASHED, SLASHED.replace("/", "%2F")])
def test_delete_removes_a_model_whose_id_has_slashes(contributor, path):
    EnabledModel.objects.create(user=contributor, model_id=SLASHED, position=1)
    EnabledModel.objects.create(user=contributor, model_id=OPUS, position=2)
    client = ApiClient(contributor)
    response = client.delete(f"/user/preferences/models/{path}")
    assert response.status_code == 200 and response.json()["enabled_model_ids"] == [OPUS]
    assert response["ETag"] == client.get("/user/preferences")["ETag"]


def test_delete_of_a_model_not_in_the_list_is_404(contributor):
    EnabledModel.objects.create(user=contributor, model_id=OPUS)
    body = assert_envelope(
        ApiClient(contributor).delete(f"/user/preferences/models/{SLASHED}"), 404
    )
    assert SLASHED in body["detail"]
    assert EnabledModel.objects.count() == 1


def test_delete_refuses_an_empty_picker(contributor):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    EnabledModel.objects.create(user=contributor, model_id=OPUS)
    body = assert_envelope(ApiClient(contributor).delete(f"/user/preferences/models/{OPUS}"), 422)
    assert "no model at all" in body["detail"]
    assert EnabledModel.objects.count() == 1


@pytest.mark.parametrize(
    "ids",
    [
        ["dn/claude-opus-4-6"],
        ["openai/nope-9"],
        ["a b/c"],
        ["x" * 10_000],
        [OPUS, OPUS],
        ["ünï/cödé"],
        ["foo/bar"],
    ],
)
def test_patch_preferences_refuses_bad_ids_and_changes_nothing(contributor, ids):
    EnabledModel.objects.create(user=contributor, model_id="openai/gpt-5.2")
    assert_envelope(
        ApiClient(contributor).patch("/user/preferences", {"enabled_model_ids": ids}), 422
    )
    assert list(EnabledModel.objects.values_list("model_id", flat=True)) == ["openai/gpt-5.2"]


def test_patch_preferences_refuses_201_models(contributor):
    ids = list(CatalogModel.objects.values_list("model_id", flat=True)[:201])
    body = assert_envelope(
        ApiClient(contributor).patch("/user/preferences", {"enabled_model_ids": ids}), 422
    )
    assert "At most 200" in body["detail"]
    assert not EnabledModel.objects.exists()


def test_patch_refuses_an_empty_picker(contributor):
    Membership.objects.filter(user=contributor).update(allowed_model_ids=[])
    EnabledModel.objects.create(user=contributor, model_id=OPUS)
    body = assert_envelope(
        ApiClient(contributor).patch("/user/preferences", {"enabled_model_ids": []}), 422
    )
    assert "no model at all" in body["detail"]


def test_secrets_crud_never_returns_the_value(contributor, reader):
    client = ApiClient(contributor)
    response = client.post("/user/secrets", {"name": "anthropic_api_key", "value": VALUE})
    assert response.status_code == 201
    secret = response.json()
    assert set(secret) == {"id", "name", "provider", "masked_value", "created_at", "updated_at"}
    assert secret["name"] == "ANTHROPIC_API_KEY" and secret["masked_value"] == "sk••••42"
    assert_envelope(
        client.post("/user/secrets", {"name": "ANTHROPIC_API_KEY", "value": "x" * 20}), 409
    )
    listing = client.get("/user/secrets").json()
    assert listing["total"] == 1 and listing["secrets"][0]["id"] == secret["id"]
    assert client.get(f"/user/secrets/{secret['id']}").json()["name"] == "ANTHROPIC_API_KEY"
    replaced = client.put(f"/user/secrets/{secret['id']}", {"value": "sk-new-value-000777"}).json()
    assert replaced["masked_value"] == "sk••••77"
    for response in (client.get("/user/secrets"), client.get(f"/user/secrets/{secret['id']}")):
        assert VALUE not in response.content.decode()
        assert "sk-new-value-000777" not in response.content.decode()
    # Another user's id is not found.
    assert_envelope(ApiClient(reader).get(f"/user/secrets/{secret['id']}"), 404)
    assert_envelope(ApiClient(reader).delete(f"/user/secrets/{secret['id']}"), 404)
    assert client.delete(f"/user/secrets/{secret['id']}").status_code == 204
    assert not Secret.objects.exists()
    assert_envelope(client.get("/user/secrets/not-a-uuid"), 422)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "1BAD", "value": "v" * 20},
        {"name": "OK", "value": ""},
        {"name": "OK"},
        {"name": None, "value": "x"},
        {"name": "A" * 200, "value": "x" * 20},
        {"name": "OK", "value": "x" * 10_001},
        {"name": "OK", "value": 12345},
    ],
)
def test_secret_bad_bodies_are_422(contributor, body):
    assert_envelope(ApiClient(contributor).post("/user/secrets", body), 422)
    assert not Secret.objects.exists()


def test_presets(contributor):
    client = ApiClient(contributor)
    presets = client.get("/user/secrets/presets").json()["presets"]
    anthropic = next(p for p in presets if p["provider"] == "anthropic")
    assert anthropic == {
        "provider": "anthropic",
        "env_var_name": "ANTHROPIC_API_KEY",
        "configured": False,
    }
    response = client.post("/user/secrets/preset", {"provider": "anthropic", "value": VALUE})
    assert response.status_code == 201 and response.json()["name"] == "ANTHROPIC_API_KEY"
    presets = client.get("/user/secrets/presets").json()["presets"]
    assert next(p for p in presets if p["provider"] == "anthropic")["configured"] is True
    assert_envelope(client.post("/user/secrets/preset", {"provider": "nope", "value": VALUE}), 422)


def _grow(user, n: int) -> None:
    ids = CatalogModel.objects.values_list("model_id", flat=True)[:n]
    EnabledModel.objects.bulk_create(
        EnabledModel(user=user, model_id=m, position=i) for i, m in enumerate(ids)
    )
    for i in range(n):
        save_secret(user=user, name=f"SECRET_{i}", value=VALUE)
    PlatformModel.objects.bulk_create(
        PlatformModel(model_id=f"dn/extra-{n}-{i}", display_name="x", position=10 + i)
        for i in range(n)
    )


@pytest.mark.parametrize("n", [1, 30])
def test_query_counts_are_constant(contributor, django_assert_num_queries, n):
    client = ApiClient(contributor)
    client.get("/user/secrets")  # records last use once
    _grow(contributor, n)
    # The key's holder is read once more (the first use bumped their version), then kept.
    counts = {
        "/inference": 2,
        "/user/preferences": 1,
        "/user/secrets": 1,
        "/user/secrets/presets": 1,
        "/inference/catalog": 1,
    }
    for path, expected in counts.items():
        with django_assert_num_queries(expected):
            assert client.get(path).status_code == 200
    with django_assert_num_queries(8):
        assert client.patch("/user/preferences", {"enabled_model_ids": [OPUS]}).status_code == 200
    with django_assert_num_queries(11):
        response = client.post("/user/preferences/models", {"model_id": "openai/gpt-5.2"})
        assert response.status_code == 201
    with django_assert_num_queries(7):
        assert client.delete(f"/user/preferences/models/{OPUS}").status_code == 200
