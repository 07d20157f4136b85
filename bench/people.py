"""The people `make bench`'s throughput mode drives the app as, in two traffic shapes.

"warm": one person, one URL a row, as a benchmark repeats a request. "realistic", in the bench
org: 1,000 contributors with an API key each, allowlists of every kind (`null`,
`[]`, one to three platform aliases) and BYOK lists of one to six catalog models of various
providers (every other one with a saved key for the first); the first 200 of them signed in,
and 5 owners signed in. What they type: a few hundred searches as the search box sends them
(each prefix of a model name as it is typed, and typos), and the members pages and searches
an owner opens. Written one a line to files that bench/people.lua picks from at random on
every request.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "artifacts" / "people"
KEYS = 1_000
SIGNED_IN = 200
OWNERS = 5
KEY_NAME = "bench-gateway"
MEMBER_EMAIL = "bench-member@example.com"
BYOK_MODEL = "anthropic/claude-opus-4-5"
BYOK_PROVIDERS = ["anthropic", "openai", "gemini", "mistral", "deepseek", "xai", "groq"]
# What people type in the Chat Models search box; the box asks on every pause in typing.
TYPED = [
    "claude sonnet 4",
    "sonnet 4.5",
    "claude opus 4.5",
    "haiku",
    "gpt 4o mini",
    "gpt-4.1",
    "gpt 5",
    "o3 mini",
    "o4-mini",
    "gemini 2.5 pro",
    "gemini flash",
    "llama 3.1 70b",
    "llama 4 maverick",
    "deepseek r1",
    "deepseek chat",
    "mistral large",
    "codestral",
    "qwen 2.5 coder",
    "grok 4",
    "kimi k2",
    "command r plus",
    "nova pro",
    "phi 4",
    "gemma 3 27b",
    "anthropic/claude",
    "openai/gpt-5",
    "cap:vision gemini",
]


@dataclass
class Files:
    """What bench/people.lua picks from, one entry a line, for one traffic shape."""

    api_keys: Path
    proxy_keys: Path  # what LiteLLM's /v1/models is called with
    sessions: Path  # `sessionid=…` cookies of the signed-in people
    owners: Path  # the owners' cookies
    searches: Path  # search fragment paths
    member_pages: Path  # members page paths: pages and searches


def warm(secret_key: str, proxy_key: str) -> Files:
    """One person, one URL a row: bench-member (every platform model, one BYOK model with its
    key saved) with a new API key, signed in; bench-owner signed in; one search; the first
    members page; LiteLLM's master key."""
    from accounts import services
    from accounts.models import ApiKey, User
    from orgs.models import Membership, Organization, Role

    member = User.objects.filter(email=MEMBER_EMAIL).first() or User.objects.create_user(
        MEMBER_EMAIL
    )
    Membership.objects.update_or_create(
        org=Organization.objects.get(slug="bench"),
        user=member,
        defaults={"role": Role.CONTRIBUTOR, "allowed_model_ids": None},
    )
    services.set_models(user=member, model_ids=[BYOK_MODEL], membership=None)
    services.save_secret(user=member, name="ANTHROPIC_API_KEY", value="sk-ant-bench-0000000000")
    ApiKey.objects.filter(user=member).delete()
    return _write(
        "warm",
        api_keys=[ApiKey.issue(user=member, name="bench")[1]],
        proxy_keys=[proxy_key],
        sessions=session_cookies([member], secret_key),
        owners=session_cookies(owners(1), secret_key),
        searches=["/settings/chat-models/?q=opus+4.5"],
        member_pages=["/orgs/bench/members/"],
    )


def realistic(secret_key: str) -> Files:
    """The population described at the top, each request a person at random."""
    from orgs.models import Membership

    holders = with_api_keys()
    give_byok_lists([user for user, _ in holders])
    keys = [key for _, key in holders]
    return _write(
        "realistic",
        api_keys=keys,
        proxy_keys=keys,
        sessions=session_cookies([user for user, _ in holders[:SIGNED_IN]], secret_key),
        owners=session_cookies(owners(), secret_key),
        searches=searches(),
        member_pages=member_pages(Membership.objects.filter(org__slug="bench").count()),
    )


def _write(shape: str, **lines: list[str]) -> Files:
    folder = WORK / shape
    folder.mkdir(parents=True, exist_ok=True)
    for name, entries in lines.items():
        (folder / f"{name}.txt").write_text("\n".join(entries) + "\n")
    return Files(**{name: folder / f"{name}.txt" for name in lines})


