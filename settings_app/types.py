"""Request types for views: every app view is behind login and django-htmx's middleware."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class AuthedRequest(HttpRequest):
    """A request from a logged-in user (LoginRequiredMiddleware guarantees it)."""

    user: User
    htmx: HtmxDetails
