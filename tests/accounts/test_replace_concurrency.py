"""Replace under the list lock: racing a move or a second Replace loses nothing (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts import services
from accounts.models import EnabledModel
from catalog.models import CatalogModel
from tests.helpers import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
A, B, C, NEW = (f"openai/gpt-test-{i}" for i in range(4))


@pytest.fixture
def listed(contributor):
    CatalogModel.objects.bulk_create(
        CatalogModel(model_id=m, provider="openai", display_name=m) for m in (A, B, C, NEW)
    )
    for m in (A, B, C):
        services.add_model(user=contributor, model_id=m)
    return contributor


def order(user) -> list[str]:
    rows = EnabledModel.objects.filter(user=user).order_by("position", "id")
    return list(rows.values_list("model_id", flat=True))


@pytest.mark.parametrize("attempt", range(5))
def test_replace_racing_a_move_keeps_both(listed, attempt):
    errors = run_together(
        lambda: services.replace_model(user=listed, old_id=B, new_id=NEW),
        lambda: services.move_model(user=listed, model_id=C, direction="up"),
    )
    assert errors == []
    assert order(listed) == [A, C, NEW]


@pytest.mark.parametrize("attempt", range(5))
def test_two_replaces_with_the_same_model_let_one_through(listed, attempt):
    errors = run_together(
        lambda: services.replace_model(user=listed, old_id=A, new_id=NEW),
        lambda: services.replace_model(user=listed, old_id=B, new_id=NEW),
    )
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "already in your models" in str(errors[0])
    assert order(listed) in ([NEW, B, C], [A, NEW, C])
