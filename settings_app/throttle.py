"""Brute-force throttles (axes' login hooks, bad API keys per address), counted in the cache."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

API_KEY_FAILURE_LIMIT = 20
API_KEY_FAILURE_WINDOW = 60  # seconds


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a login attempt targets; emails are case-insensitive, so are the counts."""
    source = credentials if credentials is not None else request.POST
    return str(source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()


def cooloff_minutes() -> int:
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The login page's look, saying when to try again (each refused attempt restarts the wait)."""
    response = render(
        request, "registration/locked_out.html", {"minutes": cooloff_minutes()}, status=429
    )
    response["Retry-After"] = str(cooloff_minutes() * 60)
    return response


def client_address(request: HttpRequest) -> str:
    """The address failures count against: behind TRUSTED_PROXY_COUNT proxies, the one the
    outermost proxy appended to X-Forwarded-For (entries further left are the client's claim)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if count and len(forwarded) >= count:
        return forwarded[-count].strip()
    return request.META.get("REMOTE_ADDR", "")


def _api_key_failures_key(request: HttpRequest) -> str:
    return f"api-key-failures:{client_address(request)}"


def api_key_throttled(request: HttpRequest) -> bool:
    return cache.get(_api_key_failures_key(request), 0) >= API_KEY_FAILURE_LIMIT


def count_bad_api_key(request: HttpRequest) -> None:
    """One more bad key from this address; the count lapses a window after the first one."""
    key = _api_key_failures_key(request)
    cache.add(key, 0, timeout=API_KEY_FAILURE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        # The window lapsed between add and incr: this failure opens a new one.
        cache.add(key, 1, timeout=API_KEY_FAILURE_WINDOW)
