"""The list filters identity providers send (RFC 7644 §3.4.2.2): `attribute eq "value"`
clauses joined by `and`, e.g. `userName eq "ada@example.com"` or
`displayName eq "Research"`. Anything else is refused as invalidFilter."""

from __future__ import annotations

import json
import re
from typing import Any

from scim.errors import ScimError

MAX_FILTER = 1000
CLAUSE = re.compile(
    r"\s*(?P<attr>[A-Za-z][\w.:$-]*)\s+(?i:eq)\s+(?P<value>\"(?:[^\"\\]|\\.)*\"|true|false)\s*"
    r"(?P<more>(?i:and)\s+|$)"
)


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def parse(text: str, known: dict[str, str]) -> list[tuple[str, Any]]:
    """(field, value) pairs from a filter; `known` maps attribute names (lower case, with
    or without the schema's URN) to the field each one filters."""
    if len(text) > MAX_FILTER:
        raise invalid_filter(f"A filter has at most {MAX_FILTER} characters.")
    clauses, at = [], 0
    while at < len(text):
        match = CLAUSE.match(text, at)
        if match is None:
            raise invalid_filter(
                'Only `attribute eq "value"` filters, joined with `and`, are supported.'
            )
        attr = match["attr"].lower().rsplit(":", 1)[-1]
        if attr not in known:
            raise invalid_filter(f"Can't filter on {match['attr'][:100]}.")
        try:
            value = json.loads(match["value"])
        except ValueError:
            raise invalid_filter(f"Can't read the value {match['value'][:100]}.") from None
        clauses.append((known[attr], value))
        at = match.end()
        if match["more"] and at == len(text):
            raise invalid_filter("The filter ends with `and`.")
    if not clauses:
        raise invalid_filter("The filter is empty.")
    return clauses
