"""Refuse text the database cannot store (NUL, lone UTF-16 surrogates: a server error
wherever it reaches a query) before any view sees it, in one place, with a 400 saying why."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from settings_app.middleware import API_PREFIX, Handler, error_body

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_DETAIL = (
    "The request contains a character that can't be stored (a NUL byte or an unpaired "
    "surrogate). Remove it and try again."
)
NESTED_DETAIL = "The JSON body is nested too deeply."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def strings_in(value: object) -> Iterator[str]:
    """Every string in a decoded JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def _json_strings(request: HttpRequest) -> Iterable[str]:
    if request.content_type != "application/json":
        return []
    try:
        # json.loads decodes bytes with "surrogatepass": encoded surrogates come out as such.
        return strings_in(json.loads(request.body))
    except (ValueError, RequestDataTooBig):
        # Malformed or oversized bodies are the API's to refuse (422, 413).
        return []


def _form_strings(request: HttpRequest) -> Iterable[str]:
    if request.method != "POST" or not (request.content_type or "").startswith(FORM_TYPES):
        return []
    try:
        return [text for key, values in request.POST.lists() for text in (key, *values)]
    except RequestDataTooBig:
        return []


def _request_strings(request: HttpRequest) -> Iterator[str]:
    yield request.path_info
    # The session cookie is looked up in the database.
    yield from request.COOKIES.values()
    yield from (text for key, values in request.GET.lists() for text in (key, *values))
    if request.path_info.startswith(API_PREFIX):
        # The API reads its own JSON body; a form parse here would consume it.
        yield from _json_strings(request)
    else:
        yield from _form_strings(request)


def refuse_unstorable_text(get_response: Handler) -> Handler:
    """Answers 400 (the error envelope under /api/) when the path, query string, form
    fields or JSON body hold a character the database refuses."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            refused = any(UNSTORABLE.search(text) for text in _request_strings(request))
        except RecursionError:
            return _refuse(request, NESTED_DETAIL)
        if refused:
            return _refuse(request, UNSTORABLE_DETAIL)
        return get_response(request)

    return middleware


def _refuse(request: HttpRequest, detail: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(error_body(400, detail), status=400)
    return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")
