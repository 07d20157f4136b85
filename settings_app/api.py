"""The JSON API router (SPEC 6): the platform SDK's paths, auth and error envelope.

Endpoints live with their app (catalog/api.py, accounts/api.py, orgs/api.py); this module
wires authentication and turns every error into {"code", "detail", "errors"}.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, django_auth

from accounts.api import router as accounts_router
from accounts.models import ApiKey
from catalog.api import router as catalog_router
from orgs.api import router as orgs_router
from settings_app.middleware import error_body
from settings_app.openapi import DocumentedAPI

LAST_USED_GRANULARITY = timedelta(minutes=5)


class PersonalApiKey(APIKeyHeader):
    """`X-API-Key: dnk_...`. A present but unknown or revoked key is a 401, never a fallback."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        if not key:
            return None
        api_key = (
            ApiKey.objects.select_related("user")
            .filter(key_hash=ApiKey.hash(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if api_key is None:
            raise AuthenticationError(401, "Unknown or revoked API key.")
        now = timezone.now()
        # Record use at most every few minutes: no write on every request.
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_GRANULARITY:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        request.user = api_key.user
        return api_key.user


api = DocumentedAPI(
    title="Chat Models API",
    version="1",
    description="Model access settings, compatible with the platform SDK. Authenticate with "
    "`X-API-Key: <personal API key>` (Account Settings → API keys) or a browser session.",
    urls_namespace="api",
    auth=[PersonalApiKey(), django_auth],
)
api.add_router("/", catalog_router)
api.add_router("/", accounts_router)
api.add_router("/", orgs_router)


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
        return _error(
            request,
            422,
            "The request body is not valid JSON.",
            [{"loc": ["body"], "msg": str(exc)}],
        )
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, str(exc) or "You don't have permission to do that.")


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return _error(request, 413, "The request body is too large.")
