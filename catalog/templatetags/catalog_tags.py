"""Formatting for model tables: token counts, prices, capability labels, ids, DOM ids."""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from catalog.models import CAPABILITIES, Lifecycle, lifecycle
from catalog.names import id_parts
from catalog.providers import KeyRequirement

register = template.Library()


@register.filter
def tokens(value: int | None) -> str:
    """200000 -> "200K", 1048576 -> "1M"."""
    if not value:
        return "—"
    for size, digits, suffix in ((1_000_000, 2, "M"), (1_000, 1, "K")):
        if value >= size:
            return f"{value / size:.{digits}f}".rstrip("0").rstrip(".") + suffix
    return str(value)


def _dollars(value: float | None) -> str:
    """3.0 -> "$3", 2.5 -> "$2.50", 0.075 -> "$0.075"."""
    if value is None:
        return "—"
    whole, _, cents = f"{value:,.6f}".rstrip("0").partition(".")
    return f"${whole}.{cents.ljust(2, '0')}" if cents else f"${whole}"


@register.filter
def prices(model: Any) -> str:
    """Input / output price per 1M tokens, the one format of every model table: "$3 / $15"."""
    cost_input, cost_output = model.cost_input, model.cost_output
    if cost_input is None and cost_output is None:
        return "—"
    if cost_input == 0 and cost_output == 0:
        return "Free"
    return f"{_dollars(cost_input)} / {_dollars(cost_output)}"


@register.filter
def cap_label(name: str) -> str:
    return CAPABILITIES.get(name, name.replace("_", " ").capitalize())


@register.filter
def dom_id(model_id: str) -> str:
    """A stable, collision-safe element id for a model id (which holds / . : characters)."""
    return "m-" + hashlib.blake2s(model_id.encode(), digest_size=6).hexdigest()


# The longest id kept whole on one line: in the id's monospace font it fits a 390 px phone's
# card (a table row on a phone) with room to spare, indented in a hosts list too.
WHOLE_UP_TO = 32


@register.filter
def wrap_id(model_id: str) -> SafeString:
    """The id on one line (`.id-whole`) when it fits a phone's (`WHOLE_UP_TO`); a longer one in
    the parts `names.id_parts` keeps whole, with a line-break opportunity between them. Copied,
    it is the id: spans and <wbr> add no characters."""
    parts = [model_id] if len(model_id) <= WHOLE_UP_TO else id_parts(model_id)
    return mark_safe(  # noqa: S308 - each part escaped; only the spans and <wbr> added
        "<wbr>".join(f'<span class="id-whole">{escape(p)}</span>' for p in parts)
    )


@register.filter
def lifecycle_badge(model: Any) -> str:
    """ "Retired" or "Retiring on <date>" for a model with a deprecation date; else nothing."""
    deprecation_date = getattr(model, "deprecation_date", None)
    state = lifecycle(deprecation_date)  # current, so no badge, without a date
    if state == Lifecycle.RETIRED:
        return mark_safe('<span class="badge badge-danger">Retired</span>')
    if state == Lifecycle.RETIRING:
        return format_html('<span class="badge badge-warn">Retiring on {}</span>', deprecation_date)
    return ""


@register.filter
def keys_to_set(models: Any) -> list[KeyRequirement]:
    """What the models still miss in Secrets (of a provider that needs any one of its keys,
    each of them), each once, in list order: the one "Set … in the shell" note names them."""
    found = {
        KeyRequirement(tuple(model.missing_keys), any=model.keys.any): None
        for model in models
        if model.missing_keys
    }
    return list(found)
