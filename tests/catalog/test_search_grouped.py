"""One model, one row (the Chat Models page's search): each model once, from its maker where
the catalog has it, with the other hosts it is on beside it; retired makers' rows stay, marked,
with their successor. The JSON API keeps one row per id."""

from __future__ import annotations

from datetime import date

import pytest

from catalog.grouping import grouped_page
from catalog.replacements import replacements
from catalog.search import parse_query, search_results
from tests.helpers import ApiClient, unwrap_ids

pytestmark = pytest.mark.usefixtures("catalog")


def page(text: str, limit: int = 20, offset: int = 0):
    return search_results(parse_query(text, limit=limit, offset=offset), page=grouped_page)


def test_each_model_shows_once_from_its_maker_with_its_hosts():
    found = page("sonnet 4")
    ids = [m.model_id for m in found.models]
    assert ids[0] == "anthropic/claude-sonnet-4-6"
    tails = [m.model_key for m in found.models]
    # Other models fill the page: every Sonnet 4.x once, whoever hosts it.
    assert len(tails) == len(set(tails)) == found.total >= 5, ids
    hosts = [h.model_id for h in found.models[0].other_hosts]
    assert {"bedrock/anthropic.claude-sonnet-4-6", "vertex_ai/claude-sonnet-4-6"} <= set(hosts)
    assert "anthropic/claude-sonnet-4-6" not in hosts


def test_pages_follow_on_without_repeating_a_model():
    first, second = page("claude", limit=10), page("claude", limit=10, offset=10)
    shown = [m.model_key for m in first.models + second.models]
    assert len(shown) == len(set(shown)) == 20
    assert first.total == second.total > 20 and first.next_offset == 10


def test_the_api_keeps_one_row_per_id(contributor):
    models = ApiClient(contributor).get("/inference/catalog", query="sonnet 4", limit=20)
    ids = [m["id"] for m in models.json()["models"]]
    assert "kyma/claude-sonnet-4-6" in ids and "anthropic/claude-sonnet-4-6" in ids


def test_a_retired_makers_row_stays_first_with_its_successor(time_machine):
    time_machine.move_to(date(2026, 12, 5))  # anthropic/claude-sonnet-4-5 retired 2026-11-30
    first = page("sonnet 4.5").models[0]
    assert first.model_id == "anthropic/claude-sonnet-4-5"
    assert first.successor is not None
    assert first.successor.model_id.startswith("anthropic/claude-sonnet-")
    assert first.successor.lifecycle() == ""


def test_featured_never_offers_a_retired_model(time_machine):
    time_machine.move_to(date(2027, 6, 1))
    for featured in (page("").models, search_results(parse_query("")).models):
        assert featured and all(m.lifecycle() != "retired" for m in featured)


PAGE = "/settings/chat-models/"


def test_the_page_offers_the_successor_and_adding_a_retired_model_says_so(
    client, contributor, time_machine
):
    time_machine.move_to(date(2026, 12, 5))
    client.force_login(contributor)
    html = client.get(PAGE, {"q": "sonnet 4.5"}).content.decode()
    row = html.split('<tbody id="result-rows">')[1].split("</tr>")[0]
    shown = unwrap_ids(row.split('<div class="model-id">')[1].split("</div>")[0])
    assert shown == "anthropic/claude-sonnet-4-5"
    assert "Retired" in row and "Replaced by" in row
    successor = replacements(["anthropic/claude-sonnet-4-5"], today=date(2026, 12, 5))
    named = successor["anthropic/claude-sonnet-4-5"]
    offered = row.split('<div class="successor small">')[1].split("</div></div>")[0]
    assert f'aria-label="Add {named}">Add</button>' in offered  # one click adds the successor
    assert "Also on" in row
    response = client.post(PAGE + "add/", {"model_id": "anthropic/claude-sonnet-4-5"}, follow=True)
    text = response.content.decode()
    assert "It is retired (since 2026-11-30): anthropic/claude-sonnet-" in text


