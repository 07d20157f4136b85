"""sync_catalog over a catalog that holds the real LiteLLM cost map already, synced once for the
module (each test's own writes roll back): the rows it made, a second sync that changes
nothing, and bad input that changes nothing."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError

from catalog.models import CatalogModel, SyncRun
from tests.catalog.test_sync_catalog import EXPECTED, REAL_MAP, sync

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def synced(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        sync("--file", str(REAL_MAP))
    yield
    with django_db_blocker.unblock():
        CatalogModel.objects.all().delete()
        SyncRun.objects.all().delete()


def test_sync_reports_progress():
    assert "models checked" in sync("--file", str(REAL_MAP))


def test_only_chat_and_responses_models_are_kept():
    assert not CatalogModel.objects.exclude(mode__in=["chat", "responses"]).exists()


def test_second_sync_changes_nothing():
    before = list(CatalogModel.objects.values_list("model_id", "synced_at").order_by("model_id"))
    output = sync("--file", str(REAL_MAP))
    assert f"0 created, 0 updated, 0 retired, {len(EXPECTED)} unchanged" in output
    after = list(CatalogModel.objects.values_list("model_id", "synced_at").order_by("model_id"))
    assert before == after


@pytest.mark.parametrize(
    ("model_id", "provider"),
    [
        ("deepseek/deepseek-chat", "deepseek"),  # bare and prefixed keys: one row
        ("vertex_ai/claude-opus-4-5", "vertex_ai"),  # vertex_ai-anthropic_models grouping
        ("vertex_ai/gemini-2.5-pro", "vertex_ai"),  # vertex_ai-language-models, bare key
        ("amazon_nova/nova-pro-v1", "amazon_nova"),  # key prefixed "amazon-nova/"
        ("bedrock/us.writer.palmyra-x4-v1:0", "bedrock"),  # bedrock_converse grouping
        ("anthropic/claude-opus-4-5", "anthropic"),
    ],
)
def test_canonical_ids_are_ones_litellm_routes(model_id, provider):
    assert CatalogModel.objects.get(model_id=model_id).provider == provider


def test_no_row_keeps_litellms_internal_provider_groupings():
    assert not CatalogModel.objects.filter(provider__startswith="vertex_ai-").exists()
    assert not CatalogModel.objects.filter(provider="bedrock_converse").exists()


def test_fields_are_mapped_from_the_cost_map():
    opus = CatalogModel.objects.get(model_id="anthropic/claude-opus-4-5")
    entry = json.loads(REAL_MAP.read_text())["claude-opus-4-5"]
    assert opus.display_name == "Claude Opus 4.5"
    assert opus.context_window == entry["max_input_tokens"]
    assert opus.cost_input == pytest.approx(entry["input_cost_per_token"] * 1e6)
    assert opus.cost_output == pytest.approx(entry["output_cost_per_token"] * 1e6)
    assert opus.supports_vision is True and "vision" in opus.capabilities
    assert opus.open_weights is False
    assert CatalogModel.objects.get(model_id="azure_ai/gpt-oss-120b").open_weights is True


BAD_INPUTS = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "array": lambda raw: b"[1, 2, 3]",
    "empty object": lambda raw: b"{}",
    "empty file": lambda raw: b"",
    "wrong type": lambda raw: json.dumps(
        {"gpt-x": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": "lots"}}
        | json.loads(raw)
    ).encode(),
    "entry not an object": lambda raw: json.dumps({"gpt-x": 5} | json.loads(raw)).encode(),
    "bad capability flag": lambda raw: json.dumps(
        {"gpt-y": {"litellm_provider": "openai", "mode": "chat", "supports_vision": "yes"}}
    ).encode(),
}


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_malformed_input_changes_nothing_and_fails(tmp_path, kind):
    snapshot = list(CatalogModel.objects.values_list("model_id", "is_active", "display_name"))
    bad = tmp_path / "bad.json"
    bad.write_bytes(BAD_INPUTS[kind](REAL_MAP.read_bytes()))
    with pytest.raises(CommandError, match="Nothing was changed"):
        sync("--file", str(bad))
    assert list(CatalogModel.objects.values_list("model_id", "is_active", "display_name")) == (
        snapshot
    )
    assert SyncRun.objects.filter(kind="catalog", ok=False).count() == 1
