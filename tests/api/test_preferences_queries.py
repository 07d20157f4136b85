"""PATCH /user/preferences runs as many queries for a full list as for one model: the ids are
checked in one catalog query and the rows written in a fixed number of statements."""

from __future__ import annotations

import pytest
from django.db.models import F

from accounts.models import MAX_BYOK_MODELS, EnabledModel
from tests.helpers import ApiClient, assert_envelope, listable_ids

pytestmark = pytest.mark.usefixtures("catalog")
# The key's holder is kept in the cache; one catalog lookup; under the lock a savepoint, FOR UPDATE,
# the current rows, reading which are left out (whose they are, for the cache versions), one
# INSERT or one UPDATE, the release; then the answer's BYOK list. Plus a DELETE of the rows left
# out, if any.
WRITES = 8
UNCHANGED = 6  # nothing written: no INSERT, UPDATE or DELETE; the answer's list is kept


def stored(user) -> list[str]:
    return list(EnabledModel.objects.filter(user=user).values_list("model_id", flat=True))


def patch(client: ApiClient, ids: list[str]):
    response = client.patch("/user/preferences", {"enabled_model_ids": ids})
    assert response.status_code == 200, response.content
    return response


@pytest.mark.parametrize("n", [1, MAX_BYOK_MODELS])
def test_patch_query_count_does_not_grow_with_the_list(contributor, django_assert_num_queries, n):
    assert MAX_BYOK_MODELS == 200
    ids = listable_ids(2 * n)
    first, second = ids[:n], ids[n:]
    client = ApiClient(contributor)
    client.get("/user/secrets")  # records the key's last use, a write of its own, once
    client.get("/user/preferences")  # reads the platform list once; it is kept from then on

    with django_assert_num_queries(WRITES):  # every row new; any letter case
        response = patch(client, [m.upper() for m in first])
    assert response.json()["enabled_model_ids"] == first == stored(contributor)

    # Positions with gaps, as removals leave them: every row moves, even a single one.
    EnabledModel.objects.filter(user=contributor).update(position=F("position") + 1)
    with django_assert_num_queries(WRITES):
        patch(client, first[::-1])
    assert stored(contributor) == first[::-1]
    positions = EnabledModel.objects.filter(user=contributor).values_list("position", flat=True)
    assert list(positions) == list(range(1, n + 1))

    with django_assert_num_queries(UNCHANGED):
        patch(client, first[::-1])

    with django_assert_num_queries(WRITES):  # every row removed (the DELETE), every id new
        patch(client, second)
    assert stored(contributor) == second


@pytest.mark.parametrize("n", [1, MAX_BYOK_MODELS])
def test_refusing_a_list_does_not_grow_with_it(contributor, django_assert_num_queries, n):
    ids = [*listable_ids(n - 1), "openai/nope-9"]
    client = ApiClient(contributor)
    client.get("/user/secrets")
    with django_assert_num_queries(2):  # auth, the org membership, the catalog lookup
        body = assert_envelope(client.patch("/user/preferences", {"enabled_model_ids": ids}), 422)
    assert body["errors"][0]["msg"].startswith(f"[{n - 1}] “openai/nope-9” isn't in")
    assert not EnabledModel.objects.exists()
