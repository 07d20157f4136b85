"""PATCH (RFC 7644 §3.5.2) applied to a resource's attributes as a plain dict, as Okta and
Microsoft Entra ID send it: op names in any case ("Replace"), no path with a dict of
attributes (Okta's `{"op": "replace", "value": {"active": false}}`), value filters in paths
(`members[value eq "id"]`, `emails[type eq "work"].value`) and a remove that names the
values to take out (Entra's `{"op": "Remove", "path": "members", "value": [...]}`). The
result is validated by the same rules as a PUT body, so nothing PATCH can say escapes them."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from scim.documents import ENTERPRISE, PATCH_OP
from scim.errors import ScimError, invalid_path, invalid_syntax, invalid_value

MAX_OPERATIONS = 1000
PATH = re.compile(
    r"^(?:(?P<urn>urn:[^\[\]]+):)?(?P<attr>[A-Za-z$][\w$-]*)"
    r"(?:\[\s*(?P<fattr>[A-Za-z$][\w$.-]*)\s+(?i:eq)\s+(?P<fvalue>\"(?:[^\"\\]|\\.)*\"|true|false)\s*\])?"
    r"(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$"
)


@dataclass(frozen=True)
class Kinds:
    """The attributes a resource keeps, by lower-case name: simple, complex (one object)
    or multi-valued (a list of objects); `ignored` ones are defined by RFC 7643 but not kept
    here, so an operation on them is accepted and does nothing."""

    urn: str
    simple: tuple[str, ...]
    complex: tuple[str, ...] = ()
    multi: tuple[str, ...] = ()
    ignored: frozenset[str] = frozenset()

    def canonical(self, name: str) -> str | None:
        for known in (*self.simple, *self.complex, *self.multi):
            if known.lower() == name.lower():
                return known
        if name.lower() in self.ignored:
            return None
        raise invalid_path(f"{name} is not an attribute this provider keeps.")


@dataclass(frozen=True)
class Path:
    attr: str
    filter: tuple[str, Any] | None
    sub: str | None


def parse_path(text: Any, kinds: Kinds) -> Path | None:
    """The path, or None when it names an attribute not kept here (ignored)."""
    if not isinstance(text, str) or len(text) > 300:
        raise invalid_path('A path is a short string such as members[value eq "id"].')
    if text.startswith(ENTERPRISE):
        return None
    match = PATH.match(text.strip())
    if match is None:
        raise invalid_path(f"Can't read the path {text[:100]!r}.")
    if match["urn"] and match["urn"].lower() != kinds.urn.lower():
        raise invalid_path(f"{match['urn'][:100]} is not a schema of this resource.")
    attr = kinds.canonical(match["attr"])
    if attr is None:
        return None
    found = None
    if match["fattr"]:
        try:
            found = (match["fattr"].lower(), json.loads(match["fvalue"]))
        except ValueError:
            raise invalid_path(f"Can't read the value in the path {text[:100]!r}.") from None
        if attr not in kinds.multi:
            raise invalid_path(f"{attr} has a single value: a filter can't select in it.")
    sub = match["sub"]
    if sub and attr in kinds.simple:
        raise invalid_path(f"{attr} has no sub-attributes.")
    return Path(attr, found, sub)


def operations(body: Any) -> list[tuple[str, Any, Any]]:
    """The (op, path, value) of a PatchOp body, op in lower case."""
    if not isinstance(body, dict) or PATCH_OP not in (body.get("schemas") or []):
        raise invalid_syntax(f"A PATCH body is a PatchOp message ({PATCH_OP}).")
    found = body.get("Operations", body.get("operations"))
    if not isinstance(found, list) or not found:
        raise invalid_syntax("A PATCH body lists its Operations.")
    if len(found) > MAX_OPERATIONS:
        raise invalid_syntax(f"At most {MAX_OPERATIONS} operations in one PATCH.")
    ops = []
    for item in found:
        if not isinstance(item, dict) or not isinstance(item.get("op"), str):
            raise invalid_syntax("Each operation is an object with an op.")
        op = item["op"].lower()
        if op not in ("add", "replace", "remove"):
            raise invalid_syntax(f"Unknown op {item['op'][:20]!r}: use add, replace or remove.")
        ops.append((op, item.get("path"), item.get("value")))
    return ops


def apply(state: dict[str, Any], body: Any, kinds: Kinds) -> dict[str, Any]:
    """A copy of `state` with the PATCH body's operations applied in order."""
    state = copy.deepcopy(state)
    for op, path, value in operations(body):
        if path is None:
            if op == "remove":
                raise ScimError(400, "A remove names the attribute it removes (path).", "noTarget")
            if not isinstance(value, dict):
                raise invalid_value("Without a path, the value is an object of attributes.")
            for key, item in value.items():
                _apply(state, op, parse_path(key, kinds), item, kinds)
        else:
            _apply(state, op, parse_path(path, kinds), value, kinds)
    return state


