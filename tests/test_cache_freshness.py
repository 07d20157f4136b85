"""Issue 14 goal 5, issue 20 goal 4: nothing cached is stale. With the caches warm (a first
round of requests), a change of access, of the BYOK list, of secrets, of the deployed platform
models, of API keys or of the catalog, made the way the app, an owner, the admin or a script
makes it, shows on the very next requests: the Chat Models page and its htmx search fragment
(session) and the JSON API (personal key). A write that bypasses the ORM's signals (a queryset
update, bulk_create, bulk_update) shows once the cache's bound passed (catalog.caching.TTL).
A case of every kind runs again on Redis, where cached values are pickled and read with
get_many as in production. One person never seeing another's data: test_cache_isolation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import ApiKey, EnabledModel, Secret, User
from accounts.views import chat_models
from catalog import caching, platform
from catalog.models import CatalogModel, PlatformModel
from orgs import services as org_services
from orgs.models import Membership, Role
from tests.helpers import (
    ApiClient,
    Person,
    added,
    assert_not_retired,
    backends,
    byok_rows,
    locked_rows,
    outlast_the_cache,
    platform_rows,
    search_results,
)

pytestmark = pytest.mark.usefixtures("catalog")

PAGE = Person.PAGE
QUERY = "anthropic 4.5"  # its first page of results holds every BYOK model used here
OPUS, SONNET, HAIKU = (f"anthropic/claude-{m}-4-5" for m in ("opus", "sonnet", "haiku"))
OPUS_DATED = "anthropic/claude-opus-4-5-20251101"
GPT = "openai/gpt-4.1"
DN_OPUS, DN_GPT, DN_GEMINI = DEPLOYED = ["dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro"]
DN_NEW = "dn/new-model"
NAMES = {DN_OPUS: "Claude Opus 4.6", DN_GPT: "GPT-5.2", DN_GEMINI: "Gemini 3 Pro"}
VALUE = "sk-test-value-0123456789"

Change = Callable[[Person], object]


# Personas and the cache backend ------------------------------------------------------------


@pytest.fixture
def member(contributor, owner) -> Person:
    """An unrestricted contributor of acme, whose owner acts on them."""
    assert_not_retired(OPUS, SONNET, HAIKU, GPT)  # each shows as Added in the search results
    return Person(contributor)


# 1. Access: an owner (or a script) changes a member's allowlist, role or membership ---------


def _owner() -> User:
    return User.objects.get(email="owner@example.com")


def _set_access(allowed: list[str] | None) -> Change:
    return lambda p: org_services.set_model_access(
        membership=p.membership, allowed_model_ids=allowed, actor=_owner(), via="web"
    )


def _update_access(allowed: list[str] | None) -> Change:
    return lambda p: Membership.objects.filter(user=p.user).update(allowed_model_ids=allowed)


# name: (the member's allowlist before, the change, after: an allowlist, "owner" or "removed")
ACCESS_CHANGES: dict[str, tuple[list[str] | None, Change, Any]] = {
    "set_model_access: limit": (None, _set_access([DN_GPT]), [DN_GPT]),
    "set_model_access: none": (None, _set_access([]), []),
    "set_model_access: one more": (
        [DN_OPUS],
        _set_access([DN_OPUS, DN_GEMINI]),
        [DN_OPUS, DN_GEMINI],
    ),
    "set_model_access: all": ([DN_OPUS], _set_access(None), None),
    "queryset update: limit": (None, _update_access([DN_GEMINI]), [DN_GEMINI]),
    "queryset update: other": ([DN_OPUS], _update_access([DN_GPT]), [DN_GPT]),
    "queryset update: all": ([DN_OPUS], _update_access(None), None),
    "owner's PUT model-access": (
        None,
        lambda p: ApiClient(_owner()).put(
            f"/org/acme/members/{p.user.pk}/model-access", {"allowed_model_ids": [DN_GPT]}
        ),
        [DN_GPT],
    ),
    "set_role: owner": (
        [DN_OPUS],
        lambda p: org_services.set_role(
            membership=p.membership, role=Role.OWNER, actor=_owner(), via="web"
        ),
        "owner",
    ),
    "owner's PUT role": (
        [],
        lambda p: ApiClient(_owner()).put(f"/org/acme/members/{p.user.pk}", {"role": "owner"}),
        "owner",
    ),
    "remove_member": (
        [DN_OPUS],
        lambda p: org_services.remove_member(membership=p.membership, actor=_owner(), via="web"),
        "removed",
    ),
    "queryset delete": (None, lambda p: Membership.objects.filter(user=p.user).delete(), "removed"),
}


def access_seen(p: Person) -> dict[str, Any]:
    page = p.page()
    preferences = p.get("/user/preferences")
    access = p.api.get("/inference/access", org="acme")
    return {
        "page: platform models": [model_id for model_id, _ in platform_rows(page)],
        "page: locked": locked_rows(page),
        "page: banner": 'id="restricted-banner"' in page,
        "/inference": [m["id"] for m in p.get("/inference")["models"]],
        "/user/preferences": [m["id"] for m in preferences["models"] if m["is_system_model"]],
        "access_restricted": preferences["access_restricted"],
        "/inference/access": (
            {r["id"]: r["reason"] for r in access.json()["models"] if r["allowed"]}
            if access.status_code == 200
            else access.status_code
        ),
    }


def access_shown(state: Any) -> dict[str, Any]:
    """What every surface shows for an allowlist (None: every model), "owner" or "removed"."""
    if state == "removed":
        allowed, restricted, reason, access = [], False, "", 404
    else:
        restricted = isinstance(state, list)
        allowed = [m for m in DEPLOYED if m in state] if restricted else DEPLOYED
        reason = "listed" if restricted else "owner" if state == "owner" else "unrestricted"
        access = dict.fromkeys(allowed, reason)
    return {
        "page: platform models": allowed,
        "page: locked": [m for m in DEPLOYED if m not in allowed] if restricted else [],
        "page: banner": restricted,
        "/inference": allowed,
        "/user/preferences": allowed,
        "access_restricted": restricted,
        "/inference/access": access,
    }


@backends(ACCESS_CHANGES, redis=["queryset update: limit", "remove_member"])
def test_access_changes_show_on_the_next_request(
    cache_backend, platform_models, member, change, time_machine
):
    before, act, after = ACCESS_CHANGES[change]
    Membership.objects.filter(user=member.user).update(allowed_model_ids=before)
    assert access_seen(member) == access_shown(before)
    act(member)
    outlast_the_cache(change, time_machine)
    assert access_seen(member) == access_shown(after)


# 2. The BYOK list: services, the person's own requests, and the ORM directly -----------------


def _rows(p: Person):
    return EnabledModel.objects.filter(user=p.user)


def _swap_first_two(p: Person) -> None:
    rows = list(_rows(p).order_by("position"))
    rows[0].position, rows[1].position = rows[1].position, rows[0].position
    EnabledModel.objects.bulk_update(rows, ["position"])


def _rename_row(p: Person) -> None:
    row = _rows(p).get(model_id=OPUS)
    row.model_id = HAIKU
    row.save()


START = [OPUS, SONNET]
# name: (the change, the list after it)
LIST_CHANGES: dict[str, tuple[Change, list[str]]] = {
    "add_model": (lambda p: services.add_model(user=p.user, model_id=HAIKU), [*START, HAIKU]),
    "remove_model": (
        lambda p: services.remove_model(user=p.user, model_id=OPUS, membership=p.membership),
        [SONNET],
    ),
    "reset_models": (lambda p: services.reset_models(user=p.user, membership=p.membership), []),
    "set_models": (
        lambda p: services.set_models(user=p.user, model_ids=[HAIKU, OPUS], membership=None),
        [HAIKU, OPUS],
    ),
    "move_model": (
        lambda p: services.move_model(user=p.user, model_id=SONNET, direction="up"),
        [SONNET, OPUS],
    ),
    "replace_model": (
        lambda p: services.replace_model(user=p.user, old_id=OPUS, new_id=HAIKU),
        [HAIKU, SONNET],
    ),
    "POST chat-models/add/": (
        lambda p: p.web.post(PAGE + "add/", {"model_id": HAIKU}),
        [*START, HAIKU],
    ),
    "PATCH /user/preferences": (
        lambda p: p.api.patch("/user/preferences", {"enabled_model_ids": [SONNET, OPUS_DATED]}),
        [SONNET, OPUS_DATED],
    ),
    "objects.create": (
        lambda p: EnabledModel.objects.create(user=p.user, model_id=HAIKU, position=9),
        [*START, HAIKU],
    ),
    "related create": (
        lambda p: p.user.enabled_models.create(model_id=HAIKU, position=0),
        [HAIKU, *START],
    ),
    "save": (_rename_row, [HAIKU, SONNET]),
    "instance delete (no signal)": (lambda p: _rows(p).get(model_id=SONNET).delete(), [OPUS]),
    "filter().delete() (no signal)": (lambda p: _rows(p).filter(model_id=OPUS).delete(), [SONNET]),
    "related all().delete() (no signal)": (lambda p: p.user.enabled_models.all().delete(), []),
    "filter().update(position)": (
        lambda p: _rows(p).filter(model_id=OPUS).update(position=9),
        [SONNET, OPUS],
    ),
    "bulk_create": (
        lambda p: EnabledModel.objects.bulk_create(
            EnabledModel(user=p.user, model_id=m, position=9 + i)
            for i, m in enumerate([HAIKU, OPUS_DATED])
        ),
        [*START, HAIKU, OPUS_DATED],
    ),
    "bulk_update": (_swap_first_two, [SONNET, OPUS]),
}


def byok_seen(p: Person) -> dict[str, Any]:
    page = p.page(q=QUERY)
    fragment = p.fragment(QUERY)
    preferences = p.get("/user/preferences")
    return {
        "page: your models": list(byok_rows(page)),
        "page: Added": added(page),
        "fragment: Added": added(fragment),
        "API: enabled_model_ids": preferences["enabled_model_ids"],
        "API: models": [m["id"] for m in preferences["models"] if not m["is_system_model"]],
    }


def byok_shown(ids: list[str]) -> dict[str, Any]:
    return {
        "page: your models": ids,
        "page: Added": set(ids),
        "fragment: Added": set(ids),
        "API: enabled_model_ids": ids,
        "API: models": ids,
    }


@backends(LIST_CHANGES, redis=["add_model", "filter().update(position)", "bulk_create"])
def test_byok_list_changes_show_on_the_next_request(
    cache_backend, platform_models, member, change, time_machine
):
    act, after = LIST_CHANGES[change]
    services.set_models(user=member.user, model_ids=START, membership=None)
    assert byok_seen(member) == byok_shown(START)
    act(member)
    outlast_the_cache(change, time_machine)
    assert byok_seen(member) == byok_shown(after)


# 3. Secrets: whether a BYOK model has its keys ---------------------------------------------


def _secret(p: Person, name: str) -> Secret:
    secret = Secret(user=p.user, name=name, provider=services.provider_for_env_var(name))
    secret.set_value(VALUE)
    return secret


def _delete_through_page(p: Person) -> None:
    response = p.web.post(f"/settings/secrets/{p.user.secrets.get().pk}/delete/")
    assert response.status_code == 302


ANTHROPIC, OPENAI = "ANTHROPIC_API_KEY", "OPENAI_API_KEY"
KEYED = [OPUS, GPT]  # needs ANTHROPIC_API_KEY, needs OPENAI_API_KEY
# name: (secrets saved before, the change, the models with their keys after it)
SECRET_CHANGES: dict[str, tuple[list[str], Change, list[str]]] = {
    "save_secret": (
        [],
        lambda p: services.save_secret(user=p.user, name=ANTHROPIC, value=VALUE),
        [OPUS],
    ),
    "POST /user/secrets": (
        [],
        lambda p: p.api.post("/user/secrets", {"name": OPENAI, "value": VALUE}),
        [GPT],
    ),
    "POST secrets/ (page)": (
        [ANTHROPIC],
        lambda p: p.web.post("/settings/secrets/", {"name": OPENAI, "value": VALUE}),
        [OPUS, GPT],
    ),
    "save": ([], lambda p: _secret(p, OPENAI).save(), [GPT]),
    "bulk_create": (
        [],
        lambda p: Secret.objects.bulk_create([_secret(p, ANTHROPIC), _secret(p, OPENAI)]),
        [OPUS, GPT],
    ),
    "instance delete": ([ANTHROPIC], lambda p: p.user.secrets.get().delete(), []),
    "filter().delete()": (
        [ANTHROPIC, OPENAI],
        lambda p: Secret.objects.filter(user=p.user, name=OPENAI).delete(),
        [OPUS],
    ),
    "related all().delete()": ([ANTHROPIC, OPENAI], lambda p: p.user.secrets.all().delete(), []),
    "filter().update(name)": (
        [ANTHROPIC],
        lambda p: Secret.objects.filter(user=p.user).update(name="ANTHROPIC_API_KEY_OLD"),
        [],
    ),
    "DELETE /user/secrets/{id}": (
        [OPENAI],
        lambda p: p.api.delete(f"/user/secrets/{p.user.secrets.get().pk}"),
        [],
    ),
    "POST secrets/{id}/delete/ (page)": ([ANTHROPIC], _delete_through_page, []),
}


def keys_seen(p: Person) -> dict[str, Any]:
    page = p.page()
    preferences = p.get("/user/preferences")
    return {
        "page": {model_id: badge for model_id, (_, badge) in byok_rows(page).items()},
        "API": {m["id"]: m["has_required_keys"] for m in preferences["models"] if m["id"] in KEYED},
    }


def keys_shown(ready: list[str]) -> dict[str, Any]:
    return {
        "page": {m: "Ready" if m in ready else "Not in Secrets" for m in KEYED},
        "API": {m: m in ready for m in KEYED},
    }


@backends(SECRET_CHANGES, redis=["save_secret", "filter().delete()"])
def test_secret_changes_show_on_the_next_request(cache_backend, member, change, time_machine):
    before, act, after = SECRET_CHANGES[change]
    services.set_models(user=member.user, model_ids=KEYED, membership=None)
    for name in before:
        _secret(member, name).save()
    ready = [m for m, name in zip(KEYED, [ANTHROPIC, OPENAI], strict=True) if name in before]
    assert keys_seen(member) == keys_shown(ready)
    act(member)
    outlast_the_cache(change, time_machine)
    assert keys_seen(member) == keys_shown(after)


# 4. The deployed platform models: admin and scripts, and the proxy sync ----------------------


def _platform(model_id: str, position: int) -> PlatformModel:
    return PlatformModel(model_id=model_id, display_name=f"Model {position}", position=position)


def _rename_platform(p: Person) -> None:
    model = PlatformModel.objects.get(model_id=DN_GPT)
    model.display_name = "GPT Renamed"
    model.save()


def _reorder_platform(p: Person) -> None:
    models = list(PlatformModel.objects.order_by("position"))
    for position, model in enumerate(reversed(models)):
        model.position = position
    PlatformModel.objects.bulk_update(models, ["position"])


NAMED = [(m, NAMES[m]) for m in DEPLOYED]
# name: (the change, the platform models after it: (id, name))
PLATFORM_CHANGES: dict[str, tuple[Change, list[tuple[str, str]]]] = {
    "objects.create": (
        lambda p: PlatformModel.objects.create(model_id=DN_NEW, display_name="New", position=9),
        [*NAMED, (DN_NEW, "New")],
    ),
    "save: renamed": (_rename_platform, [NAMED[0], (DN_GPT, "GPT Renamed"), NAMED[2]]),
    "filter().update(is_active=False)": (
        lambda p: PlatformModel.objects.filter(model_id=DN_GPT).update(is_active=False),
        [NAMED[0], NAMED[2]],
    ),
    "filter().update(position)": (
        lambda p: PlatformModel.objects.filter(model_id=DN_OPUS).update(position=9),
        [*NAMED[1:], NAMED[0]],
    ),
    "instance delete": (
        lambda p: PlatformModel.objects.get(model_id=DN_OPUS).delete(),
        NAMED[1:],
    ),
    "filter().delete()": (
        lambda p: PlatformModel.objects.filter(model_id=DN_GEMINI).delete(),
        NAMED[:2],
    ),
    "bulk_create": (
        lambda p: PlatformModel.objects.bulk_create([_platform(DN_NEW, 9)]),
        [*NAMED, (DN_NEW, "Model 9")],
    ),
    "bulk_update": (_reorder_platform, NAMED[::-1]),
}


def platform_seen(p: Person) -> dict[str, Any]:
    page = p.page()
    preferences = p.get("/user/preferences")
    access = p.get("/inference/access", org="acme")
    return {
        "page": platform_rows(page),
        "page: out of date": "This list may be out of date" in page,
        "/inference": [(m["id"], m["name"]) for m in p.get("/inference")["models"]],
        "/user/preferences": [
            (m["id"], m["name"]) for m in preferences["models"] if m["is_system_model"]
        ],
        "/inference/access": [(r["id"], r["name"]) for r in access["models"]],
    }


def platform_shown(models: list[tuple[str, str]], out_of_date: bool = False) -> dict[str, Any]:
    return {
        "page": models,
        "page: out of date": out_of_date,
        "/inference": models,
        "/user/preferences": models,
        "/inference/access": models,
    }


@backends(PLATFORM_CHANGES, redis=["filter().update(is_active=False)", "bulk_create"])
def test_platform_model_changes_show_on_the_next_request(
    cache_backend, platform_models, member, change, time_machine
):
    act, after = PLATFORM_CHANGES[change]
    assert platform_seen(member) == platform_shown(NAMED)
    act(member)
    outlast_the_cache(change, time_machine)
    assert platform_seen(member) == platform_shown(after)


FIXTURES = Path(__file__).resolve().parent / "fixtures"
MODEL_INFO = json.loads((FIXTURES / "litellm_proxy_model_info.json").read_bytes())


def _deployments(*model_ids: str) -> bytes:
    """The proxy's answer deploying these models, in this order."""
    data = {d["model_name"]: d for d in MODEL_INFO["data"]}
    return json.dumps({"data": [data[m] for m in model_ids]}).encode()


