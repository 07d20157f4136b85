"""How views answer: a mutating view with the changed fragment for htmx, else message +
redirect; a hot API read with its JSON as is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def fragment_or_redirect(
    request: HttpRequest,
    fragment: Callable[[], HttpResponse] | None,
    to: str,
    *,
    error: str = "",
    success: str = "",
) -> HttpResponse:
    """htmx gets `fragment()` (200 even for errors: htmx 2 does not swap 4xx answers); else
    the message goes to the messages framework and the browser is redirected."""
    if fragment is not None and getattr(request, "htmx", False):
        return fragment()
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect(to)


def fast_json(data: Any, *, headers: dict[str, str] | None = None) -> HttpResponse:
    """JSON as the API renders it (dates as ISO strings), without a schema pass: for hot
    reads whose dicts already have their documented shape."""
    return HttpResponse(
        orjson.dumps(data), content_type="application/json; charset=utf-8", headers=headers
    )
