"""sync_catalog on the real LiteLLM cost map: counts, canonical ids, idempotency, bad input."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command

from catalog.models import CatalogModel
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
