"""Issue 14 goal 5: nothing cached shows one person's data to another. Two members of one org,
with different BYOK lists, secrets and allowlists, take turns request by request with the caches
warm, and each only ever sees their own, before and after either changes. Search results they
share come from one cached fragment, which carries each request's own CSRF token. On local
memory and on Redis."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from accounts import services
from accounts.models import EnabledModel
from orgs import services as org_services
from orgs.models import Membership
from settings_app.fragments import CSRF_PLACEHOLDER
from tests.conftest import make_user
from tests.helpers import (
    Person,
    added,
    assert_not_retired,
    byok_rows,
    outlast_the_cache,
    platform_rows,
)

pytestmark = [
    pytest.mark.usefixtures("catalog"),
    pytest.mark.parametrize("cache_backend", ["locmem", "redis"], indirect=True),
]

QUERY = "anthropic 4.5"  # its first page of results holds every anthropic model used here
OPUS, SONNET, HAIKU = (f"anthropic/claude-{m}-4-5" for m in ("opus", "sonnet", "haiku"))
GPT = "openai/gpt-4.1"  # not among those results
DEPLOYED = ["dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro"]
KEYS = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}
VALUE = "sk-test-value-0123456789"


@dataclass(frozen=True)
class State:
    """What a person has: an allowlist (None: every platform model), a BYOK list, secrets."""

    allowed: list[str] | None
    models: list[str]
    secrets: list[str]

    def ready(self, model_id: str) -> bool:
        return KEYS[model_id.split("/")[0]] in self.secrets


ALICE = State(allowed=None, models=[OPUS, SONNET], secrets=[KEYS["anthropic"]])
BOB = State(allowed=["dn/gpt-5.2"], models=[HAIKU, OPUS, GPT], secrets=[KEYS["openai"]])


def _person(user, state: State) -> Person:
    Membership.objects.filter(user=user).update(allowed_model_ids=state.allowed)
    services.set_models(user=user, model_ids=state.models, membership=None)
    for name in state.secrets:
        services.save_secret(user=user, name=name, value=VALUE)
    return Person(user)


@pytest.fixture
def alice(cache_backend, platform_models, contributor) -> Person:
    assert_not_retired(OPUS, SONNET, HAIKU, GPT)  # each shows as Added in the search results
    return _person(contributor, ALICE)


@pytest.fixture
def bob(cache_backend, platform_models, reader) -> Person:
    return _person(reader, BOB)


# Each surface, asked of each person in turn.
SURFACES = {
    "page": lambda p: p.page(q=QUERY),
    "fragment": lambda p: p.fragment(QUERY),
    "preferences": lambda p: p.get("/user/preferences"),
    "inference": lambda p: p.get("/inference"),
    "access": lambda p: p.get("/inference/access", org="acme"),
}


def summary(answers: dict[str, Any]) -> dict[str, Any]:
    page, preferences = answers["page"], answers["preferences"]
    return {
        "page: platform models": [model_id for model_id, _ in platform_rows(page)],
        "page: banner": 'id="restricted-banner"' in page,
        "page: your models": [(m, badge) for m, (_, badge) in byok_rows(page).items()],
        "page: Added": added(page),
        "fragment: Added": added(answers["fragment"]),
        "API: models": [(m["id"], m["has_required_keys"]) for m in preferences["models"]],
        "API: access_restricted": preferences["access_restricted"],
        "/inference": [m["id"] for m in answers["inference"]["models"]],
        "/inference/access": [r["id"] for r in answers["access"]["models"] if r["allowed"]],
    }


def shown(state: State) -> dict[str, Any]:
    platform = DEPLOYED if state.allowed is None else [m for m in DEPLOYED if m in state.allowed]
    byok = [(m, state.ready(m)) for m in state.models]
    return {
        "page: platform models": platform,
        "page: banner": state.allowed is not None,
        "page: your models": [(m, "Ready" if ok else "Not in Secrets") for m, ok in byok],
        "page: Added": set(state.models) - {GPT},
        "fragment: Added": set(state.models) - {GPT},
        "API: models": [(m, True) for m in platform] + byok,
        "API: access_restricted": state.allowed is not None,
        "/inference": platform,
        "/inference/access": platform,
    }


def in_turns(*people: Person) -> list[dict[str, Any]]:
    """What each person sees, asking every surface of each in turn."""
    answers: list[dict[str, Any]] = [{} for _ in people]
    for name, ask in SURFACES.items():
        for person, theirs in zip(people, answers, strict=True):
            theirs[name] = ask(person)
    return [summary(theirs) for theirs in answers]


def test_two_members_taking_turns_each_see_only_their_own(alice, bob):
    assert in_turns(alice, bob) == [shown(ALICE), shown(BOB)]
    assert in_turns(bob, alice) == [shown(BOB), shown(ALICE)]  # all from the caches now

    services.add_model(user=alice.user, model_id=HAIKU)
    services.save_secret(user=alice.user, name=KEYS["openai"], value=VALUE)
    alice_now = replace(ALICE, models=[OPUS, SONNET, HAIKU], secrets=[*KEYS.values()])
    assert in_turns(bob, alice) == [shown(BOB), shown(alice_now)]

    services.remove_model(user=bob.user, model_id=OPUS, membership=None)
    bob.user.secrets.all().delete()
    org_services.set_model_access(
        membership=bob.membership, allowed_model_ids=None, actor=None, via="web"
    )
    bob_now = State(allowed=None, models=[HAIKU, GPT], secrets=[])
    assert in_turns(alice, bob) == [shown(alice_now), shown(bob_now)]


def tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_a_shared_fragment_carries_each_requests_own_csrf_token(alice, bob):
    # Both have added OPUS and none of the other results: one cached fragment serves both.
    query = "opus 4.5"
    html = {}
    for turn in range(2):
        for person in (alice, bob):
            html[person, "fragment", turn] = person.fragment(query)
            html[person, "page", turn] = person.page(q=query)
    secrets = {person: person.web.cookies["csrftoken"].value for person in (alice, bob)}
    assert secrets[alice] != secrets[bob]
    for (person, _, _), answer in html.items():
        assert added(answer) == {OPUS}
        assert str(CSRF_PLACEHOLDER) not in answer
        found = tokens(answer)
        assert found and {_unmask_cipher_token(t) for t in found} == {secrets[person]}
    alike = {
        re.sub(r'(csrfmiddlewaretoken" value=)"[^"]+"', r"\1", html[p, "fragment", 1])
        for p in (alice, bob)
    }
    assert len(alike) == 1  # the same fragment, but for the tokens


def test_one_persons_browsers_each_get_their_own_csrf_token(alice):
    """The whole page is kept per person: a second browser of the same person must still get
    tokens of its own session, in the page and in the fragments inside it."""
    other = Person(alice.user)
    pages = [alice.page(q="opus 4.5"), other.page(q="opus 4.5"), alice.page(q="opus 4.5")]
    browsers = [alice, other, alice]
    for html, browser in zip(pages, browsers, strict=True):
        assert str(CSRF_PLACEHOLDER) not in html
        secret = browser.web.cookies["csrftoken"].value
        assert {_unmask_cipher_token(t) for t in tokens(html)} == {secret}
    assert alice.web.cookies["csrftoken"].value != other.web.cookies["csrftoken"].value


# A BYOK row given to someone else (position 99: last in their list).


def _move_in_admin(row, to) -> None:
    staff = Client()
    staff.force_login(make_user("admin@example.com", is_staff=True, is_superuser=True))
    data = {"user": to.pk, "model_id": row.model_id, "position": 99}
    response = staff.post(f"/admin/accounts/enabledmodel/{row.pk}/change/", data)
    assert response.status_code == 302, response.content


def _move_by_save(row, to) -> None:
    row.user, row.position = to, 99
    row.save()


def _move_by_update(row, to) -> None:
    EnabledModel.objects.filter(pk=row.pk).update(user=to, position=99)


def _move_by_bulk_update(row, to) -> None:
    row.user, row.position = to, 99
    EnabledModel.objects.bulk_update([row], ["user", "position"])


@pytest.mark.parametrize(
    "move", [_move_in_admin, _move_by_save, _move_by_update, _move_by_bulk_update]
)
def test_a_model_moved_to_someone_else_leaves_one_list_and_joins_the_other(
    alice, bob, move, time_machine
):
    assert in_turns(alice, bob) == [shown(ALICE), shown(BOB)]
    move(EnabledModel.objects.get(user=alice.user, model_id=SONNET), bob.user)
    if move in (_move_by_update, _move_by_bulk_update):  # past the ORM's signals
        outlast_the_cache("update(", time_machine)
    alice_now = replace(ALICE, models=[OPUS])
    bob_now = replace(BOB, models=[*BOB.models, SONNET])
    assert in_turns(alice, bob) == [shown(alice_now), shown(bob_now)]
