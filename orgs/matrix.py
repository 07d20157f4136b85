"""The members × models matrix: what each cell shows, and what a change to many members
would do, worked out before anything is saved so the preview and the save agree.

A change is either the ticked cells of the rows shown, or "allow / disallow one model" for
some members. Both keep a member's allowlist as a list where they can: allowing a model for
a member with a list appends it; disallowing one for a member with every platform model
(null) gives them an explicit list of the other deployed models.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from django.utils.translation import ngettext

from catalog import caching
from catalog.models import PlatformModel
from orgs.access import with_groups
from orgs.models import Group, Membership
from orgs.signals import org

ALL, LISTED, GROUP, DENIED = "all", "listed", "group", "no"
CELL_TEXT = {ALL: "All", LISTED: "Listed", DENIED: "No"}
PREVIEW_MEMBERS = 50


def members_text(count: int) -> str:
    return ngettext("%(count)d member", "%(count)d members", count) % {"count": count}


@dataclass(frozen=True)
class Cell:
    model_id: str
    state: str
    name: str = ""
    groups: tuple[str, ...] = ()  # GROUP: the groups that give it

    @property
    def allowed(self) -> bool:
        return self.state != DENIED

    @property
    def own(self) -> bool:
        """Their own allowlist gives it: what the cell's checkbox shows and changes."""
        return self.state in (ALL, LISTED)

    @property
    def text(self) -> str:
        if self.state == GROUP:
            return f"From group{'s' if len(self.groups) > 1 else ''} {', '.join(self.groups)}"
        return CELL_TEXT[self.state]


@dataclass(frozen=True)
class Row:
    member: Membership
    readonly: bool
    cells: list[Cell]


def has_groups(org_id: int) -> bool:
    """Whether the org has groups (kept while its version is current: group writes bump it),
    so the pages of an org without any read no member's groups."""
    return caching.cached(
        f"has-groups:{org_id}", [org(org_id)], lambda: Group.objects.filter(org_id=org_id).exists()
    )


def rows(me: Membership, members: list[Membership], deployed: list[PlatformModel]) -> list[Row]:
    """One row per member; owners' rows, the caller's own and deactivated members' (who have
    no access) can't be changed here. A cell
    their own list doesn't give but a group does names the group (their groups are read in
    one query, none in an org without groups)."""
    grouped = has_groups(me.org_id)
    if grouped:
        with_groups(members)
    names = {m.model_id: m.display_name or m.model_id for m in deployed}
    out = []
    for member in members:
        if not member.is_active:  # deactivated by SCIM: no access, whatever their lists say
            cells = [Cell(i, DENIED, name) for i, name in names.items()]
            out.append(Row(member, True, cells))
            continue
        groups = list(member.groups.all()) if grouped and member.is_restricted_by_own else []
        cells = [_cell(member.allowed_model_ids, groups, i, name) for i, name in names.items()]
        out.append(Row(member, member.is_owner or member.user_id == me.user_id, cells))
    return out


def _cell(allowed: list[str] | None, groups: list[Group], model_id: str, name: str) -> Cell:
    if allowed is None:
        return Cell(model_id, ALL, name)
    if model_id in allowed:
        return Cell(model_id, LISTED, name)
    giving = tuple(
        g.name for g in groups if g.allowed_model_ids is None or model_id in g.allowed_model_ids
    )
    return Cell(model_id, GROUP if giving else DENIED, name, giving)


@dataclass(frozen=True)
class Change:
    """`kind` is "cells" (then `ticked` holds each member's ticked models), "allow" or
    "disallow" (then `model` is the one model)."""

    kind: str
    model: str = ""
    ticked: Mapping[UUID, frozenset[str]] = field(default_factory=dict)

    def after(self, member: Membership, deployed: list[str]) -> list[str] | None:
        before = member.allowed_model_ids
        if self.kind == "allow":
            if before is None or self.model in before:
                return before
            return [*before, self.model]
        if self.kind == "disallow":
            if before is None:
                return [i for i in deployed if i != self.model]
            return [i for i in before if i != self.model]
        ticked = self.ticked.get(member.user_id, frozenset())
        if before is None:
            return None if ticked >= set(deployed) else [i for i in deployed if i in ticked]
        # Ids no longer deployed have no cell: they stay, as the member editor keeps them.
        kept = [i for i in before if i in ticked or i not in deployed]
        return kept + [i for i in deployed if i in ticked and i not in before]


