"""Who may see what. Every org view and API operation starts with one of these: outsiders
get 404 (an org's existence isn't revealed), members whose role is too low get 403."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db.models import F, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import ApiKey, User
from accounts.signals import person
from catalog import caching
from orgs.models import Membership, Role

SESSION_KEY = "active_org"
_CACHE = "_org_memberships"
MEMBERSHIPS = "memberships_read"  # on a signed-in person: accounts.backends read them with them


def get_membership(request: HttpRequest, slug: str) -> Membership:
    """The caller's membership in org `slug`; 404 for outsiders (and anonymous API callers)."""
    for membership in user_memberships(request):
        if membership.org.slug == slug:
            return membership
    raise Http404("No such organization.")


def get_owner_membership(request: HttpRequest, slug: str) -> Membership:
    """Like get_membership, but 403 unless the caller owns the org."""
    membership = get_membership(request, slug)
    if membership.role != Role.OWNER:
        raise PermissionDenied("Only owners of this organization can do that.")
    return membership


def user_memberships(request: HttpRequest) -> list[Membership]:
    """All the caller's memberships, by org name: kept in the cache while the person's
    version is current, and on the request."""
    found = request.__dict__.get(_CACHE)
    if found is None:
        user = request.user
        if not user.is_authenticated:
            found = []
        elif (found := getattr(user, MEMBERSHIPS, None)) is None:
            found = caching.cached(
                f"memberships:{user.pk}", [person(user.pk)], lambda: read_memberships(user.pk)
            )
        request.__dict__[_CACHE] = found
    return found


def read_memberships(user_id: Any) -> list[Membership]:
    """A person's active memberships, by org name, from the database."""
    memberships = Membership.objects.filter(user_id=user_id, is_active=True).select_related("org")
    return with_groups(list(memberships.order_by("org__name")))


M = TypeVar("M", bound=Membership)


def with_groups(memberships: list[M]) -> list[M]:
    """Read, in one query, the groups of those whose groups can add to their access (neither
    owners nor unrestricted: `Membership.effective_model_ids` doesn't look further)."""
    prefetch_related_objects([m for m in memberships if m.is_restricted_by_own], "groups")
    return memberships


@dataclass(frozen=True)
class KeyHolder:
    user: User
    key_id: int
    last_used_at: datetime | None
    memberships: Sequence[Membership]


def api_key_holder(request: HttpRequest, key_hash: str) -> KeyHolder | None:
    """Who holds the live API key with this hash, with their memberships (which
    `user_memberships` then reuses). The cache remembers whose key a hash is, and the holder
    under their version, which revoking the key, deactivating the account or any membership
    change bumps; either is kept at most caching.TTL, whatever wrote the database."""
    holder = None

    def read_holder_id() -> Any:
        nonlocal holder
        holder = read_api_key_holder(key_hash)
        return holder.user.pk if holder else None

    user_id = caching.cached(f"api-key-user:{key_hash}", [], read_holder_id)
    if holder is None and user_id is not None:  # whose it is was known: the holder, kept
        holder = caching.cached(
            f"api-key:{key_hash}",
            [person(user_id)],
            # Only this person's key: a key given to someone else is read again above.
            lambda: h if (h := read_api_key_holder(key_hash)) and h.user.pk == user_id else None,
        )
    if holder is not None:
        request.__dict__[_CACHE] = list(holder.memberships)
    return holder


def read_api_key_holder(key_hash: str) -> KeyHolder | None:
    """`api_key_holder` from the database: one query for a member of any org (two for
    someone in none, or an unknown key)."""
    memberships = list(
        Membership.objects.filter(
            user__api_keys__key_hash=key_hash,
            user__api_keys__revoked_at__isnull=True,
            user__is_active=True,
            is_active=True,
        )
        .select_related("user", "org")
        .annotate(key_id=F("user__api_keys__id"), key_used=F("user__api_keys__last_used_at"))
        .order_by("org__name")
    )
    if with_groups(memberships):
        user = memberships[0].user
        for membership in memberships:
            membership.user = user
        return KeyHolder(user, memberships[0].key_id, memberships[0].key_used, memberships)
    api_key = (
        ApiKey.objects.select_related("user")
        .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if api_key is None:
        return None
    return KeyHolder(api_key.user, api_key.pk, api_key.last_used_at, [])


def active_membership(request: HttpRequest, slug: str | None = None) -> Membership | None:
    """The membership whose org decides the caller's platform models: `slug` if given,
    else the one chosen in the switcher, else the first."""
    memberships = user_memberships(request)
    wanted = slug or getattr(request, "session", {}).get(SESSION_KEY)
    for membership in memberships:
        if membership.org.slug == wanted:
            return membership
    if slug:
        raise Http404("No such organization.")
    return memberships[0] if memberships else None


def choose_org(request: HttpRequest, membership: Membership) -> None:
    """Make `membership`'s org the active one, for this session and, remembered on the
    person, for their next sessions."""
    slug = membership.org.slug
    request.session[SESSION_KEY] = slug
    user = request.user
    if isinstance(user, User) and user.last_org != slug:
        User.objects.filter(pk=user.pk).update(last_org=slug)
        caching.bump(person(user.pk))  # an update sends no signals
        user.last_org = slug


def _on_login(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """A new session starts in the org the person last chose (pages only: the API and the
    gateway take the org they are given, else the first by name)."""
    if request is not None and hasattr(request, "session") and user.last_org:
        request.session[SESSION_KEY] = user.last_org


user_logged_in.connect(_on_login, dispatch_uid="orgs.access.remember_org")


def target_membership(me: Membership, user_id: UUID) -> Membership:
    """A member of the caller's org, for an owner action that may not touch the caller."""
    target = get_object_or_404(
        Membership.objects.select_related("user").prefetch_related("groups"),
        org=me.org,
        user_id=user_id,
    )
    if target.user_id == me.user_id:
        raise PermissionDenied("You can't change your own role or model access.")
    return target