def _apply(state: dict[str, Any], op: str, path: Path | None, value: Any, kinds: Kinds) -> None:
    if path is None:
        return
    if path.attr in kinds.multi:
        _apply_multi(state, op, path, value)
    elif path.sub:
        _apply_sub(state, op, path.attr, path.sub, value)
    elif op == "remove":
        state.pop(path.attr, None)
    elif path.attr in kinds.complex and op == "add" and isinstance(value, dict):
        state[path.attr] = {**(state.get(path.attr) or {}), **value}
    else:
        state[path.attr] = value


def _apply_sub(state: dict[str, Any], op: str, attr: str, sub: str, value: Any) -> None:
    parent = state.get(attr)
    parent = dict(parent) if isinstance(parent, dict) else {}
    if op == "remove":
        parent.pop(sub, None)
    else:
        parent[sub] = value
    state[attr] = parent


def _key(item: Any) -> Any:
    return item.get("value") if isinstance(item, dict) and "value" in item else item


def _matches(item: Any, found: tuple[str, Any]) -> bool:
    name, wanted = found
    if not isinstance(item, dict):
        return False
    value = next((v for k, v in item.items() if k.lower() == name), None)
    if isinstance(value, str) and isinstance(wanted, str):
        return value.lower() == wanted.lower()
    return value == wanted


def _apply_multi(state: dict[str, Any], op: str, path: Path, value: Any) -> None:
    items = list(state.get(path.attr) or [])
    if path.filter is None and path.sub is None:
        given = value if isinstance(value, list) else [] if value is None else [value]
        if op == "remove" and given:  # Entra names the members it removes in the value
            gone = {_key(item) for item in given}
            items = [item for item in items if _key(item) not in gone]
        elif op == "remove":
            items = []
        elif op == "replace":
            items = given
        else:
            present = {_key(item) for item in items}
            items += [item for item in given if _key(item) not in present]
    elif path.filter is None:
        raise invalid_path(f"Select which {path.attr} to change with a filter.")
    else:
        items = _apply_filtered(items, op, path, value)
    if items:
        state[path.attr] = items
    else:
        state.pop(path.attr, None)


def _apply_filtered(items: list[Any], op: str, path: Path, value: Any) -> list[Any]:
    assert path.filter is not None
    chosen = [i for i, item in enumerate(items) if _matches(item, path.filter)]
    if op == "remove":
        if path.sub is None:
            return [item for i, item in enumerate(items) if i not in chosen]
        for i in chosen:
            items[i] = {k: v for k, v in items[i].items() if k != path.sub}
        return items
    if path.sub is None:
        if not isinstance(value, dict):
            raise invalid_value(f"Each of {path.attr} is an object.")
        for i in chosen:
            items[i] = {**items[i], **value} if op == "add" else value
        return items
    if not chosen:  # Entra sets emails[type eq "work"].value before there is a work email
        name, wanted = path.filter
        return [*items, {name: wanted, path.sub: value}]
    for i in chosen:
        items[i] = {**items[i], path.sub: value}
    return items
