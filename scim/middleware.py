"""Refusals made before a SCIM view runs (unknown path, wrong method, a NUL byte in the
URL, a request Django itself refuses) answer in SCIM's error body, not the app's pages."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

from scim.errors import CONTENT_TYPE, SCIM_PREFIX, error_response
from settings_app.middleware import Handler


def scim_error_bodies(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            request.path_info.startswith(SCIM_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(CONTENT_TYPE)
        ):
            status = response.status_code
            answer = error_response(status, _detail(status, response))
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response

    return middleware


def _detail(status: int, response: HttpResponse) -> str:
    text = "" if response.streaming else response.content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("text/plain") and text:
        return text  # the app's own plain refusals (settings_app/guards.py) say why
    try:
        return HTTPStatus(status).phrase + "."
    except ValueError:
        return "The request was refused."
