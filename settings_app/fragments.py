"""HTML fragments shared by everyone who sees the same, kept in the cache under a digest of
their plain inputs: what differs per person must be an input. `objects` are rendered but not
keyed, so only for what the inputs or `depends_on` versions determine. Forms render a CSRF
placeholder (derived from SECRET_KEY, so content can't forge it) that `with_csrf` fills in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe

from catalog import caching


@cache  # read in every form of every fragment
def _placeholder() -> str:
    return "csrf-" + salted_hmac("settings_app.fragments", "csrf").hexdigest()[:24]


CSRF_PLACEHOLDER = lazy(_placeholder, str)()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"a fragment input must be plain data, not {type(value).__name__}")


def _key(template_name: str, inputs: Mapping[str, Any]) -> str:
    payload = json.dumps([template_name, inputs], sort_keys=True, default=_plain)
    return "fragment:" + hashlib.sha256(payload.encode()).hexdigest()


def render_fragments(
    template_name: str,
    inputs: Sequence[Mapping[str, Any]],
    objects: Mapping[str, Any] | None = None,
    depends_on: Sequence[str] = (),
    ttl: int | None = None,
) -> list[str]:
    """Each fragment's HTML, from the cache or rendered now: one cache round trip for all,
    none for those this process kept. Kept an hour, or `ttl`, or caching.TTL with
    `depends_on`."""
    extra = {**(objects or {}), "csrf_token": CSRF_PLACEHOLDER}
    builds = {
        _key(template_name, each): lambda each=each: render_to_string(
            template_name, {**each, **extra}
        )
        for each in inputs
    }
    ttl = ttl or (caching.TTL if depends_on else caching.HOUR)
    found = caching.cached_many(builds, depends_on, ttl)
    return [found[key] for key in builds]


def render_fragment(
    template_name: str, inputs: Mapping[str, Any], *args: Any, **kwargs: Any
) -> str:
    return render_fragments(template_name, [inputs], *args, **kwargs)[0]


def with_csrf(request: HttpRequest, html: str) -> SafeString:
    """The fragment's HTML with this request's CSRF token in its forms."""
    return mark_safe(html.replace(str(CSRF_PLACEHOLDER), _token(request)))  # noqa: S308


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `{% csrf_token %}` in a page uses the same masked token as its
    fragments (Django's own processor, which this one overrides, masks another)."""
    return {"csrf_token": _lazy_token(request)}


def _token(request: HttpRequest) -> str:
    """One masked token for all of a request's fragments (masking one costs more than the
    rest of `with_csrf`), a new one if the secret changed meanwhile (a login rotates it)."""
    kept = request.__dict__.get("_fragments_csrf")
    if kept is None or kept[0] != request.META.get("CSRF_COOKIE"):
        token = get_token(request)
        kept = request.__dict__["_fragments_csrf"] = (request.META["CSRF_COOKIE"], token)
    return kept[1]


_lazy_token = lazy(_token, str)  # made once: each lazy() call defines a class (~0.15 ms)
