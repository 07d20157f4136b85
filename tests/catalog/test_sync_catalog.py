"""sync_catalog on the real LiteLLM cost map: counts, canonical ids, idempotency, bad input."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command

from catalog.models import CatalogModel, SyncRun
from catalog.providers import routable_provider
from catalog.sync import SNAPSHOT, read_file
from tests.helpers import SHARED_COST_MAP, real_cost_map

pytestmark = pytest.mark.django_db
REAL_MAP = real_cost_map()


def chat_entries(raw: bytes) -> dict[str, dict]:
    return {
        key: entry
        for key, entry in json.loads(raw).items()
        if key != "sample_spec" and entry.get("mode") in ("chat", "responses")
    }


def expected_ids(raw: bytes) -> set[str]:
    """One id per chat model: `provider/name`, where `name` drops a provider prefix the key
    already has (LiteLLM spells some with hyphens), so bare and prefixed keys are one model."""
    ids = set()
    for key, entry in chat_entries(raw).items():
        provider = routable_provider(entry["litellm_provider"])
        head, _, rest = key.partition("/")
        prefixed = rest and provider in (head, head.replace("-", "_"))
        ids.add(f"{provider}/{rest if prefixed else key}")
    return ids


EXPECTED = expected_ids(REAL_MAP.read_bytes())


def sync(*args) -> str:
    out = io.StringIO()
    call_command("sync_catalog", *args, stdout=out)
    return out.getvalue()


def test_real_cost_map_loads_one_row_per_chat_model_under_its_canonical_id():
    output = sync("--file", str(REAL_MAP))
    litellm = CatalogModel.objects.filter(source="litellm")  # OpenRouter's rows: own tests
    assert set(litellm.values_list("model_id", flat=True)) == EXPECTED
    assert f"{len(EXPECTED)} created, 0 updated, 0 retired" in output


def test_sync_reports_progress():
    assert "models checked" in sync("--file", str(REAL_MAP))


def test_only_chat_and_responses_models_are_kept():
    sync("--file", str(REAL_MAP))
    assert not CatalogModel.objects.exclude(mode__in=["chat", "responses"]).exists()


def test_second_sync_changes_nothing():
    sync("--file", str(REAL_MAP))
    before = list(CatalogModel.objects.values_list("model_id", "synced_at").order_by("model_id"))
    output = sync("--file", str(REAL_MAP))
    assert f"0 created, 0 updated, 0 retired, {len(EXPECTED)} unchanged" in output
    after = list(CatalogModel.objects.values_list("model_id", "synced_at").order_by("model_id"))
    assert before == after


def test_default_sync_loads_every_model_of_the_shipped_snapshot():
    sync()  # default source: the gzipped snapshot inside the project
    expected = expected_ids(read_file(SNAPSHOT))
    litellm = CatalogModel.objects.filter(source="litellm")
    assert set(litellm.values_list("model_id", flat=True)) == expected


def test_shipped_snapshot_holds_chat_models_only():
    data = json.loads(read_file(SNAPSHOT))
    assert data.keys() - {"sample_spec"} == chat_entries(read_file(SNAPSHOT)).keys()


@pytest.mark.skipif(
    not SHARED_COST_MAP.exists(),
    reason=f"{SHARED_COST_MAP} is absent: no real cost map to compare the shipped snapshot with",
)
def test_shipped_snapshot_is_the_real_maps_chat_models():
    assert chat_entries(read_file(SNAPSHOT)) == chat_entries(SHARED_COST_MAP.read_bytes())


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
    sync("--file", str(REAL_MAP))
    assert CatalogModel.objects.get(model_id=model_id).provider == provider


def test_no_row_keeps_litellms_internal_provider_groupings():
    sync("--file", str(REAL_MAP))
    assert not CatalogModel.objects.filter(provider__startswith="vertex_ai-").exists()
    assert not CatalogModel.objects.filter(provider="bedrock_converse").exists()


def test_fields_are_mapped_from_the_cost_map():
    sync("--file", str(REAL_MAP))
    opus = CatalogModel.objects.get(model_id="anthropic/claude-opus-4-5")
    entry = json.loads(REAL_MAP.read_text())["claude-opus-4-5"]
    assert opus.display_name == "Claude Opus 4.5"
    assert opus.context_window == entry["max_input_tokens"]
    assert opus.cost_input == pytest.approx(entry["input_cost_per_token"] * 1e6)
    assert opus.cost_output == pytest.approx(entry["output_cost_per_token"] * 1e6)
    assert opus.supports_vision is True and "vision" in opus.capabilities
    assert opus.open_weights is False
    assert CatalogModel.objects.get(model_id="azure_ai/gpt-oss-120b").open_weights is True


def test_models_that_disappear_are_retired_and_come_back(tmp_path):
    small = tmp_path / "small.json"
    entry = {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 1000}
    small.write_text(json.dumps({"gpt-a": entry, "gpt-b": entry}))
    sync("--file", str(small))
    small.write_text(json.dumps({"gpt-a": entry}))
    assert "0 created, 0 updated, 1 retired, 1 unchanged" in sync("--file", str(small))
    assert not CatalogModel.objects.get(model_id="openai/gpt-b").is_active
    small.write_text(json.dumps({"gpt-a": entry, "gpt-b": entry}))
    assert "0 created, 1 updated, 0 retired" in sync("--file", str(small))
    assert CatalogModel.objects.get(model_id="openai/gpt-b").is_active


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
    sync("--file", str(REAL_MAP))
    snapshot = list(CatalogModel.objects.values_list("model_id", "is_active", "display_name"))
    bad = tmp_path / "bad.json"
    bad.write_bytes(BAD_INPUTS[kind](REAL_MAP.read_bytes()))
    with pytest.raises(CommandError, match="Nothing was changed"):
        sync("--file", str(bad))
    assert list(CatalogModel.objects.values_list("model_id", "is_active", "display_name")) == (
        snapshot
    )
    assert SyncRun.objects.filter(kind="catalog", ok=False).count() == 1


def test_gzip_input_and_missing_file(tmp_path):
    packed = tmp_path / "map.json.gz"
    packed.write_bytes(gzip.compress(b'{"gpt-z": {"litellm_provider": "openai", "mode": "chat"}}'))
    sync("--file", str(packed))
    assert CatalogModel.objects.filter(model_id="openai/gpt-z").exists()
    with pytest.raises(CommandError, match="Couldn't read"):
        sync("--file", str(tmp_path / "missing.json"))


def test_url_source_with_retries(live_http):
    live_http.routes["/prices.json"] = [(503, b"busy"), (200, REAL_MAP.read_bytes())]
    output = sync("--url", live_http.url + "/prices.json")
    assert f"{len(EXPECTED)} created" in output
    live_http.routes["/gone.json"] = [(404, b"nope")]
    with pytest.raises(CommandError, match="Couldn't download"):
        sync("--url", live_http.url + "/gone.json")
