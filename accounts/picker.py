"""The picker set (permitted platform models, then the BYOK list): for page, API and tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Secret
from accounts.signals import byok
from catalog import caching
from catalog.models import (
    ENTRY_FIELDS,
    CatalogModel,
    Lifecycle,
    ModelSpecs,
    PlatformModel,
    lifecycle,
)
from catalog.names import display_name
from catalog.platform import PlatformStatus, platform_snapshot
from catalog.providers import PLATFORM_PROVIDER_LABEL, KeyRequirement, get_provider, provider_of
from catalog.replacements import successors
from settings_app.db import JoinedNames

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import Membership


# The columns of a catalog or platform row an entry shows (a platform row has no dates).
SPEC_FIELDS = (
    "context_window",
    "max_output",
    "cost_input",
    "cost_output",
    "capabilities",
    "modalities_input",
    "modalities_output",
    "knowledge_cutoff",
    "deprecation_date",
)


@dataclass
class PickerModel:
    id: str
    name: str
    provider: str
    provider_label: str
    is_system_model: bool
    keys: KeyRequirement = field(default_factory=lambda: KeyRequirement(()))
    missing_keys: list[str] = field(default_factory=list)
    in_catalog: bool = True
    # For a retiring or retired BYOK model: the current model suggested in its place.
    replacement: CatalogModel | None = None
    context_window: int | None = None
    max_output: int | None = None
    cost_input: float | None = None
    cost_output: float | None = None
    capabilities: list[str] = field(default_factory=list)
    modalities_input: list[str] = field(default_factory=list)
    modalities_output: list[str] = field(default_factory=list)
    knowledge_cutoff: date | None = None
    deprecation_date: date | None = None

    @property
    def has_required_keys(self) -> bool:
        return not self.missing_keys

    @property
    def required_api_keys(self) -> list[str]:
        return list(self.keys.names)

    @property
    def lifecycle(self) -> str:
        return lifecycle(self.deprecation_date)


@dataclass
class PickerSet:
    permitted: list[PlatformModel]  # the platform models the member may run
    byok: list[PickerModel]
    restricted: bool
    status: PlatformStatus | None

    @cached_property
    def platform(self) -> list[PickerModel]:
        """Their entries, built when shown: a page whose platform section is kept needs none."""
        return [platform_entry(m) for m in self.permitted]

    @property
    def models(self) -> list[PickerModel]:
        return self.platform + self.byok

    @property
    def enabled_model_ids(self) -> list[str]:
        return [m.id for m in self.byok]


def permitted_platform_models(
    membership: Membership | None, deployed: list[PlatformModel]
) -> list[PlatformModel]:
    """None = every deployed model; [] = none; a list = exactly those (in platform order)."""
    if membership is None:
        return []
    allowed = membership.effective_model_ids
    if allowed is None:
        return deployed
    allowed_set = set(allowed)
    return [m for m in deployed if m.model_id in allowed_set]


def _specs(row: ModelSpecs | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {name: getattr(row, name, None) for name in SPEC_FIELDS}


def platform_entry(model: PlatformModel) -> PickerModel:
    return PickerModel(
        id=model.model_id,
        name=model.display_name or display_name(model.model_id),
        provider="dn",
        provider_label=PLATFORM_PROVIDER_LABEL,
        is_system_model=True,
        **_specs(model),
    )


def byok_entry(model_id: str, row: CatalogModel | None, saved_keys: set[str]) -> PickerModel:
    provider = get_provider(provider_of(model_id))
    return PickerModel(
        id=model_id,
        name=row.display_name if row else display_name(model_id),
        provider=provider.slug,
        provider_label=provider.label,
        is_system_model=False,
        keys=provider.keys,
        missing_keys=provider.keys.missing(saved_keys),
        in_catalog=row is not None,
        **_specs(row),
    )


def user_byok(user: User) -> list[PickerModel]:
    """The person's BYOK list, kept until their list, their secrets or the catalog change."""
    return caching.cached(
        f"byok:{user.pk}", [byok(user.pk), caching.CATALOG], lambda: read_byok(user)
    )


def read_byok(user: User) -> list[PickerModel]:
    """`user_byok` in one query: the list joined to the catalog and the saved secrets' names."""
    saved_names = (
        Secret.objects.filter(user=OuterRef("user"))
        .order_by()
        .values("user")
        .annotate(names=JoinedNames("name"))
        .values("names")
    )
    rows = (
        user.enabled_models.select_related("catalog")
        .only("user", "model_id", *(f"catalog__{name}" for name in ENTRY_FIELDS))
        .annotate(saved_names=Subquery(saved_names))
        .order_by("position", "id")
    )
    return [
        byok_entry(row.model_id, row.catalog, set((row.saved_names or "").split(",")))
        for row in rows
    ]