@pytest.fixture
def proxy(live_http, settings):
    """The LiteLLM proxy the platform models come from (the real recorded answer)."""
    settings.LITELLM_PROXY_URL = live_http.url
    settings.LITELLM_API_KEY = "sk-test-master"
    settings.PLATFORM_MODELS_TTL = 60
    live_http.routes["/model/info"] = [(200, _deployments(*DEPLOYED))]
    return live_http


# name: (what the proxy answers next, the platform models after the refresh, out of date)
PROXY_CHANGES: dict[str, tuple[list, list[str], bool]] = {
    "undeployed": ([(200, _deployments(DN_OPUS, DN_GEMINI))], [DN_OPUS, DN_GEMINI], False),
    "reordered": ([(200, _deployments(*DEPLOYED[::-1]))], DEPLOYED[::-1], False),
    "proxy down": ([(500, b"")], DEPLOYED, True),
}


def ids_only(shown: dict[str, Any]) -> dict[str, Any]:
    """`platform_seen` or `platform_shown` without the names (the proxy's names)."""
    return {k: [m for m, _ in v] if isinstance(v, list) else v for k, v in shown.items()}


@backends(PROXY_CHANGES, redis=["undeployed"])
def test_a_proxy_refresh_shows_on_the_next_request(cache_backend, proxy, member, change):
    answers, after, out_of_date = PROXY_CHANGES[change]
    before = platform_shown([(m, "") for m in DEPLOYED])
    assert ids_only(platform_seen(member)) == ids_only(before)  # the proxy's list, stored
    proxy.routes["/model/info"] = proxy.routes["/v1/models"] = answers
    platform.expire()  # the TTL passed: the next request asks the proxy
    after_shown = platform_shown([(m, "") for m in after], out_of_date)
    assert ids_only(platform_seen(member)) == ids_only(after_shown)


