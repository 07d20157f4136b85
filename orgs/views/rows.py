"""The members page's template context and its member-row fragment, which the members and
the model-access views both answer with."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from orgs.models import Membership, Role

TEMPLATE = "orgs/members.html"


def members_url(me: Membership) -> str:
    return reverse("orgs:members", args=[me.org.slug])


def page_context(me: Membership, **extra: Any) -> dict[str, Any]:
    """What every members-page template needs. Row URLs extend `members_url`, reversed once
    here rather than once per row."""
    return {
        "me": me,
        "org": me.org,
        "roles": Role.choices,
        "members_url": members_url(me),
        **extra,
    }


def member_row(
    request: HttpRequest, me: Membership, member: Membership, **extra: Any
) -> HttpResponse:
    return render(request, TEMPLATE + "#member_row", page_context(me, m=member, **extra))
