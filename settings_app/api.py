"""The JSON API (SPEC 6): the apps' routers (each app's api.py) behind the platform SDK's
authentication, every error in the envelope {"code", "detail", "errors"}."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.views.decorators.http import require_safe
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, SessionAuth

from accounts.api import router as accounts_router
from accounts.models import ApiKey
from catalog.api import router as catalog_router
from orgs.access import api_key_holder
from orgs.api import router as orgs_router
from orgs.gateway_api import router as gateway_router
from settings_app.api_reference import Reference
from settings_app.middleware import error_body
from settings_app.openapi import DocumentedAPI
from settings_app.throttle import (
    API_KEY_FAILURE_WINDOW,
    api_key_throttled,
    count_bad_api_key,
)

LAST_USED_GRANULARITY = timedelta(minutes=5)
KEY_SHAPE = re.compile(r"^dnk_[A-Za-z0-9_-]{1,100}$")
logger = logging.getLogger("django.request")


class PersonalApiKey(APIKeyHeader):
    """`X-API-Key: dnk_...`; an unknown or revoked key is a 401, never a fallback. Past the
    limit of bad keys an address gets 429 for bad keys only: a good key (256 random bits) is
    always honoured, so one broken client can't lock out its neighbours' working keys."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        if not key:
            return None
        holder = api_key_holder(request, ApiKey.hash(key)) if KEY_SHAPE.match(key) else None
        if holder is None:
            if api_key_throttled(request):
                raise Throttled(wait=API_KEY_FAILURE_WINDOW)
            count_bad_api_key(request)
            raise AuthenticationError(401, "Unknown or revoked API key.")
        now = timezone.now()
        # Record use at most every few minutes: no write on every request.
        if holder.last_used_at is None or now - holder.last_used_at > LAST_USED_GRANULARITY:
            ApiKey.objects.filter(pk=holder.key_id).update(last_used_at=now)
        request.user = holder.user
        return holder.user


class BrowserSession(SessionAuth):
    """The logged-in browser session. CSRF is checked only when there is a session to forge:
    an anonymous write is told to authenticate (401), not that its CSRF token is missing."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


api = DocumentedAPI(
    title="Chat Models API",
    version="1",
    description="Model access settings, compatible with the platform SDK. Authenticate with "
    "the X-API-Key header (a personal API key from Account Settings → API keys) or a browser "
    "session.",
    urls_namespace="api",
    auth=[PersonalApiKey(), BrowserSession()],
    docs=Reference(),
    docs_decorator=require_safe,
)
api.add_router("/", catalog_router)
api.add_router("/", accounts_router)
api.add_router("/", orgs_router)
# The gateway asks with the key a member sent it; a browser session is never the gateway.
api.add_router("/", gateway_router, auth=PersonalApiKey())


def _error(request, status: int, detail: str, errors: list | None = None):
    return api.create_response(request, error_body(status, detail, errors), status=status)


@api.exception_handler(NinjaValidationError)
def invalid_request(request, exc: NinjaValidationError):
    errors = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg", "Invalid value.")} for e in exc.errors
    ]
    return _error(request, 422, "The request is not valid.", errors)


@api.exception_handler(DjangoValidationError)
def refused(request, exc: DjangoValidationError):
    errors = [{"loc": ["body"], "msg": message} for message in exc.messages]
    return _error(request, 422, exc.messages[0], errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):
    detail = str(exc.message) if getattr(exc, "message", None) else ""
    if not detail or detail == "Unauthorized":
        detail = "Authentication required: send X-API-Key with a personal API key."
    return _error(request, 401, detail)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # Malformed JSON is an invalid body: 422, as the platform's API answers it.
        errors = [{"loc": ["body"], "msg": str(exc)}]
        return _error(request, 422, "The request body is not valid JSON.", errors)
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, str(exc) or "You don't have permission to do that.")


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    response = _error(
        request, 429, "Too many bad API keys from your address: wait a minute and try again."
    )
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    """A bug still answers in the envelope, never Django's HTML page; it is logged and
    signalled like any server error, so error reporting sees it."""
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    got_request_exception.send(sender=None, request=request)
    return _error(request, 500, "Something went wrong on our side; it has been logged.")


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return _error(request, 413, "The request body is too large.")
