"""Retiring models: lifecycle dates, suggested replacements, the one-click Replace, API fields."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import EnabledModel
from accounts.picker import suggest_replacements, user_byok
from catalog.costmap import record_for
from catalog.models import CatalogModel, Lifecycle, lifecycle
from catalog.names import family
from catalog.replacements import replacements
from tests.helpers import ApiClient

REPLACE = "/settings/chat-models/replace/"
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = date(2026, 3, 1)


def make(model_id: str, provider: str, deprecation: date | None = None) -> CatalogModel:
    record = record_for(model_id, provider, {"mode": "chat"})
    record["deprecation_date"] = deprecation
    return CatalogModel.objects.create(model_id=model_id, **record)


def order(user) -> list[str]:
    return list(
        EnabledModel.objects.filter(user=user)
        .order_by("position", "id")
        .values_list("model_id", flat=True)
    )


@pytest.mark.parametrize(
    ("days", "state"),
    [
        (None, Lifecycle.CURRENT),
        (-1, Lifecycle.RETIRED),
        (0, Lifecycle.RETIRED),
        (1, Lifecycle.RETIRING),
        (90, Lifecycle.RETIRING),
        (91, Lifecycle.CURRENT),
    ],
)
def test_lifecycle_boundaries(days, state):
    deprecation = None if days is None else TODAY + timedelta(days=days)
    assert lifecycle(deprecation, TODAY) == state
    assert CatalogModel(deprecation_date=deprecation).lifecycle(TODAY) == state


@pytest.mark.parametrize(
    ("model_id", "line"),
    [
        ("anthropic/claude-opus-4-1-20250805", "claude-opus"),
        ("anthropic/claude-3-opus-20240229", "claude-opus"),
        ("openai/gpt-4o-2024-05-13", "gpt-4o"),
        ("gemini/gemini-2.5-pro-preview-03-25", "gemini-pro"),
    ],
)
def test_family_drops_versions_dates_and_release_words(model_id, line):
    assert family(model_id) == line


@pytest.fixture
def line(db):
    soon = timezone.localdate() + timedelta(days=30)
    return {
        "old": make("anthropic/claude-3-opus-20240229", "anthropic", soon),
        "mid": make("anthropic/claude-opus-4-1", "anthropic"),
        "new": make("anthropic/claude-opus-4-5", "anthropic"),
        "newest_retiring": make("anthropic/claude-opus-4-6", "anthropic", soon),
        "other_family": make("anthropic/claude-sonnet-9", "anthropic"),
        "other_provider": make("bedrock/claude-opus-7", "bedrock"),
        "keep": make("openai/gpt-5.2", "openai"),
    }


def test_suggestion_is_the_newest_current_model_of_the_same_provider_and_family(line):
    assert replacements(["anthropic/claude-3-opus-20240229"]) == {
        "anthropic/claude-3-opus-20240229": "anthropic/claude-opus-4-5"
    }


def test_suggestion_skips_models_already_in_the_list(line):
    suggested = replacements(
        ["anthropic/claude-3-opus-20240229"], exclude=["anthropic/claude-opus-4-5"]
    )
    assert suggested == {"anthropic/claude-3-opus-20240229": "anthropic/claude-opus-4-1"}


def test_a_list_holding_the_newest_successor_is_offered_the_next(line, contributor, owner):
    """The newest successor is kept per model, whoever lists it; a list holding it already is
    offered the next one, before and after the other list read it."""
    old, newest = "anthropic/claude-3-opus-20240229", "anthropic/claude-opus-4-5"
    EnabledModel.objects.create(user=contributor, model_id=old)
    for position, m in enumerate((old, newest)):
        EnabledModel.objects.create(user=owner, model_id=m, position=position)

    def suggested(user):
        return {e.id: e.replacement for e in suggest_replacements(user_byok(user))}[old].model_id

    for _ in range(2):  # then from the cache
        assert suggested(contributor) == newest
        assert suggested(owner) == "anthropic/claude-opus-4-1"


def test_byok_rows_carry_lifecycle_and_suggestion_in_one_extra_query(
    line, contributor, django_assert_num_queries
):
    for m in ("openai/gpt-5.2", "anthropic/claude-3-opus-20240229", "anthropic/claude-opus-4-6"):
        EnabledModel.objects.create(user=contributor, model_id=m)
    # the list with its catalog rows and saved key names, then ONE query for both retiring
    # rows' replacements
    with django_assert_num_queries(2):
        rows = {e.id: e for e in suggest_replacements(user_byok(contributor))}
    assert rows["openai/gpt-5.2"].lifecycle == Lifecycle.CURRENT
    assert rows["openai/gpt-5.2"].replacement is None
    assert rows["anthropic/claude-3-opus-20240229"].lifecycle == Lifecycle.RETIRING
    assert (
        rows["anthropic/claude-3-opus-20240229"].replacement.model_id == "anthropic/claude-opus-4-5"
    )
    assert rows["anthropic/claude-opus-4-6"].replacement.model_id == "anthropic/claude-opus-4-5"


@pytest.fixture
def listed(line, contributor):
    for m in ("openai/gpt-5.2", "anthropic/claude-3-opus-20240229", "anthropic/claude-sonnet-9"):
        services.add_model(user=contributor, model_id=m)
    return contributor


def test_replace_keeps_the_position(listed):
    services.replace_model(
        user=listed, old_id="anthropic/claude-3-opus-20240229", new_id="anthropic/claude-opus-4-5"
    )
    assert order(listed) == [
        "openai/gpt-5.2",
        "anthropic/claude-opus-4-5",
        "anthropic/claude-sonnet-9",
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("anthropic/claude-opus-4-1", "anthropic/claude-opus-4-5", "is not in your models"),
        ("anthropic/claude-3-opus-20240229", "anthropic/claude-sonnet-9", "already in your models"),
        ("anthropic/claude-3-opus-20240229", "nope/unknown-model", "isn't in the catalog"),
    ],
)
def test_refused_replacements_change_nothing(listed, old, new, message):
    before = order(listed)
    with pytest.raises(ValidationError, match=message):
        services.replace_model(user=listed, old_id=old, new_id=new)
    assert order(listed) == before


def test_page_shows_badge_suggestion_and_replace_button(listed, client):
    client.force_login(listed)
    html = client.get("/settings/chat-models/").content.decode()
    soon = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert f"Retiring on {soon}" in html
    assert 'name="new_id" value="anthropic/claude-opus-4-5"' in html
    assert "Replace anthropic/claude-3-opus-20240229 with anthropic/claude-opus-4-5" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_replace_view_with_and_without_htmx(listed, client, htmx):
    client.force_login(listed)
    data = {"model_id": "anthropic/claude-3-opus-20240229", "new_id": "anthropic/claude-opus-4-5"}
    response = client.post(REPLACE, data, **(HTMX if htmx else {}))
    if htmx:
        assert response.status_code == 200
        assert "Replaced anthropic/claude-3-opus-20240229 with anthropic/claude-opus-4-5." in (
            response.content.decode()
        )
    else:
        assert response.status_code == 302
    assert order(listed)[1] == "anthropic/claude-opus-4-5"


def test_replace_view_error_is_shown(listed, client):
    client.force_login(listed)
    data = {"model_id": "openai/gpt-4o", "new_id": "anthropic/claude-opus-4-5"}
    response = client.post(REPLACE, data, **HTMX)
    assert "openai/gpt-4o is not in your models." in response.content.decode()


def test_replace_requires_login_post_and_csrf(listed, client):
    assert client.post(REPLACE, {})["Location"].startswith("/accounts/login")
    client.force_login(listed)
    assert client.get(REPLACE).status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(listed)
    data = {"model_id": "anthropic/claude-3-opus-20240229", "new_id": "anthropic/claude-opus-4-5"}
    assert strict.post(REPLACE, data).status_code == 403
    assert order(listed)[1] == "anthropic/claude-3-opus-20240229"


def test_api_models_carry_deprecation_date(listed):
    soon = (timezone.localdate() + timedelta(days=30)).isoformat()
    api = ApiClient(listed)
    models = {m["id"]: m for m in api.get("/user/preferences").json()["models"]}
    assert models["anthropic/claude-3-opus-20240229"]["deprecation_date"] == soon
    assert models["openai/gpt-5.2"]["deprecation_date"] is None
    found = api.get("/inference/catalog", query="claude opus 2024").json()["models"]
    assert {m["id"]: m["deprecation_date"] for m in found}[
        "anthropic/claude-3-opus-20240229"
    ] == soon


def test_replace_shows_the_suggestions_name_and_price_beside_the_current_ones(listed, client):
    CatalogModel.objects.filter(model_id="anthropic/claude-3-opus-20240229").update(
        cost_input=15, cost_output=75
    )
    CatalogModel.objects.filter(model_id="anthropic/claude-opus-4-5").update(
        display_name="Claude Opus 4.5", cost_input=5, cost_output=25
    )
    client.force_login(listed)
    html = client.get("/settings/chat-models/").content.decode()
    assert "Suggested: <strong>Claude Opus 4.5</strong>" in html
    # The id is kept whole, and so is each price pair.
    assert '<span class="model-id"><span class="id-whole">anthropic/claude-opus-4-5</span>' in html
    assert '<span class="price">$5 / $25</span> <span class="muted price">(now $15 / $75)' in html


def test_a_retired_model_without_successor_says_so_and_what_to_do(contributor, client):
    make("openai/davinci-002", "openai", timezone.localdate() - timedelta(days=10))
    EnabledModel.objects.create(user=contributor, model_id="openai/davinci-002")
    client.force_login(contributor)
    html = client.get("/settings/chat-models/").content.decode()
    assert "Retired</span>" in html
    assert "No successor in the catalog" in html
    assert "search for another model of its kind" in html


def test_adding_a_retired_model_without_successor_says_so(contributor, client):
    make("openai/davinci-002", "openai", timezone.localdate() - timedelta(days=10))
    client.force_login(contributor)
    response = client.post(
        "/settings/chat-models/add/", {"model_id": "openai/davinci-002"}, follow=True
    )
    text = response.content.decode()
    assert "It is retired (since " in text and "has no successor in the catalog." in text
    assert order(contributor) == ["openai/davinci-002"]  # added all the same, as asked
