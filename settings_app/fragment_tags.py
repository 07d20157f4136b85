"""`{% fragment "page.html#partial" name=value ... %}`: a memoised fragment in a template.

The partial is rendered from the given values alone (see settings_app/fragments.py) and kept
in the cache under their digest, with this request's CSRF token put in.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import LazyObject, empty
from django.utils.safestring import SafeString

from settings_app.fragments import render_fragment, with_csrf

register = template.Library()


def _plain(value: Any) -> Any:
    if isinstance(value, LazyObject):  # context processors' lazy values
        if value._wrapped is empty:
            value._setup()
        return value._wrapped
    return value


@register.simple_tag(takes_context=True)
def fragment(context: template.Context, template_name: str, **inputs: Any) -> SafeString:
    html = render_fragment(template_name, {k: _plain(v) for k, v in inputs.items()})
    return with_csrf(context["request"], html)
