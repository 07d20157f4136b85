"""Middleware for the JSON API: it authenticates itself and always answers in its envelope."""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequired
from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"


class LoginRequiredMiddleware(BaseLoginRequired):
    """Django's login-required default, except the JSON API, which answers 401 itself."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.path_info.startswith(API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def error_body(status: int, detail: str, errors: list | None = None) -> dict:
    return {"code": status, "detail": detail, "errors": errors or []}


class ApiErrorEnvelopeMiddleware:
    """Plain 400/404/405 answers under /api/ (a request Django refuses before the API sees
    it, unknown path, wrong method) get the error envelope."""

    MESSAGES = {
        400: "The request is malformed (too many parameters, a bad header) and was refused.",
        404: "Not found.",
        405: "Method not allowed.",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PREFIX)
            and response.status_code in self.MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            enveloped = JsonResponse(
                error_body(response.status_code, self.MESSAGES[response.status_code]),
                status=response.status_code,
            )
            if response.has_header("Allow"):
                enveloped["Allow"] = response["Allow"]
            return enveloped
        return response
