"""`{{ moment|ago_text }}`: "3 minutes ago", or "just now" within the first minute (Django's
timesince says "0 minutes"). A builtin, so every page and `{% ago %}` say times alike."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.template.defaultfilters import timesince_filter
from django.utils import timezone

register = template.Library()


@register.filter
def ago_text(moment: datetime | None) -> str:
    if not moment:
        return "never"
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince_filter(moment)} ago"
