"""HTML fragments kept in the cache under a digest of everything they show.

A fragment is rendered from its inputs alone (a plain dict of strings, numbers, dates and
tuples of them; no request, no context processors), so the digest of the inputs names its HTML
exactly: when anything it shows changes, the key changes, and no entry is ever stale. What
differs per person (an "Added" badge, "you") must be an input, so it is part of the key too.

Forms inside a fragment render a placeholder for the CSRF token; `with_csrf` puts the request's
token in. The placeholder is derived from SECRET_KEY, so page content can't forge it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from catalog import versions
from settings_app import release

TTL = 3600  # entries are never stale, only unused: an hour bounds the memory they take


def _placeholder() -> str:
    return "csrf-" + salted_hmac("settings_app.fragments", "csrf").hexdigest()[:24]


CSRF_PLACEHOLDER = lazy(_placeholder, str)()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"a fragment input must be plain data, not {type(value).__name__}")


def fragment_key(template_name: str, inputs: Mapping[str, Any]) -> str:
    payload = json.dumps([release.CODE, template_name, inputs], sort_keys=True, default=_plain)
    return "fragment:" + hashlib.sha256(payload.encode()).hexdigest()


def render_fragments(template_name: str, inputs: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each fragment's HTML, from the cache or rendered now: one cache round trip for all."""
    keys = [fragment_key(template_name, each) for each in inputs]
    found = cache.get_many(keys)
    missing = {}
    for key, each in zip(keys, inputs, strict=True):
        if key not in found:
            html = render_to_string(template_name, {**each, "csrf_token": CSRF_PLACEHOLDER})
            found[key] = missing[key] = html
    if missing:
        cache.set_many(missing, timeout=TTL)
    return [found[key] for key in keys]


def render_fragment(
    template_name: str, inputs: Mapping[str, Any], objects: Mapping[str, Any] | None = None
) -> str:
    """One fragment. `objects` are rendered but not part of the key: only for objects the
    inputs determine, such as catalog rows read under the catalog version that is an input.
    Versions are only trustworthy in a cache every process shares, so without one such a
    fragment is rendered every time."""
    if objects is None:
        return render_fragments(template_name, [inputs])[0]
    context = {**inputs, **objects, "csrf_token": CSRF_PLACEHOLDER}
    if not settings.SHARED_CACHE:
        return render_to_string(template_name, context)
    key = fragment_key(template_name, inputs)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, context)
        cache.set(key, html, timeout=TTL)
    return html


def kept_fragment(
    request: HttpRequest,
    template_name: str,
    inputs: Mapping[str, Any],
    *,
    versions_of: Sequence[str],
    objects: Callable[[], Mapping[str, Any]],
    timeout: int = TTL,
    read: versions.Read | None = None,
) -> SafeString:
    """A fragment that shows database rows, with this request's CSRF token: rendered from
    `inputs` and `objects()` (called only to render) and kept under `inputs` and the current
    versions `versions_of` names (catalog/versions.py), which every write to those rows
    bumps (`read`: what `versions.fresh` read for several at once). Without a shared cache
    it is rendered every time."""

    def render() -> str:
        html = render_to_string(
            template_name, {**inputs, **objects(), "csrf_token": CSRF_PLACEHOLDER}
        )
        # Fragments inside it already carry this request's token: back to the placeholder.
        kept_token = request.__dict__.get("_fragments_csrf")
        return html.replace(kept_token[1], str(CSRF_PLACEHOLDER)) if kept_token else html

    key = fragment_key(template_name, inputs)
    html = versions.kept(key, versions_of, render, timeout=timeout, read=read)
    return with_csrf(request, html)


KEPT_FOR_A_MINUTE = 120  # fragments that show times are of no use after their minute


def this_minute() -> dict[str, str]:
    """What "3 minutes ago", "expired" or "New" are shown from: a fragment showing them is
    kept per minute (and per time zone and language, which their formats depend on)."""
    return {
        "minute": timezone.now().strftime("%Y-%m-%dT%H:%M"),
        "zone": timezone.get_current_timezone_name(),
        "language": get_language() or "",
    }


def with_csrf(request: HttpRequest, html: str) -> SafeString:
    """The fragment's HTML with this request's CSRF token in its forms."""
    return mark_safe(html.replace(str(CSRF_PLACEHOLDER), _token(request)))  # noqa: S308


def _token(request: HttpRequest) -> str:
    """One masked token for all of a request's fragments (masking one costs more than the
    rest of `with_csrf`), a new one if the secret changed meanwhile (a login rotates it)."""
    kept = request.__dict__.get("_fragments_csrf")
    if kept is None or kept[0] != request.META.get("CSRF_COOKIE"):
        token = get_token(request)
        kept = request.__dict__["_fragments_csrf"] = (request.META["CSRF_COOKIE"], token)
    return kept[1]
