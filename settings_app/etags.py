"""Optimistic concurrency for the API: the one reading of an `If-Match` header."""

from __future__ import annotations

from django.utils.http import parse_etags


def if_match_tags(header: str | None) -> set[str] | None:
    """The entity-tag values `If-Match` accepts, unquoted; None when it sets no condition
    (absent, or `*`: the resource always exists), so clients that never read the ETag keep
    working. A weak tag compares by its value, since a compressing proxy weakens the ETag it
    passes on. A header that parses to nothing accepts nothing."""
    if header is None:
        return None
    tags = parse_etags(header)
    if tags == ["*"]:
        return None
    return {tag.removeprefix("W/").strip('"') for tag in tags}
