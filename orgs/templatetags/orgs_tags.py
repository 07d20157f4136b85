"""Template helpers for the members pages."""

from __future__ import annotations

from collections.abc import Collection

from django import template

from orgs.models import Access, Membership

register = template.Library()


@register.filter
def access_given(member: Membership, deployed_ids: Collection[str]) -> Access:
    """`{% with access=m|access_given:deployed_ids %}`: the member's access today."""
    return member.access(deployed_ids)
