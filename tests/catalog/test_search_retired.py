"""Retired models in search: ranked last and labelled, hidden by retired:no, the API's
include_retired and the page's "Hide retired"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.costmap import record_for
from catalog.models import CatalogModel
from catalog.search import parse_query, search_catalog, search_queryset, search_results
from tests.helpers import ApiClient

pytestmark = pytest.mark.django_db
PAGE = "/settings/chat-models/"


def make(model_id: str, days: int | None = None, featured: bool = False) -> None:
    provider = model_id.split("/")[0]
    record = record_for(model_id, provider, {"mode": "chat"})
    if days is not None:
        record["deprecation_date"] = timezone.localdate() + timedelta(days=days)
    CatalogModel.objects.create(model_id=model_id, featured=featured, **record)


@pytest.fixture
def models(db):
    make("openai/gpt-9", days=-1, featured=True)  # exact-id, prefix and newest, but retired
    make("openai/gpt-9-mini", days=0)  # retired today
    make("openai/gpt-8", days=30, featured=True)  # retiring: still ranks as usual
    make("openai/gpt-7", featured=True)
    make("azure/gpt-9")  # a reseller's: tier 1, but current
    make("openai/ft-gpt-6")  # matches "gpt" but not as a prefix: the last current tier


def ids(query: str, **filters) -> list[str]:
    return [m.model_id for m in search_catalog(parse_query(query, limit=10, **filters))]


@pytest.mark.usefixtures("models")
@pytest.mark.parametrize(
    "query", ["gpt", "openai/gpt-9", "gpt 9", "provider:openai", "", "gpt-9 mini"]
)
def test_retired_models_rank_last_in_both_query_paths(query):
    found = ids(query)
    single = [m.model_id for m in search_queryset(parse_query(query, limit=10))[:10]]
    assert found == single
    retired = {"openai/gpt-9", "openai/gpt-9-mini"}
    flags = [m in retired for m in found]
    assert flags == sorted(flags), found  # no current model after a retired one
    if query in ("gpt", "gpt 9"):  # the current reseller row outranks the retired exact one
        assert found[0] != "openai/gpt-9" and "openai/gpt-9" in found


@pytest.mark.usefixtures("models")
def test_retired_no_hides_them_and_the_count_agrees():
    assert ids("gpt retired:no") == [
        "openai/gpt-8",
        "openai/gpt-7",
        "azure/gpt-9",
        "openai/ft-gpt-6",
    ]
    assert ids("gpt", include_retired=False) == ids("gpt retired:no")
    assert ids("gpt retired:yes") == ids("gpt")
    assert search_results(parse_query("gpt retired:no", limit=2)).total == 4


@pytest.mark.parametrize("token", ["retired:maybe", "retired:"])
def test_a_bad_retired_token_gets_a_hint(token):
    params = parse_query(f"gpt {token}")
    if token == "retired:":  # not a token at all: plain text
        assert params.text == "gpt retired:" and not params.errors
    else:
        assert params.errors == [
            "Couldn't read “retired:maybe”; try retired:no (hide retired models) or retired:yes."
        ]


def test_retired_no_alone_keeps_the_featured_list(models):
    assert ids("retired:no") == ["openai/gpt-8", "openai/gpt-7"]


def test_api_include_retired(models, contributor):
    api = ApiClient(contributor)
    found = api.get("/inference/catalog", query="gpt", include_retired="false").json()["models"]
    assert [m["id"] for m in found] == [
        "openai/gpt-8",
        "openai/gpt-7",
        "azure/gpt-9",
        "openai/ft-gpt-6",
    ]
    everything = api.get("/inference/catalog", query="gpt").json()["models"]
    assert everything[-1]["deprecation_date"] is not None and len(everything) == 6


def test_page_labels_and_hides_retired(models, client, contributor):
    client.force_login(contributor)
    html = client.get(PAGE, {"q": "gpt"}).content.decode()
    assert html.count('<span class="badge badge-danger">Retired</span>') == 2
    soon = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert f"Retiring on {soon}" in html
    hidden = client.get(PAGE, {"q": "gpt", "retired": "no"}).content.decode()
    assert 'badge-danger">Retired' not in hidden and "openai/gpt-8" in hidden
    assert 'name="retired" value="no" class="filter" checked' in hidden
    assert 'name="retired" value="no"' in hidden.split('id="results"')[1]  # Add keeps it
