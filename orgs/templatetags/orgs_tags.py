"""Template helpers for the org pages."""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import NamedTuple

from django import template
from django.conf import settings
from django.template.defaultfilters import date
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name, is_aware, localtime
from django.utils.translation import get_language

from orgs.gateway import MARK_KEPT_FOR, last_asked
from settings_app.time_tags import ago_text

register = template.Library()


class ShownTime(NamedTuple):
    """A moment as a page shows it: the `datetime` and `title` of its <time>, and its text."""

    datetime: str
    title: str
    text: str


def shown_time(moment: datetime) -> ShownTime:
    """What `{% ago %}` shows, as plain strings: rows rendered from plain inputs carry these."""
    exact, title = _exact(moment, get_current_timezone_name(), get_language())
    return ShownTime(exact, title, ago_text(moment))


@functools.lru_cache(maxsize=4096)
def _exact(moment: datetime, zone: str, language: str) -> tuple[str, str]:
    """The fixed part, formatted once per process: a page of 50 rows asks for the same ones
    on every view. `zone` and `language` (the current ones) are what the formats depend on."""
    local = localtime(moment) if settings.USE_TZ and is_aware(moment) else moment  # as |date does
    return date(local, "c"), f"{date(local, 'DATETIME_FORMAT')} {date(local, 'T')}"


@register.simple_tag
def ago(moment: datetime | None) -> SafeString:
    """`{% ago t %}`: "3 days ago", with the exact time in its title; "never" for None."""
    if not moment:
        return SafeString("never")
    shown = shown_time(moment)
    return format_html('<time datetime="{}" title="{}">{}</time>', *shown)


@register.inclusion_tag("orgs/_gateway_note.html")
def gateway_note(org_id: int) -> dict[str, object]:
    """Owners: where model access is enforced, and whether the gateway has asked lately."""
    return {
        "asked": last_asked(org_id),
        "ttl": settings.GATEWAY_ACCESS_TTL,
        "kept_days": MARK_KEPT_FOR // 86400,
    }


@register.filter
def unbroken_ids(text: str) -> SafeString:
    """The text with each model id in it kept whole (`.id-whole` doesn't wrap): a line breaks
    between ids, never inside one ("dn/claude-opus-4-" / "6")."""
    return mark_safe(  # noqa: S308 - escaped first; the pattern adds only the span
        re.sub(r"([^\s,()]+/[^\s,()]+)", r'<span class="id-whole">\1</span>', escape(text))
    )
