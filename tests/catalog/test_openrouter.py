"""OpenRouter's models as the catalog's second source: ids, skips, variants, sync, search."""

from __future__ import annotations

import gzip
import io
import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from accounts.views.chat_models import provider_choices
from catalog.models import CatalogModel, SyncRun
from catalog.openrouter import SNAPSHOT, parse_openrouter, vendor_for
from catalog.search import parse_query, search_catalog
from catalog.sync import read_file

pytestmark = pytest.mark.django_db

ENTRY = {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 1000}


def snapshot(*models: dict) -> bytes:
    return json.dumps({"source": "tests", "models": list(models)}).encode()


def model(model_id: str, **extra) -> dict:
    return {"id": model_id, "input_mtok": 1.0, "output_mtok": 2.0, **extra}


SMALL = snapshot(
    model("openai/gpt-4o", name="GPT-4o", context_window=128000),
    model("gpt-4o"),  # also listed with its vendor: one row
    model("claude-3-opus"),
    model("gemini-2.0-flash-001"),
    model("llama-3.1-405b-instruct"),
    model("llama-3-lumimaid-70b"),  # a fine-tune of another vendor's: unclear
    model("spotlight"),  # no telling whose
    model("google/gemma-3-27b-it"),
    model("google/gemma-3-27b-it:free", input_mtok=None, output_mtok=None, free=True),
    model("anthropic/claude-haiku-4.5:batch"),  # a price, not a route
    model("~openai/gpt-latest"),  # an alias
)


def test_ids_are_normalised_skipped_and_counted():
    data = parse_openrouter(SMALL)
    assert set(data.records) == {
        "openrouter/openai/gpt-4o",
        "openrouter/anthropic/claude-3-opus",
        "openrouter/google/gemini-2.0-flash-001",
        "openrouter/meta-llama/llama-3.1-405b-instruct",
        "openrouter/google/gemma-3-27b-it",
        "openrouter/google/gemma-3-27b-it:free",
    }
    assert data.unclear == ["llama-3-lumimaid-70b", "spotlight"]
    assert (data.normalised, data.duplicates, data.not_routes) == (3, 1, 2)


def test_free_variant_is_distinct_free_and_named_so():
    records = parse_openrouter(SMALL).records
    free, paid = (
        records["openrouter/google/gemma-3-27b-it:free"],
        records["openrouter/google/gemma-3-27b-it"],
    )
    assert (free["cost_input"], free["cost_output"]) == (0, 0)
    assert (paid["cost_input"], paid["cost_output"]) == (1.0, 2.0)
    assert free["display_name"].endswith("(free)") and not paid["display_name"].endswith(")")
    gpt = records["openrouter/openai/gpt-4o"]
    assert (gpt["display_name"], gpt["context_window"], gpt["provider"], gpt["source"]) == (
        "GPT-4o",
        128000,
        "openrouter",
        "openrouter",
    )


@pytest.mark.parametrize(
    ("listed", "vendor"),
    [
        ("chatgpt-4o-latest", "openai"),
        ("o1-mini", "openai"),
        ("claude-3.7-sonnet", "anthropic"),
        ("gemma-2-9b-it:free", "google"),
        ("llama-4-scout:free", "meta-llama"),
        ("llama-3.1-nemotron-70b-instruct", "nvidia"),
        ("mistral-small-3.1-24b-instruct:free", "mistralai"),
        ("deepseek-r1:free", "deepseek"),
        ("deepseek-r1t-chimera:free", None),
        ("qwq-32b", "qwen"),
        ("qwq-32b-arliai-rpr-v1:free", None),
        ("grok-3-mini", "x-ai"),
        ("glm-4-32b", None),
    ],
)
def test_vendor_only_where_it_is_clear(listed, vendor):
    assert vendor_for(listed) == vendor


def test_shipped_snapshot_counts():
    raw = read_file(SNAPSHOT)
    data = parse_openrouter(raw)
    total = len(json.loads(raw)["models"])
    assert total == 923
    skipped = len(data.unclear) + data.not_routes + data.duplicates
    assert len(data.records) + skipped == total
    assert (len(data.records), len(data.unclear)) == (660, 57)
    assert sum(1 for m in data.records if m.endswith(":free")) == 110