def suggest_replacements(entries: list[PickerModel]) -> list[PickerModel]:
    """Fill in `replacement` for retiring and retired entries. Each model's successor is the
    catalog's alone (kept an hour per model and day, whoever lists it); one this list holds
    already is passed over for the next."""
    ending = [e.id for e in entries if e.lifecycle != Lifecycle.CURRENT]
    if not ending:
        return entries
    day = timezone.localdate()
    keys = {m: "successor:" + hashlib.sha256(repr((m, day)).encode()).hexdigest() for m in ending}
    all_of_them = cache(lambda: successors(ending))  # one query for all that are missing

    def build(model_id: str) -> Callable[[], CatalogModel | None]:
        return lambda: all_of_them().get(model_id)

    kept = caching.cached_many({keys[m]: build(m) for m in ending}, [caching.CATALOG], caching.HOUR)
    found = {m: kept[keys[m]] for m in ending}
    listed = [e.id for e in entries]
    taken = [m for m, row in found.items() if row is not None and row.model_id in listed]
    if taken:  # kept for this list and day, as the catalog's own are for the model
        named = repr((sorted(taken), sorted(listed), day))
        found |= dict.fromkeys(taken) | caching.cached(
            "successors-for-list:" + hashlib.sha256(named.encode()).hexdigest(),
            [caching.CATALOG],
            lambda: successors(taken, exclude=listed),
            caching.HOUR,
        )
    for entry in entries:
        entry.replacement = found.get(entry.id)
    return entries


def picker_set(*, user: User, membership: Membership | None) -> PickerSet:
    snapshot = platform_snapshot()
    platform = permitted_platform_models(membership, list(snapshot.models))
    return PickerSet(
        permitted=platform,
        byok=user_byok(user),
        restricted=membership is not None and membership.is_restricted,
        status=snapshot.status,
    )


# Why each platform model is (or isn't) in the picker, for the page and the API.
REASONS = {
    "owner": "You're an owner: owners always have every platform model.",
    "unrestricted": "Your org gives you every platform model.",
    "listed": "On your list: your org's owners gave you this model.",
    "group": "From {groups}: your org's owners gave it to {them}.",
    "not_listed": "Not on your list.",
    "no_platform_access": "Your org gives you no platform models.",
    "not_deployed": "On your list, but no longer deployed.",
}
LISTED_MANY = "On your list: your org's owners gave you these models."
# What would give access, said to a member in groups (members in none read REASONS as is).
IN_GROUPS = {
    "not_listed": "Not on your list, nor given by {groups}: an owner can add it to your "
    "list or to a group you're in.",
    "no_platform_access": "Neither your list nor {groups} gives you platform models: an owner "
    "can add models to your list or to a group you're in.",
}


def groups_phrase(names: list[str]) -> str:
    """ "group Research", "groups Research and Contractors", "groups A, B and C"."""
    if len(names) == 1:
        return f"group {names[0]}"
    return f"groups {', '.join(names[:-1])} and {names[-1]}"


def member_groups(membership: Membership) -> list[str]:
    """Their groups' names (the access paths prefetch `groups`: no query)."""
    return [group.name for group in membership.groups.all()]


@dataclass
class PlatformAccess:
    id: str
    name: str
    allowed: bool
    reason: str
    model: PlatformModel | None = None  # None for listed ids that are no longer deployed
    # The groups that give it (allowed), or the member's groups (locked): the why's names.
    groups: list[str] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        if self.groups and self.reason in IN_GROUPS:
            return IN_GROUPS[self.reason].format(groups=groups_phrase(self.groups))
        if self.reason == "group":
            them = "that group" if len(self.groups) == 1 else "those groups"
            return REASONS["group"].format(groups=groups_phrase(self.groups), them=them)
        text = REASONS[self.reason]
        if self.groups and self.reason == "listed":
            return f"{text} Also from {groups_phrase(self.groups)}."
        return text


def group_sources(membership: Membership | None, model_id: str) -> list[str]:
    """The groups that give a member `model_id` (none for owners and unrestricted members,
    whose access is their own)."""
    if membership is None:
        return []
    return [name for name in membership.sources_of(model_id) if name != "own"]


def platform_access(
    membership: Membership | None, deployed: list[PlatformModel]
) -> list[PlatformAccess]:
    """Every deployed platform model, whether the member may use it and why: allowed first,
    then locked, then listed ids no longer deployed. A model their groups give names them."""
    if membership is None:
        return []
    allowed = membership.effective_model_ids
    permitted = {m.model_id for m in permitted_platform_models(membership, deployed)}
    own = membership.allowed_model_ids or []
    mine = member_groups(membership) if membership.is_restricted_by_own else []
    if membership.is_owner:
        yes, no = "owner", "not_listed"
    elif membership.allowed_model_ids is None:
        yes, no = "unrestricted", "not_listed"
    else:
        yes, no = "listed", "not_listed" if allowed else "no_platform_access"

    def row(m: PlatformModel) -> PlatformAccess:
        if m.model_id not in permitted:
            return PlatformAccess(
                m.model_id, m.display_name or display_name(m.model_id), False, no, m, mine
            )
        groups = group_sources(membership, m.model_id) if mine else []
        reason = "group" if yes == "listed" and m.model_id not in own else yes
        return PlatformAccess(
            m.model_id, m.display_name or display_name(m.model_id), True, reason, m, groups
        )

    rows = [row(m) for m in deployed]
    deployed_ids = {m.model_id for m in deployed}
    retired = [
        PlatformAccess(id=i, name=display_name(i), allowed=False, reason="not_deployed")
        for i in (own if allowed is not None else [])
        if i not in deployed_ids
    ]
    return [r for r in rows if r.allowed] + [r for r in rows if not r.allowed] + retired
