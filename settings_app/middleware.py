"""Project middleware: the JSON API's login and error envelope, and the platform refresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render

from catalog.platform import refresh_if_due

API_PREFIX = "/api/"
Handler = Callable[[HttpRequest], HttpResponse]


class LoginRequiredMiddleware(BaseLoginRequired):
    """Django's login-required default, except the JSON API, which answers 401 itself."""

    def process_view(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path_info.startswith(API_PREFIX):
            return None
        return super().process_view(request, *args, **kwargs)


def error_body(status: int, detail: str, errors: list[Any] | None = None) -> dict[str, Any]:
    return {"code": status, "detail": detail, "errors": errors or []}


API_MESSAGES = {
    400: "The request is malformed (too many parameters, a bad header) and was refused.",
    404: "Not found.",
    405: "Method not allowed.",
}


def api_error_envelope(get_response: Handler) -> Handler:
    """Plain 400/404/405 answers under /api/ (a request Django refuses before the API sees
    it, unknown path, wrong method) get the error envelope."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        status = response.status_code
        if (
            request.path_info.startswith(API_PREFIX)
            and status in API_MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            enveloped = JsonResponse(error_body(status, API_MESSAGES[status]), status=status)
            if response.has_header("Allow"):
                enveloped["Allow"] = response["Allow"]
            return enveloped
        return response

    return middleware


def method_not_allowed_page(get_response: Handler) -> Handler:
    """A page's 405 (require_http_methods answers with an empty body, which browsers show as
    their own bare error) gets the app's error page; the Allow header stays. The JSON API
    answers its own envelope."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code == 405
            and not response.streaming
            and not response.content
            and not request.path_info.startswith(API_PREFIX)
        ):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    return middleware


class PlatformRefreshMiddleware:
    """Refreshes the stored platform models from the LiteLLM proxy when due, before the view
    runs: outside any transaction, so no action's rollback or row lock can involve it."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refresh_if_due()
        return self.get_response(request)