@pytest.mark.parametrize(
    "bad",
    [
        b"not json",
        b"[]",
        b'{"models": []}',
        snapshot({"name": "no id"}),
        snapshot(model("a/b", context_window="big")),
        snapshot(model("a/b", name=5)),
    ],
)
def test_malformed_snapshots_are_refused(bad):
    with pytest.raises(Exception, match="OpenRouter"):
        parse_openrouter(bad)


def sync(tmp_path, *, litellm: bytes | None = None, openrouter: bytes = SMALL) -> str:
    cost_map = tmp_path / "map.json"
    cost_map.write_bytes(litellm if litellm is not None else json.dumps({"gpt-a": ENTRY}).encode())
    routes = tmp_path / "openrouter.json.gz"
    routes.write_bytes(gzip.compress(openrouter))
    out = io.StringIO()
    call_command(
        "sync_catalog", "--file", str(cost_map), "--openrouter-file", str(routes), stdout=out
    )
    return out.getvalue()


def rows() -> list[tuple]:
    return list(
        CatalogModel.objects.order_by("model_id").values_list(
            "model_id", "source", "is_active", "display_name", "cost_input"
        )
    )


def test_both_sources_sync_in_one_run_and_a_second_run_changes_nothing(tmp_path):
    output = sync(tmp_path)
    assert "LiteLLM cost map: 1 created" in output
    assert "OpenRouter (genai-prices): 6 created" in output
    assert "2 without a clear vendor were skipped" in output
    assert CatalogModel.objects.get(model_id="openai/gpt-a").source == "litellm"
    assert CatalogModel.objects.filter(source="openrouter").count() == 6
    before = rows()
    assert "Catalog synced: 0 created, 0 updated, 0 retired, 7 unchanged." in sync(tmp_path)
    assert rows() == before
    assert SyncRun.objects.filter(kind="catalog", ok=True).count() == 2


def test_a_source_that_disappears_from_its_own_list_is_retired(tmp_path):
    sync(tmp_path)
    sync(tmp_path, openrouter=snapshot(model("openai/gpt-4o")))
    active = set(CatalogModel.objects.filter(is_active=True).values_list("model_id", flat=True))
    assert active == {"openai/gpt-a", "openrouter/openai/gpt-4o"}


@pytest.mark.parametrize("failing", ["litellm", "openrouter"])
def test_one_source_failing_leaves_its_rows_and_still_syncs_the_other(tmp_path, failing):
    sync(tmp_path)
    before = {r for r in rows() if r[1] == failing}
    changed_map = json.dumps({"gpt-a": ENTRY | {"max_input_tokens": 5}, "gpt-new": ENTRY}).encode()
    changed_routes = snapshot(model("openai/gpt-4o", name="Renamed"))
    with pytest.raises(CommandError, match="Nothing was changed in its models"):
        sync(
            tmp_path,
            litellm=b"{broken" if failing == "litellm" else changed_map,
            openrouter=b"{broken" if failing == "openrouter" else changed_routes,
        )
    assert {r for r in rows() if r[1] == failing} == before
    if failing == "litellm":
        assert (
            CatalogModel.objects.get(model_id="openrouter/openai/gpt-4o").display_name == "Renamed"
        )
        assert not CatalogModel.objects.get(model_id="openrouter/anthropic/claude-3-opus").is_active
    else:
        assert CatalogModel.objects.filter(model_id="openai/gpt-new").exists()
    assert SyncRun.objects.filter(kind="catalog", ok=False).count() == 1


def test_both_sources_failing_changes_nothing(tmp_path):
    sync(tmp_path)
    before = rows()
    with pytest.raises(CommandError, match="Nothing was changed"):
        sync(tmp_path, litellm=b"[]", openrouter=b"[]")
    assert rows() == before


def test_a_run_is_one_transaction(tmp_path):
    boom = mock.patch.object(CatalogModel.objects, "bulk_update", side_effect=RuntimeError("boom"))
    with boom, pytest.raises(RuntimeError):
        sync(tmp_path)
    assert not CatalogModel.objects.exists()


def test_search_and_provider_dropdown_find_openrouter(tmp_path):
    sync(tmp_path)
    found = search_catalog(parse_query("openrouter"))
    assert found and all(m.provider == "openrouter" for m in found)
    assert search_catalog(parse_query("provider:openrouter gemma free"))[0].model_id == (
        "openrouter/google/gemma-3-27b-it:free"
    )
    assert ("openrouter", "OpenRouter (6)") in provider_choices()