def test_an_undeployed_model_leaves_a_restricted_members_picker(platform_models, restricted):
    person = Person(restricted)
    assert [m for m, _ in platform_rows(person.page())] == [DN_OPUS]
    undeployed = PlatformModel.objects.get(model_id=DN_OPUS)
    undeployed.is_active = False
    undeployed.save()
    page = person.page()
    assert platform_rows(page) == [] and locked_rows(page) == [DN_GPT, DN_GEMINI, DN_OPUS]
    assert "On your list, but no longer deployed." in page
    assert person.get("/inference")["models"] == []


# 4b. API keys and accounts: a revoked key or a deactivated person is refused at once ---------


def _revoke_through_page(p: Person) -> None:
    response = p.web.post(f"/settings/api-keys/{p.user.api_keys.get().pk}/revoke/")
    assert response.status_code == 302


def _deactivate(p: Person) -> None:
    p.user.is_active = False
    p.user.save()


# name: (the change, whether the session still opens the page)
AUTH_CHANGES: dict[str, tuple[Change, bool]] = {
    "key: filter().update(revoked_at)": (
        lambda p: ApiKey.objects.filter(user=p.user).update(revoked_at=timezone.now()),
        True,
    ),
    "key: revoked on the page": (_revoke_through_page, True),
    "key: all revoked on the page": (lambda p: p.web.post("/settings/api-keys/revoke-all/"), True),
    "key: deleted": (lambda p: ApiKey.objects.filter(user=p.user).delete(), True),
    "person: filter().update(is_active=False)": (
        lambda p: User.objects.filter(pk=p.user.pk).update(is_active=False),
        False,
    ),
    "person: save(is_active=False)": (_deactivate, False),
}