# Hosts spell one model's id differently: the old word order (heroku/claude-4-sonnet), Bedrock's
# dated first version (…claude-sonnet-4-20250514-v1:0, with a region or without).
SONNET_4 = [
    "heroku/claude-4-sonnet",
    "snowflake/claude-4-sonnet",
    "bedrock/anthropic.claude-sonnet-4-20250514-v1:0",
    "bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0",
    "vercel_ai_gateway/anthropic/claude-sonnet-4",
    "databricks/databricks-claude-sonnet-4",
]
SONNET_4_5 = [
    "anthropic/claude-sonnet-4-5",
    "replicate/anthropic/claude-4.5-sonnet",
    "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "bedrock/claude-sonnet-4-5-20250929-v1:0",
]


def _group_of(model_id: str, found) -> set[str]:
    """The ids shown together with `model_id` (its row and the hosts beside it)."""
    for m in found.models:
        ids = {m.model_id, *(h.model_id for h in m.other_hosts)}
        if model_id in ids:
            return ids
    raise AssertionError(f"{model_id} is not on the page")


def test_hosts_spellings_of_a_model_group_with_it():
    found = page("sonnet 4", limit=50)
    sonnet_4 = _group_of("heroku/claude-4-sonnet", found)
    assert set(SONNET_4) <= sonnet_4
    first = page("sonnet 4.5").models[0]
    assert first.model_id == "anthropic/claude-sonnet-4-5"  # the maker's row, with every host
    assert set(SONNET_4_5) <= {first.model_id, *(h.model_id for h in first.other_hosts)}


def test_different_models_stay_apart():
    found = page("sonnet 4", limit=50)
    sonnet_4, sonnet_4_5 = _group_of(SONNET_4[0], found), _group_of(SONNET_4_5[0], found)
    assert sonnet_4.isdisjoint(sonnet_4_5)
    assert "anthropic/claude-sonnet-4-6" not in sonnet_4 | sonnet_4_5
    opus = page("opus 4", limit=50)
    assert _group_of("bedrock/anthropic.claude-opus-4-20250514-v1:0", opus).isdisjoint(
        _group_of("bedrock/anthropic.claude-opus-4-1-20250805-v1:0", opus)
    )
    # Bedrock's second version of a release is another model, and so is a v2 of any other line.
    firefunction = page("firefunction")
    assert len(firefunction.models) == firefunction.total == 2


def test_the_api_keeps_one_row_per_host_spelling(contributor):
    models = ApiClient(contributor).get("/inference/catalog", query="sonnet 4", limit=100)
    ids = [m["id"] for m in models.json()["models"]]
    assert len(ids) == len(set(ids))
    assert {"heroku/claude-4-sonnet", "bedrock/anthropic.claude-sonnet-4-20250514-v1:0"} <= set(ids)


# Hosts that prefix the maker into the model's name (gradient_ai/openai-gpt-4o,
# snowflake/openai-gpt-5-mini, ovhcloud/Meta-Llama-3_3-70B-Instruct, Bedrock's us.xai.grok-…)
# and hosts that drop "Instruct" from Llama 3.3 70B, which Meta released only as Instruct.
SAME_MODEL = {
    "gpt-4o": ["openai/gpt-4o", "gradient_ai/openai-gpt-4o", "azure/gpt-4o"],
    "gpt 4o mini": ["openai/gpt-4o-mini", "gradient_ai/openai-gpt-4o-mini"],
    "gpt 5 mini": ["openai/gpt-5-mini", "snowflake/openai-gpt-5-mini", "azure/gpt-5-mini"],
    "o3 mini": ["openai/o3-mini", "gradient_ai/openai-o3-mini"],
    "llama 3.3 70b": [
        "meta_llama/Llama-3.3-70B-Instruct",
        "ovhcloud/Meta-Llama-3_3-70B-Instruct",
        "sambanova/Meta-Llama-3.3-70B-Instruct",
        "databricks/databricks-meta-llama-3-3-70b-instruct",
        "kyma/llama-3.3-70b",
        "cerebras/llama-3.3-70b",
        "bedrock/meta.llama3-3-70b-instruct-v1:0",
        "vertex_ai/meta/llama-3.3-70b-instruct-maas",  # Vertex's "model as a service"
    ],
    "sonnet 3.5": [
        "gradient_ai/anthropic-claude-3.5-sonnet",
        "replicate/anthropic/claude-3.5-sonnet",
    ],
    "grok 4.6": ["bedrock_mantle/xai.grok-4.6", "bedrock/us.xai.grok-4.6", "azure_ai/grok-4.6"],
    "glm 5.3": ["mistral/zai-glm-5-3", "coralbricks/glm-5.3"],
    "command a": ["azure_ai/cohere-command-a", "vercel_ai_gateway/cohere/command-a"],
    "nemotron nano 9b": [
        "deepinfra/nvidia/NVIDIA-Nemotron-Nano-9B-v2",
        "bedrock/nvidia.nemotron-nano-9b-v2",
    ],
}


