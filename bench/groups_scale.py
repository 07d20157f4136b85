"""`make bench`'s groups scale (issue 23): an org of 20,000 members and 500 groups.

The org `bench-groups` manages access by groups, as the README says such an org does: its
default access and most members' own lists are "No platform models" ([]), a few members keep
every model (`null`) or a list of one or two of their own. "Research" has the first 5,000
members; every member is also in 0 to 3 of the other 499 groups (about 30,000 more rows), whose
allowlists are of every kind (`null`, `[]`, one to four platform models). One more member,
bench-groups-member@example.com, is in 8 groups (Research among them) and reads their access
with an API key. Filled once, in one transaction, with bulk_create: a re-run keeps it.

What the latency mode measures of it (run.py, next to the 5,000-member org's figures): the
Members page and the matrix at a middle page, Research's page, the effective-access reads
(`GET /api/v1/user/preferences` and the gateway's `GET /api/v1/gateway/access`) and SCIM
list pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User

SLUG = "bench-groups"
MEMBERS = 20_000
GROUPS = 500
BIG_GROUP = 5_000  # Research's members: the first 5,000
OWNER_EMAIL = "bench-groups-owner@example.com"
MEMBER_EMAIL = "bench-groups-member@example.com"
MEMBER_GROUPS = 8
DOMAIN = "groups.bench.example.com"
KEY_NAME = "bench-groups"
BATCH = 5_000


def fill() -> dict[str, int]:
    """The org, its members and groups, unless an earlier run made them."""
    from django.db import transaction

    from orgs.models import Group, Membership, Organization

    if not Organization.objects.filter(slug=SLUG).exists():
        print(f"  groups scale: {MEMBERS:,} members, {GROUPS} groups ...", flush=True)
        with transaction.atomic():
            _fill()
    org = Organization.objects.get(slug=SLUG)
    return {
        "groups_org_members": Membership.objects.filter(org=org).count(),
        "groups_org_groups": Group.objects.filter(org=org).count(),
        "groups_org_group_rows": Group.members.through.objects.filter(group__org=org).count(),
    }


def _fill() -> None:
    from accounts.models import User
    from catalog import caching
    from catalog.models import PlatformModel
    from orgs.models import Group, Membership, Organization, Role
    from orgs.signals import org as org_version

    aliases = list(
        PlatformModel.objects.filter(is_active=True)
        .order_by("position", "model_id")
        .values_list("model_id", flat=True)
    )

    def some(n: int, size: int) -> list[str]:
        return [aliases[(n + k) % len(aliases)] for k in range(size)]

    def own_list(n: int) -> list[str] | None:
        """Most get their models from groups only; a few keep every model or a list."""
        kind = n % 10
        return None if kind == 7 else some(n, kind - 7) if kind > 7 else []

    def group_list(n: int) -> list[str] | None:
        if n == 0:
            return some(0, 5)  # Research
        return None if n % 25 == 0 else [] if n % 10 == 1 else some(n, 1 + n % 4)

    org = Organization.objects.create(
        slug=SLUG, name="Groups Bench Org", default_allowed_model_ids=[]
    )
    owner = User.objects.create_user(OWNER_EMAIL)
    Membership.objects.create(org=org, user=owner, role=Role.OWNER)
    users = User.objects.bulk_create(
        (User(email=f"member{n:05}@{DOMAIN}", name=f"Member {n}") for n in range(MEMBERS)),
        batch_size=BATCH,
    )
    users.append(User.objects.create_user(MEMBER_EMAIL, name="Groups Bench Member"))
    members = Membership.objects.bulk_create(
        (
            Membership(org=org, user=user, allowed_model_ids=own_list(n) if n < MEMBERS else [])
            for n, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    groups = Group.objects.bulk_create(
        Group(
            org=org, name="Research" if n == 0 else f"Team {n:03}", allowed_model_ids=group_list(n)
        )
        for n in range(GROUPS)
    )
    Row = Group.members.through
    rows = [Row(group_id=groups[0].pk, membership_id=m.pk) for m in members[:BIG_GROUP]]
    for n, member in enumerate(members[:MEMBERS]):
        # 0 to 3 more groups each; 97 and 499 are coprime, so never the same group twice
        rows += [
            Row(group_id=groups[1 + (n * 7 + j * 97) % (GROUPS - 1)].pk, membership_id=member.pk)
            for j in range(n % 4)
        ]
    rows += [Row(group_id=g.pk, membership_id=members[-1].pk) for g in groups[:MEMBER_GROUPS]]
    Row.objects.bulk_create(rows, batch_size=BATCH)
    caching.bump(org_version(org.pk))  # bulk writes send no signals


def credentials() -> tuple[User, str, str]:
    """The org's owner, a new API key of the member in several groups (older bench keys
    dropped) and a new SCIM token of the org (older bench tokens dropped)."""
    from accounts.models import ApiKey, User
    from scim.models import ScimToken

    member = User.objects.get(email=MEMBER_EMAIL)
    ApiKey.objects.filter(user=member, name=KEY_NAME).delete()
    ScimToken.objects.filter(org__slug=SLUG, name=KEY_NAME).delete()
    org = member.memberships.get().org
    return (
        User.objects.get(email=OWNER_EMAIL),
        ApiKey.issue(user=member, name=KEY_NAME)[1],
        ScimToken.issue(org=org, name=KEY_NAME)[1],
    )


def research_id() -> int:
    from orgs.models import Group

    return Group.objects.get(org__slug=SLUG, name="Research").pk