@pytest.mark.parametrize("in_org", [True, False], ids=["member", "in no org"])
@backends(AUTH_CHANGES, redis=["key: filter().update(revoked_at)"])
def test_a_refused_key_or_person_is_refused_on_the_next_request(
    cache_backend, platform_models, contributor, in_org, change, time_machine
):
    act, page_opens = AUTH_CHANGES[change]
    if not in_org:
        Membership.objects.filter(user=contributor).delete()
    person = Person(contributor)
    paths = ["/user/preferences", "/inference", "/user/secrets"]

    def statuses() -> list[int]:
        return [person.api.get(path).status_code for path in paths] + [
            person.web.get(PAGE).status_code
        ]

    assert statuses() == [200, 200, 200, 200]
    act(person)
    outlast_the_cache(change, time_machine)
    assert statuses() == [401, 401, 401, 200 if page_opens else 302]


# 5. The catalog: a model's name --------------------------------------------------------------

RENAMED = "Opus Renamed"


def _rename_catalog(p: Person) -> None:
    model = CatalogModel.objects.get(model_id=OPUS)
    model.display_name = RENAMED
    model.save()


def _rename_catalog_in_bulk(p: Person) -> None:
    model = CatalogModel.objects.get(model_id=OPUS)
    model.display_name = RENAMED
    CatalogModel.objects.bulk_update([model], ["display_name"])


