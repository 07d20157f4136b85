"""Catalog ids are found in any letter case, and on PostgreSQL through the lower(model_id)
index: a lookup stays an index probe however large the catalog grows."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from catalog.models import CatalogModel
from catalog.validation import catalog_id, check_compatibility
from tests.helpers import copy_row

OPUS = "anthropic/claude-opus-4-5"
ROWS = 100_000
INDEX = "catalog_model_id_lower_idx"


@pytest.fixture
def opus(db) -> CatalogModel:
    return CatalogModel.objects.create(
        model_id=OPUS, provider="anthropic", display_name="Claude Opus 4.5"
    )


@pytest.mark.parametrize("typed", [OPUS, OPUS.upper(), "Anthropic/Claude-Opus-4-5"])
def test_any_letter_case_finds_the_canonical_id(opus, typed):
    assert catalog_id(typed) == OPUS
    assert check_compatibility(typed).model_id == OPUS
    assert services.resolve_model_id(typed) == OPUS
    assert services.resolve_model_ids([typed]) == [OPUS]


def test_retired_models_and_near_misses_are_not_found(opus):
    assert catalog_id("anthropic/claude-opus-4_5") is None  # "_" is no wildcard
    assert catalog_id("anthropic/claude-opus-4-5x") is None
    opus.is_active = False
    opus.save()
    assert catalog_id(OPUS) is None
    with pytest.raises(ValidationError, match="isn't in the catalog"):
        services.resolve_model_id(OPUS, suggest=False)


@pytest.fixture
def large_catalog(opus):
    """ROWS more catalog models (acme/model-000001...), with fresh planner statistics."""
    copy_row(opus, ROWS, model_id="'acme/model-' || lpad(n::text, 6, '0')")
    assert CatalogModel.objects.count() == ROWS + 1


def catalog_plans(action) -> list[str]:
    """EXPLAIN of every catalog query `action` sends, as sent."""
    with CaptureQueriesContext(connection) as captured:
        action()
    sqls = [q["sql"] for q in captured.captured_queries if "catalog_catalogmodel" in q["sql"]]
    assert sqls
    plans = []
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute("EXPLAIN " + sql)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


# The lookups as the code sends them: one id (services, validation), a whole PATCH list.
LOOKUPS = {
    "resolve_model_id": lambda: services.resolve_model_id("Anthropic/Claude-Opus-4-5"),
    "check_compatibility": lambda: check_compatibility("ANTHROPIC/claude-opus-4-5"),
    "resolve_model_ids": lambda: services.resolve_model_ids(
        [OPUS.upper(), *(f"ACME/Model-{n:06}" for n in range(1, ROWS, 500))][:200]
    ),
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_postgres_id_lookups_use_the_lower_index(large_catalog):
    for name, lookup in LOOKUPS.items():
        for plan in catalog_plans(lookup):
            # "Index Scan using <index>", or "Bitmap Index Scan on <index>" for many ids.
            assert re.search(rf"Index Scan (using|on) {INDEX}\b", plan), (name, plan)
            assert "Seq Scan on catalog_catalogmodel" not in plan, (name, plan)
