"""BYOK list edits (services): what PATCH reports per bad id, and query counts that don't grow
with the length of the list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import MAX_BYOK_MODELS, EnabledModel
from catalog.models import CatalogModel
from orgs.models import Membership
from tests.helpers import listable_ids

pytestmark = pytest.mark.usefixtures("catalog")
OPUS = "anthropic/claude-opus-4-5"
GPT = "openai/gpt-5.2"


def stored(user) -> list[str]:
    return list(EnabledModel.objects.filter(user=user).values_list("model_id", flat=True))


def test_set_models_reports_every_bad_entry_by_index_with_its_code(contributor):
    CatalogModel.objects.filter(model_id=GPT).update(is_active=False)
    ids = [
        "a b/c",
        f"  {OPUS.upper()}  ",
        "dn/claude-opus-4-6",
        "openai/nope-9",
        OPUS,
        "",
        GPT,
        "gemini/gemini-2.5-pro",
    ]
    with pytest.raises(ValidationError) as caught:
        services.set_models(user=contributor, model_ids=ids, membership=None)
    assert [(e.message, e.code) for e in caught.value.error_list] == [
        ("[0] Model ids can't contain spaces.", "invalid"),
        (
            "[2] dn/ models are platform models; your org's allowlist decides those, so they "
            "can't be added to your own list.",
            "platform_model",
        ),
        (
            "[3] “openai/nope-9” isn't in the catalog. Check the spelling, or check it for "
            "LiteLLM compatibility and add it anyway.",
            "not_in_catalog",
        ),
        (f"[4] {OPUS} is listed twice.", "duplicate"),
        ("[5] Enter a model id, like anthropic/claude-opus-4-5.", "invalid"),
        (  # retired from the catalog
            f"[6] “{GPT}” isn't in the catalog. Check the spelling, or check it for LiteLLM "
            "compatibility and add it anyway.",
            "not_in_catalog",
        ),
    ]
    assert stored(contributor) == []


def test_set_models_refuses_too_many_before_any_query(contributor, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValidationError) as caught:
        services.set_models(
            user=contributor, model_ids=[OPUS] * (MAX_BYOK_MODELS + 1), membership=None
        )
    assert caught.value.messages == [f"At most {MAX_BYOK_MODELS} models."]
    assert caught.value.code == "full"


def test_set_models_canonical_ids_in_order_and_kept_rows_stay(contributor):
    services.set_models(user=contributor, model_ids=[OPUS, GPT], membership=None)
    kept = EnabledModel.objects.get(model_id=GPT)
    assert services.set_models(
        user=contributor,
        model_ids=["OpenAI/GPT-5.2", "gemini/Gemini-2.5-Pro"],
        membership=None,
    ) == [GPT, "gemini/gemini-2.5-pro"]
    assert stored(contributor) == [GPT, "gemini/gemini-2.5-pro"]
    row = EnabledModel.objects.get(model_id=GPT)
    assert (row.pk, row.added_at, row.position) == (kept.pk, kept.added_at, 1)


def _fill(user, count: int) -> list[str]:
    """A list of `count` models, sharing one position as older rows can: a move renumbers
    every row."""
    ids = listable_ids(count + 2)
    EnabledModel.objects.bulk_create(
        EnabledModel(user=user, model_id=m, position=0) for m in ids[:count]
    )
    return ids


# An edit of the list `ids[:n]` (with two more catalog ids after it) -> its queries.
EDITS = {
    "add": (lambda user, ids, n, membership: services.add_model(user=user, model_id=ids[n]), 10),
    "remove": (
        lambda user, ids, n, membership: services.remove_model(
            user=user, model_id=ids[0], membership=membership
        ),
        6,
    ),
    "reset": (
        lambda user, ids, n, membership: services.reset_models(user=user, membership=membership),
        6,
    ),
    "move": (
        lambda user, ids, n, membership: services.move_model(
            user=user, model_id=ids[n - 1], direction="up"
        ),
        5,
    ),
    "replace": (
        lambda user, ids, n, membership: services.replace_model(
            user=user, old_id=ids[0], new_id=ids[n]
        ),
        7,
    ),
}


@pytest.mark.parametrize("n", [2, MAX_BYOK_MODELS - 1])
@pytest.mark.parametrize("edit", EDITS)
def test_list_edits_do_not_grow_with_the_list(
    contributor, platform_models, django_assert_num_queries, edit, n
):
    ids = _fill(contributor, n)
    membership = Membership.objects.get(user=contributor)
    action, queries = EDITS[edit]
    with django_assert_num_queries(queries):
        action(contributor, ids, n, membership)