CATALOG_CHANGES: dict[str, Change] = {
    "filter().update(display_name)": lambda p: CatalogModel.objects.filter(model_id=OPUS).update(
        display_name=RENAMED
    ),
    "save": _rename_catalog,
    "bulk_update": _rename_catalog_in_bulk,
}


def names_seen(p: Person) -> dict[str, str]:
    page = p.page(q=QUERY)
    fragment = p.fragment(QUERY)
    preferences = p.get("/user/preferences")
    return {
        "page: your models": byok_rows(page)[OPUS][0],
        "page: results": search_results(page)[OPUS][0],
        "fragment": search_results(fragment)[OPUS][0],
        "API": next(m["name"] for m in preferences["models"] if m["id"] == OPUS),
    }


def names_shown(name: str) -> dict[str, str]:
    return dict.fromkeys(["page: your models", "page: results", "fragment", "API"], name)


@backends(CATALOG_CHANGES, redis=["filter().update(display_name)"])
def test_a_catalog_change_shows_on_the_next_request(cache_backend, member, change, time_machine):
    services.set_models(user=member.user, model_ids=[OPUS], membership=None)
    assert names_seen(member) == names_shown("Claude Opus 4.5")
    CATALOG_CHANGES[change](member)
    outlast_the_cache(change, time_machine, caching.HOUR)  # what the catalog alone decides
    assert names_seen(member) == names_shown(RENAMED)


def test_a_catalog_change_while_a_search_renders_is_not_kept_as_current(member, monkeypatch):
    """A catalog sync that commits after a request searched but before it renders the results:
    that request shows what it read, and the next one the new names (the HTML of the old
    results must not be cached under the catalog's new version)."""
    search = chat_models.cached_search_results

    def search_then_sync_commits(params, **kw):
        found = search(params, **kw)
        monkeypatch.setattr(chat_models, "cached_search_results", search)  # once
        CatalogModel.objects.filter(model_id=OPUS).update(display_name=RENAMED)
        caching.bump(caching.CATALOG)  # as catalog.sync does after its bulk writes
        return found

    monkeypatch.setattr(chat_models, "cached_search_results", search_then_sync_commits)
    assert search_results(member.fragment(QUERY))[OPUS][0] == "Claude Opus 4.5"
    assert search_results(member.fragment(QUERY))[OPUS][0] == RENAMED
    assert search_results(member.page(q=QUERY))[OPUS][0] == RENAMED
