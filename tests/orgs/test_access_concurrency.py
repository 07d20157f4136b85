"""Owners saving one member at once: every save is serialised and audited, and a save
made against a version someone else already changed is refused."""

from __future__ import annotations

import pytest
from django.db import connection

from orgs import services
from orgs.models import Membership, ModelAccessEvent
from tests.helpers import ApiClient, run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
# None of these is the restricted member's starting list, so every save is a real change
# whatever order the threads run in (saving the current list again records nothing).
VALUES = [
    None,
    [],
    ["dn/gpt-5.2"],
    ["dn/gpt-5.2", "dn/claude-opus-4-6", "dn/gemini-3-pro"],
    ["dn/gemini-3-pro"],
    ["dn/gpt-5.2", "dn/gemini-3-pro"],
    ["dn/claude-opus-4-6", "dn/gpt-5.2"],
    ["dn/gemini-3-pro", "dn/claude-opus-4-6"],
]


def race(target, values, **kwargs) -> list[BaseException]:
    return run_together(
        *[
            lambda v=v: services.set_model_access(
                membership=target, allowed_model_ids=v, via="web", actor=None, **kwargs
            )
            for v in values
        ]
    )


def test_eight_concurrent_changes_are_serialised_and_audited(restricted, platform_models):
    target = Membership.objects.get(user=restricted)
    assert race(target, VALUES) == []
    events = list(ModelAccessEvent.objects.order_by("id"))
    assert len(events) == 8
    # The audit trail is one unbroken chain: each event starts where the previous one ended.
    chain = [events[0].before] + [e.after for e in events]
    assert chain[0] == ["dn/claude-opus-4-6"]
    for previous, event in zip(events, events[1:], strict=False):
        assert event.before == previous.after
    target.refresh_from_db()
    assert target.allowed_model_ids == events[-1].after
    assert target.access_version == 8


def test_concurrent_editors_with_the_same_version_one_wins(restricted, platform_models):
    target = Membership.objects.get(user=restricted)
    changes = [v for v in VALUES if v != target.allowed_model_ids][:4]  # each one a real change
    errors = race(target, changes, expected_version=target.access_version)
    assert len(errors) == 3 and all(isinstance(e, services.AccessConflict) for e in errors)
    assert ModelAccessEvent.objects.count() == 1


def test_two_owners_put_with_the_same_etag_one_wins(owner, co_owner, restricted, platform_models):
    url = f"/org/acme/members/{restricted.pk}/model-access"
    clients = [ApiClient(owner), ApiClient(co_owner)]
    etag = clients[0].get(url)["ETag"]
    statuses: list[int] = []

    def put(client: ApiClient, value: list[str]) -> None:
        client.headers["If-Match"] = etag
        statuses.append(client.put(url, {"allowed_model_ids": value}).status_code)

    errors = run_together(
        lambda: put(clients[0], ["dn/gpt-5.2"]), lambda: put(clients[1], ["dn/gemini-3-pro"])
    )
    assert errors == []
    assert sorted(statuses) == [200, 412]
    assert ModelAccessEvent.objects.count() == 1
    target = Membership.objects.get(user=restricted)
    assert target.access_version == 1
    assert target.allowed_model_ids == ModelAccessEvent.objects.get().after
