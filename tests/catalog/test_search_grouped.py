"""One model, one row (the Chat Models page's search): each model once, from its maker where
the catalog has it, with the other hosts it is on beside it; retired makers' rows stay, marked,
with their successor. The JSON API keeps one row per id."""

from __future__ import annotations

from datetime import date

import pytest

from catalog.grouping import grouped_page
from catalog.search import parse_query, search_results
from tests.helpers import ApiClient

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
    shown = row.split('<div class="model-id">')[1].split("</div>")[0].replace("<wbr>", "")
    assert shown == "anthropic/claude-sonnet-4-5"
    assert "Retired" in row and "Replaced by" in row
    assert 'aria-label="Add anthropic/claude-sonnet-' in row
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
