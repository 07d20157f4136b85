"""Reordering "Your models" (the picker's order): the service, the view with and without htmx."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import EnabledModel
from accounts.picker import picker_set
from catalog.templatetags.catalog_tags import dom_id
from orgs.models import Membership
from tests.helpers import suggestion_queries

pytestmark = pytest.mark.usefixtures("catalog")
MOVE = "/settings/chat-models/move/"
HTMX = {"HTTP_HX_REQUEST": "true"}
A, B, C = "anthropic/claude-opus-4-5", "openai/gpt-5.2", "gemini/gemini-2.5-pro"


def order(user) -> list[str]:
    return list(
        EnabledModel.objects.filter(user=user)
        .order_by("position", "id")
        .values_list("model_id", flat=True)
    )


@pytest.fixture
def three(contributor):
    for model_id in (A, B, C):
        services.add_model(user=contributor, model_id=model_id)
    return contributor


@pytest.mark.parametrize(
    ("model_id", "direction", "expected"),
    [(B, "up", [B, A, C]), (B, "down", [A, C, B]), (A, "down", [B, A, C]), (C, "up", [A, C, B])],
)
def test_move_swaps_with_the_neighbour_and_persists(three, model_id, direction, expected):
    services.move_model(user=three, model_id=model_id, direction=direction)
    assert order(three) == expected


def test_the_new_order_is_the_pickers_order(three):
    services.move_model(user=three, model_id=C, direction="up")
    membership = Membership.objects.get(user=three)
    assert picker_set(user=three, membership=membership).enabled_model_ids == [A, C, B]


@pytest.mark.parametrize(
    ("model_id", "direction", "message"),
    [
        (A, "up", "already first"),
        (C, "down", "already last"),
        ("openai/gpt-4o", "up", "is not in your models"),
        (A, "sideways", "Move a model up or down"),
    ],
)
def test_moves_past_the_ends_or_of_unknown_models_are_refused(three, model_id, direction, message):
    with pytest.raises(ValidationError, match=message):
        services.move_model(user=three, model_id=model_id, direction=direction)
    assert order(three) == [A, B, C]


def test_rows_sharing_a_position_still_move(contributor):
    EnabledModel.objects.bulk_create(
        EnabledModel(user=contributor, model_id=m, position=0) for m in (A, B, C)
    )
    services.move_model(user=contributor, model_id=C, direction="up")
    assert order(contributor) == [A, C, B]


def test_htmx_move_answers_with_the_list_focus_on_the_moved_models_button(client, three):
    client.force_login(three)
    response = client.post(MOVE, {"model_id": B, "direction": "up"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(
        '<section class="section" id="byok"'
    )
    assert html.index(f'aria-label="Remove {B}"') < html.index(f'aria-label="Remove {A}"')
    # B is now first: it has no "up" button, so its "down" button keeps the focus.
    assert f'aria-label="Move {B} up"' not in html
    assert f'aria-label="Move {B} down" autofocus' in html
    assert html.count("autofocus") == 1
    assert order(three) == [B, A, C]


def test_htmx_move_keeps_focus_on_the_same_button_when_it_is_still_there(client, three):
    client.force_login(three)
    html = client.post(MOVE, {"model_id": C, "direction": "up"}, **HTMX).content.decode()
    assert f'aria-label="Move {C} up" autofocus' in html and html.count("autofocus") == 1


def test_move_without_javascript_redirects_back_to_the_row(client, three):
    client.force_login(three)
    response = client.post(MOVE, {"model_id": A, "direction": "down", "q": "gpt"})
    assert response.status_code == 302
    assert response["Location"] == f"/settings/chat-models/?q=gpt#byok-row-{dom_id(A)}"
    page = client.get(response["Location"]).content.decode()
    assert f"Moved {A} down." in page
    assert order(three) == [B, A, C]


def test_a_refused_move_is_explained(client, three):
    client.force_login(three)
    html = client.post(MOVE, {"model_id": A, "direction": "up"}, **HTMX).content.decode()
    assert f"{A} is already first in your models." in html and order(three) == [A, B, C]
    html = client.post(MOVE, {"model_id": "x" * 5000, "direction": "up"}, **HTMX).content.decode()
    assert "is not in your models" in html


def test_move_buttons_only_where_they_work(client, three):
    client.force_login(three)
    html = client.get("/settings/chat-models/").content.decode()
    assert f'aria-label="Move {A} up"' not in html and f'aria-label="Move {A} down"' in html
    assert f'aria-label="Move {B} up"' in html and f'aria-label="Move {B} down"' in html
    assert f'aria-label="Move {C} up"' in html and f'aria-label="Move {C} down"' not in html


def test_a_single_model_has_no_move_buttons(client, contributor):
    services.add_model(user=contributor, model_id=A)
    client.force_login(contributor)
    assert "Move " not in client.get("/settings/chat-models/").content.decode()


def test_move_is_post_only_and_needs_login(client, contributor):
    assert client.post(MOVE, {"model_id": A, "direction": "up"})["Location"].startswith(
        "/accounts/login/"
    )
    client.force_login(contributor)
    assert client.get(MOVE).status_code == 405


def _fill(user, count: int) -> list[str]:
    from catalog.models import CatalogModel

    ids = list(CatalogModel.objects.order_by("model_id").values_list("model_id", flat=True))
    EnabledModel.objects.bulk_create(
        EnabledModel(user=user, model_id=m, position=i) for i, m in enumerate(ids[:count], 1)
    )
    return ids[:count]


@pytest.mark.parametrize("count", [3, 60])
def test_move_query_count_is_constant(client, contributor, django_assert_num_queries, count):
    ids = _fill(contributor, count)
    client.force_login(contributor)
    extra = suggestion_queries(contributor)  # for retiring or retired models in the list
    # The person and their memberships are read again (logging in bumped their version).
    with django_assert_num_queries(8 + extra):
        response = client.post(MOVE, {"model_id": ids[1], "direction": "up"}, **HTMX)
    assert response.content.decode().count('id="byok-row-') == count
    assert order(contributor)[:2] == [ids[1], ids[0]]
