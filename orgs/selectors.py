"""Reads the members pages and the API share: member lists and the editor's model choices."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from catalog.models import PlatformModel
from catalog.platform import deployed_models
from orgs.models import Membership

PER_PAGE = 50
QUERY_MAX_LENGTH = 200


def member_page(me: Membership, query: str, page: str | int, count: int | None = None) -> Page:
    """One page of the caller's org members, searched by email or name; `count`: how many
    match, when the caller knows it already."""
    paginator = Paginator(members_matching(me, query), PER_PAGE)
    if count is not None:
        vars(paginator)["count"] = count  # its cached_property: no COUNT query of its own
    return paginator.get_page(page)


def members_matching(me: Membership, query: str) -> QuerySet[Membership]:
    """The caller's org members whose email or name contains `query`, by email."""
    members = Membership.objects.filter(org=me.org).select_related("user").order_by("user__email")
    if query:
        members = members.filter(Q(user__email__icontains=query) | Q(user__name__icontains=query))
    return members


def ids_of(models: list[PlatformModel]) -> frozenset[str]:
    return frozenset(m.model_id for m in models)


def editor_choices(allowed: list[str] | None) -> list[PlatformModel]:
    """Deployed models, plus ones the allowlist names that are no longer deployed."""
    deployed = deployed_models()
    deployed_ids = ids_of(deployed)
    gone = [i for i in (allowed or []) if i not in deployed_ids]
    stale = {m.model_id: m for m in PlatformModel.objects.filter(model_id__in=gone)} if gone else {}
    return deployed + [stale.get(i) or PlatformModel(model_id=i, is_active=False) for i in gone]
