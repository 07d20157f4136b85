"""The members page's template context and its member-row fragment, which the members and
the model-access views both answer with."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from catalog.platform import deployed_models
from orgs.models import Membership, Role
from orgs.selectors import ids_of

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
    """One member's row; `extra` may carry a message for it (`error`, `success`), which
    takes the keyboard focus so the result is read out where it happened."""
    context = page_context(me, m=member, deployed_ids=ids_of(deployed_models()), **extra)
    return render(request, TEMPLATE + "#member_row", context)
