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
    tails = [m.tail_norm for m in found.models]
    assert len(tails) == len(set(tails)) == found.total > 10, ids  # other models fill the page
    hosts = [h.model_id for h in found.models[0].other_hosts]
    assert {"bedrock/anthropic.claude-sonnet-4-6", "vertex_ai/claude-sonnet-4-6"} <= set(hosts)
    assert "anthropic/claude-sonnet-4-6" not in hosts


def test_pages_follow_on_without_repeating_a_model():
    first, second = page("claude", limit=10), page("claude", limit=10, offset=10)
    shown = [m.tail_norm for m in first.models + second.models]
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