@pytest.mark.parametrize("query", list(SAME_MODEL))
def test_hosts_that_name_the_maker_group_with_the_makers_row(query):
    found = page(query, limit=50)
    keys = [m.model_key for m in found.models]
    assert len(keys) == len(set(keys)), keys
    group = _group_of(SAME_MODEL[query][0], found)
    assert set(SAME_MODEL[query]) <= group, group


def test_the_makers_row_shows_with_the_prefixed_hosts_beside_it():
    first = page("gpt-4o").models[0]
    assert first.model_id == "openai/gpt-4o"
    assert "gradient_ai/openai-gpt-4o" in {h.model_id for h in first.other_hosts}
    llama = page("llama 3.3 70b").models[0]
    assert llama.model_id == "meta_llama/Llama-3.3-70B-Instruct"
    assert {"ovhcloud/Meta-Llama-3_3-70B-Instruct", "kyma/llama-3.3-70b"} <= {
        h.model_id for h in llama.other_hosts
    }


def test_stripping_the_maker_keeps_different_models_apart():
    gpt = page("gpt-4o", limit=50)
    assert _group_of("gradient_ai/openai-gpt-4o", gpt).isdisjoint(
        _group_of("gradient_ai/openai-gpt-4o-mini", gpt)
    )
    sonnet = page("claude 3 sonnet", limit=50)
    assert _group_of("gradient_ai/anthropic-claude-3.5-sonnet", sonnet).isdisjoint(
        _group_of("gradient_ai/anthropic-claude-3.7-sonnet", sonnet)
    )
    llama = page("llama 3 70b", limit=50)
    assert _group_of("ovhcloud/Meta-Llama-3_3-70B-Instruct", llama).isdisjoint(
        _group_of("ovhcloud/Meta-Llama-3_1-70B-Instruct", llama)
    )
    # Llama 3.1 70B came out as a base model too: only 3.3's bare name means its Instruct.
    assert _group_of("cerebras/llama-3.1-70b", llama).isdisjoint(
        _group_of("ovhcloud/Meta-Llama-3_1-70B-Instruct", llama)
    )
    # Another maker's model named after Llama stays its own (DeepSeek's and Snowflake's).
    three_three = page("llama 3.3 70b", limit=50)
    main = _group_of("meta_llama/Llama-3.3-70B-Instruct", three_three)
    assert main.isdisjoint({"lambda_ai/deepseek-llama3.3-70b", "snowflake/snowflake-llama-3.3-70b"})


def test_rows_synced_with_the_old_key_get_the_new_one():
    from importlib import import_module

    from django.apps import apps

    from catalog.models import CatalogModel

    rows = CatalogModel.objects.filter(model_id="gradient_ai/openai-gpt-4o")
    rows.update(model_key="openai gpt 4 o")  # as the key was before makers' names were dropped
    import_module("catalog.migrations.0011_model_key_maker_prefix").fill(apps, None)
    assert rows.get().model_key == CatalogModel.objects.get(model_id="openai/gpt-4o").model_key
