"""Two tabs editing one BYOK list at once never lose each other's changes (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts import services
from accounts.models import EnabledModel
from catalog.models import CatalogModel
from tests.helpers import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def models(db):
    CatalogModel.objects.bulk_create(
        CatalogModel(model_id=f"openai/gpt-test-{i}", provider="openai", display_name=f"T{i}")
        for i in range(10)
    )
    return [f"openai/gpt-test-{i}" for i in range(10)]


@pytest.mark.parametrize("attempt", range(5))
def test_two_concurrent_adds_both_persist(contributor, models, attempt):
    errors = run_together(
        lambda: services.add_model(user=contributor, model_id=models[0]),
        lambda: services.add_model(user=contributor, model_id=models[1]),
    )
    assert errors == []
    assert set(
        EnabledModel.objects.filter(user=contributor).values_list("model_id", flat=True)
    ) == {models[0], models[1]}


@pytest.mark.parametrize("attempt", range(5))
def test_a_remove_racing_an_add_does_not_lose_the_add(contributor, models, attempt):
    services.add_model(user=contributor, model_id=models[0])
    services.add_model(user=contributor, model_id=models[1])
    errors = run_together(
        lambda: services.remove_model(user=contributor, model_id=models[0], membership=None),
        lambda: services.add_model(user=contributor, model_id=models[2]),
    )
    assert errors == []
    assert set(
        EnabledModel.objects.filter(user=contributor).values_list("model_id", flat=True)
    ) == {models[1], models[2]}


def test_many_concurrent_adds_respect_order_and_uniqueness(contributor, models):
    errors = run_together(
        *[lambda m=m: services.add_model(user=contributor, model_id=m) for m in models],
        lambda: services.add_model(user=contributor, model_id=models[0]),
    )
    assert len(errors) == 1 and "already in your models" in str(errors[0])
    rows = list(EnabledModel.objects.filter(user=contributor).values_list("position", flat=True))
    assert len(rows) == 10 and len(set(rows)) == 10