def _does(count: int, one: str, many: str, what: str) -> str:
    """ "1 member gains dn/x", "3 members lose it"."""
    return f"{members_text(count)} {one if count == 1 else many} {what}"


def describe(allowed: list[str] | None) -> str:
    if allowed is None:
        return "All platform models"
    return ", ".join(allowed) if allowed else "No platform models"


def _usable(allowed: list[str] | None, deployed: set[str]) -> set[str]:
    return set(deployed) if allowed is None else deployed.intersection(allowed)


@dataclass
class Preview:
    changes: list[tuple[Membership, list[str] | None]] = field(default_factory=list)
    owners: int = 0
    deactivated: int = 0
    you: bool = False
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)
    deployed: list[str] = field(default_factory=list)

    @property
    def effects(self) -> list[str]:
        """Per model: "12 members gain dn/gpt-5.2; 3 members lose it"."""
        everything = set(self.deployed)
        gains: Counter[str] = Counter()
        losses: Counter[str] = Counter()
        for member, after in self.changes:
            before = _usable(member.allowed_model_ids, everything)
            now = _usable(after, everything)
            gains.update(now - before)
            losses.update(before - now)
        lines = []
        for model_id in self.deployed:
            gain, lose = gains[model_id], losses[model_id]
            parts = [_does(gain, "gains", "gain", model_id)] if gain else []
            if lose:
                parts.append(_does(lose, "loses", "lose", "it" if gain else model_id))
            if parts:
                lines.append("; ".join(parts))
        return lines

    @property
    def to_lists(self) -> int:
        """Members who had every platform model (null) and get an explicit list."""
        return sum(1 for m, after in self.changes if m.allowed_model_ids is None)

    @property
    def skipped(self) -> list[str]:
        lines = []
        if self.owners:
            owners = ngettext("%(count)d owner", "%(count)d owners", self.owners)
            lines.append(
                f"{owners % {'count': self.owners}} unchanged: owners always have every "
                "platform model."
            )
        if self.deactivated:
            lines.append(
                f"{members_text(self.deactivated)} deactivated by your identity provider "
                "unchanged: reactivate them there first."
            )
        if self.you:
            lines.append("You: your own access is unchanged.")
        if self.stale:
            lines.append(
                f"{members_text(len(self.stale))} changed since the page was shown, left "
                f"alone: {', '.join(self.stale[:20])}{' …' if len(self.stale) > 20 else ''}."
            )
        return lines

    @property
    def shown(self) -> list[tuple[str, str, str]]:
        """The first members who change: email, before, after."""
        return [
            (m.user.email, describe(m.allowed_model_ids), describe(after))
            for m, after in self.changes[:PREVIEW_MEMBERS]
        ]

    @property
    def more(self) -> int:
        return max(0, len(self.changes) - PREVIEW_MEMBERS)

    @property
    def versions(self) -> str:
        """The members who change, with the access version the preview saw: what Confirm
        sends so the save leaves alone anyone changed since."""
        return " ".join(f"{m.user_id}:{m.access_version}" for m, _ in self.changes)


def preview(
    me: Membership,
    change: Change,
    members: list[Membership],
    seen: Mapping[UUID, int | None],
    deployed: list[str],
) -> Preview:
    """What `change` does to `members`; `seen` holds the access version each was shown with
    (None: read just now), so members changed since are reported, not changed."""
    result = Preview(deployed=deployed)
    for member in members:
        version = seen.get(member.user_id)
        if member.is_owner:
            result.owners += 1
        elif member.user_id == me.user_id:
            result.you = True
        elif not member.is_active:
            result.deactivated += 1
        elif version is not None and version != member.access_version:
            result.stale.append(member.user.email)
        else:
            after = change.after(member, deployed)
            if after == member.allowed_model_ids:
                result.unchanged += 1
            else:
                result.changes.append((member, after))
    return result
