"""Formatting for model tables: token counts, prices, capability labels, DOM ids."""

from __future__ import annotations

import hashlib

from django import template

from catalog.models import CAPABILITIES

register = template.Library()


@register.filter
def tokens(value: int | None) -> str:
    """200000 -> "200K", 1048576 -> "1M"."""
    if not value:
        return "—"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + "M"
    if value >= 1_000:
        return f"{value / 1_000:.1f}".rstrip("0").rstrip(".") + "K"
    return str(value)


@register.filter
def price(value: float | None) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "free"
    return f"${value:,.2f}" if value >= 0.1 else f"${value:.3f}".rstrip("0")


@register.filter
def cap_label(name: str) -> str:
    return CAPABILITIES.get(name, name.replace("_", " ").capitalize())


@register.filter
def dom_id(model_id: str) -> str:
    """A stable, collision-safe element id for a model id (which holds / . : characters)."""
    return "m-" + hashlib.blake2s(model_id.encode(), digest_size=6).hexdigest()
