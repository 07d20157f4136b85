"""Concurrent API clients editing one BYOK list never silently lose an add (PostgreSQL)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.db import connection

from accounts.models import EnabledModel
from catalog.models import CatalogModel
from tests.helpers import ApiClient, run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
CLIENTS = 8


@pytest.fixture
def models(db) -> list[str]:
    ids = [f"openai/gpt-race-{i}" for i in range(48)]
    CatalogModel.objects.bulk_create(
        CatalogModel(model_id=m, provider="openai", display_name=m) for m in ids
    )
    return ids


def _stored(user) -> list[str]:
    return list(EnabledModel.objects.filter(user=user).values_list("model_id", flat=True))


def test_concurrent_single_model_adds_lose_none(contributor, models):
    clients = [ApiClient(contributor) for _ in range(CLIENTS)]
    statuses: list[int] = []

    def adds(client: ApiClient, chunk: list[str]) -> None:
        for model_id in chunk:
            statuses.append(
                client.post("/user/preferences/models", {"model_id": model_id}).status_code
            )

    errors = run_together(
        *[lambda c=c, i=i: adds(c, models[i::CLIENTS]) for i, c in enumerate(clients)]
    )
    assert errors == []
    assert statuses == [201] * len(models)
    assert sorted(_stored(contributor)) == sorted(models)
    positions = list(EnabledModel.objects.values_list("position", flat=True))
    assert len(set(positions)) == len(models)


def test_read_modify_write_with_if_match_never_loses_an_add(contributor, models):
    """Each client reads the list, appends its models one by one and PATCHes with If-Match,
    re-reading after a 412: every add either lands or is refused, none is overwritten."""
    clients = [ApiClient(contributor) for _ in range(CLIENTS)]
    outcomes: Counter[int] = Counter()
    landed: list[str] = []

    def read_modify_write(client: ApiClient, chunk: list[str]) -> None:
        for model_id in chunk:
            for _attempt in range(200):
                current = client.get("/user/preferences")
                ids = [*current.json()["enabled_model_ids"], model_id]
                response = client.client.patch(
                    "/api/v1/user/preferences",
                    data=json.dumps({"enabled_model_ids": ids}),
                    content_type="application/json",
                    headers={**client.headers, "If-Match": current["ETag"]},
                )
                outcomes[response.status_code] += 1
                if response.status_code == 200:
                    landed.append(model_id)
                    break

    half = models[: len(models) // 2]
    errors = run_together(
        *[lambda c=c, i=i: read_modify_write(c, half[i::CLIENTS]) for i, c in enumerate(clients)]
    )
    assert errors == []
    assert sorted(_stored(contributor)) == sorted(landed) == sorted(half)
    assert set(outcomes) <= {200, 412}
    assert outcomes[412] > 0  # the clients really did race
