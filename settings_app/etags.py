"""Optimistic concurrency for the API: the one reading of an `If-Match` header."""

from __future__ import annotations

from django.utils.http import parse_etags


def if_match_tags(header: str | None) -> set[str] | None:
    """The unquoted tags `If-Match` accepts; None for no condition (absent, or `*`). A weak
    tag compares by its value: a compressing proxy weakens the ETag it passes on."""
    tags = parse_etags("*" if header is None else header)
    if tags == ["*"]:
        return None
    return {tag.removeprefix("W/").strip('"') for tag in tags}