def with_api_keys(count: int = KEYS) -> list[tuple[User, str]]:
    """`count` contributors of the bench org, their allowlists cycling through every kind,
    each with a new API key (older bench keys are dropped): (user, raw key) pairs."""
    from accounts.models import ApiKey
    from catalog.models import PlatformModel
    from orgs.models import Membership, Role

    aliases = list(
        PlatformModel.objects.filter(is_active=True).values_list("model_id", flat=True)[:3]
    )
    kinds: list[list[str] | None] = [None, [], aliases[:1], aliases[:2], aliases]
    members = list(
        Membership.objects.filter(org__slug="bench", role=Role.CONTRIBUTOR)
        .select_related("user")
        .order_by("pk")[:count]
    )
    if len(members) < count:
        raise SystemExit(f"the bench org has {len(members)} contributors, {count} needed")
    for n, membership in enumerate(members):
        membership.allowed_model_ids = kinds[n % len(kinds)]
    Membership.objects.bulk_update(members, ["allowed_model_ids"])
    ApiKey.objects.filter(name=KEY_NAME).delete()
    return [(m.user, ApiKey.issue(user=m.user, name=KEY_NAME)[1]) for m in members]


def give_byok_lists(users: list[User]) -> None:
    """One to six catalog models each, of various providers, the same on every run; every
    other person saves a key for their first model's provider. Done once: people who have a
    list keep it."""
    from accounts import services
    from accounts.models import EnabledModel
    from catalog.models import CatalogModel
    from catalog.providers import PROVIDERS

    pool = [
        model_id
        for provider in BYOK_PROVIDERS
        for model_id in CatalogModel.objects.filter(provider=provider, mode="chat")
        .exclude(model_id__contains="-ft0")  # the bench's synthetic rows
        .order_by("model_id")
        .values_list("model_id", flat=True)[:8]
    ]
    done = set(EnabledModel.objects.filter(user__in=users).values_list("user_id", flat=True))
    for n, user in enumerate(users):
        if user.pk in done:
            continue
        models = random.Random(n).sample(pool, 1 + n % 6)
        services.set_models(user=user, model_ids=models, membership=None)
        if n % 2 == 0:
            name = PROVIDERS[models[0].split("/")[0]].keys.names[0]
            services.save_secret(user=user, name=name, value=f"sk-bench-{n:04}-0000000000")


def owners(count: int = OWNERS) -> list[User]:
    """bench-owner@example.com and `count - 1` more owners of the bench org."""
    from accounts.models import User
    from orgs.models import Membership, Organization, Role

    org = Organization.objects.get(slug="bench")
    emails = ["bench-owner@example.com"] + [
        f"bench-owner{n}@example.com" for n in range(2, count + 1)
    ]
    found = []
    for email in emails:
        user = User.objects.filter(email=email).first() or User.objects.create_user(email)
        Membership.objects.get_or_create(org=org, user=user, defaults={"role": Role.OWNER})
        found.append(user)
    return found


def session_cookies(users: list[User], secret_key: str) -> list[str]:
    """A session for each of `users`, written to the database as a login writes it (no login
    form, so no login throttle), signed with the app server's SECRET_KEY; and the CSRF
    cookie their browser keeps from the login page, as a browser sends it with every request."""
    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.test import Client, override_settings
    from django.utils.crypto import get_random_string

    name = settings.SESSION_COOKIE_NAME
    cookies = []
    with override_settings(SECRET_KEY=secret_key, AXES_ENABLED=False):  # axes logs each one
        for user in users:
            client = Client()
            client.force_login(user, backend="accounts.backends.ModelBackend")
            csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
            cookies.append(
                f"{name}={client.cookies[name].value}; {settings.CSRF_COOKIE_NAME}={csrf}"
            )
    return cookies


def typed(text: str) -> list[str]:
    """Every prefix of `text` from two characters on, as a person types it."""
    return [text[:n] for n in range(2, len(text) + 1)]


def typos(text: str, rng: random.Random) -> list[str]:
    """`text` with two letters swapped, and with one left out."""
    i = rng.randrange(1, len(text) - 1)
    return [text[:i] + text[i + 1] + text[i] + text[i + 2 :], text[:i] + text[i + 1 :]]


def searches() -> list[str]:
    rng = random.Random(0)
    queries = [q for text in TYPED for q in typed(text) + typos(text, rng)]
    return ["/settings/chat-models/?" + urlencode({"q": q}) for q in dict.fromkeys(queries)]


def member_pages(members: int) -> list[str]:
    """Each page of the member list, and an owner looking someone up by email or name."""
    from orgs.selectors import PER_PAGE

    rng = random.Random(0)
    pages = [f"/orgs/bench/members/?page={n}" for n in range(1, members // PER_PAGE + 1)]
    looked_up = rng.sample(range(members), 10)
    queries = [q for n in looked_up for q in typed(f"member{n:05}")[3:]]
    queries += [f"Member {n}" for n in looked_up]
    return pages + ["/orgs/bench/members/?" + urlencode({"q": q}) for q in queries]
