"""Model access as a file: every member's allowlist exported as JSON or CSV, and such a file
read back as a diff, checked row by row, then applied in one transaction. The API, the
matrix page and the management commands all go through this module.

JSON: {"members": [{"email", "role", "allowed_model_ids"}]}, with null for every platform
model, [] for none, or a list of ids.
CSV: the columns `email,role,allowed_model_ids`; `*` for every platform model, an empty cell
for none, else the ids separated by spaces (a `;` also separates them on import). Import
reads a spreadsheet's CSV as it is saved: a BOM, CRLF, `;` or tab between columns (told by
the header), empty rows skipped, and errors name rows as the spreadsheet numbers them.

Import changes model access only: roles are shown for reading, members the file does not
name keep their access, and the file is refused whole if any row is bad.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.http import HttpResponse

from accounts.models import User
from catalog.platform import deployed_models
from orgs import services
from orgs.models import Membership, ModelAccessEvent, Organization, Role

FORMATS = ("json", "csv")
COLUMNS = ["email", "role", "allowed_model_ids"]
ALL = "*"
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
VIA = ModelAccessEvent.Via.IMPORT


class ImportConflict(Exception):
    """A member's access changed between reading the file's diff and applying it."""

    def __init__(self, emails: list[str]):
        super().__init__(
            f"Access changed meanwhile for {', '.join(emails[:5])}: nothing was applied. "
            "Run the import again."
        )


@dataclass
class Entry:
    row: int  # a JSON file's n-th member from 1; a CSV's row as a spreadsheet shows it
    email: str
    role: str
    allowed_model_ids: list[str] | None


@dataclass
class Plan:
    """What importing a file would do: the changes, or the rows refused."""

    diff: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    wanted: dict[Any, tuple[int, list[str] | None]] = field(default_factory=dict)


def _members(org: Organization):
    return (
        Membership.objects.filter(org=org)
        .select_related("user")
        .order_by("user__email")
        .only("user__email", "role", "allowed_model_ids", "access_version", "user_id")
    )


def export_rows(org: Organization) -> list[dict[str, Any]]:
    return [
        {"email": m.user.email, "role": m.role, "allowed_model_ids": m.allowed_model_ids}
        for m in _members(org)
    ]


def serialise(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"members": rows}, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        allowed = row["allowed_model_ids"]
        writer.writerow([row["email"], row["role"], ALL if allowed is None else " ".join(allowed)])
    return out.getvalue()


class FileError(ValueError):
    """The file as a whole can't be read (not JSON, no CSV header, too many rows)."""


def _entry(row: int, email: Any, role: Any, allowed: Any) -> Entry | dict[str, Any]:
    shown = email.strip().lower()[:254] if isinstance(email, str) else ""

    def bad(error: str) -> dict[str, Any]:
        return {"row": row, "email": shown, "error": error}

    if not shown or "@" not in shown:
        return bad("Malformed row: an email is required.")
    if role not in (None, "", *Role.values):
        return bad(f"Malformed row: role must be one of {', '.join(Role.values)}.")
    if allowed is not None:
        if not isinstance(allowed, list) or not all(isinstance(v, str) for v in allowed):
            return bad("Malformed row: allowed_model_ids is null, [] or a list of ids.")
        if len(allowed) > services.MAX_ALLOWLIST:
            return bad(f"Malformed row: at most {services.MAX_ALLOWLIST} models.")
        allowed = list(dict.fromkeys(v.strip() for v in allowed if v.strip()))
    return Entry(row, shown, role or "", allowed)


def file_response(org: Organization, fmt: str) -> HttpResponse:
    """The export as a download, named for the org and format."""
    response = HttpResponse(
        serialise(export_rows(org), fmt),
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-model-access.{fmt}"'
    return response


def parse(content: bytes | str, fmt: str) -> list[Entry | dict[str, Any]]:
    """The file's rows, each an Entry or the error that refuses it. Raises FileError."""
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        raise FileError("The file is not UTF-8 text.") from None
    rows = _parse_json(text) if fmt == "json" else _parse_csv(text)
    if len(rows) > MAX_ROWS:
        raise FileError(f"At most {MAX_ROWS} rows in one import.")
    return rows


def _parse_json(text: str) -> list[Entry | dict[str, Any]]:
    try:
        data = json.loads(text)
    except ValueError:
        raise FileError("The file is not valid JSON.") from None
    members = data.get("members") if isinstance(data, dict) else None
    if not isinstance(members, list):
        raise FileError('Send a JSON object with a "members" list, as the export writes.')
    return [
        _entry(n, *(item.get(key) for key in COLUMNS))
        if isinstance(item, dict)
        else {"row": n, "email": "", "error": "Malformed row: each member is a JSON object."}
        for n, item in enumerate(members, start=1)
    ]


def _ids(value: str | None) -> list[str] | None:
    value = (value or "").strip()
    if value == ALL:
        return None
    return [v for v in re.split(r"[\s;]+", value) if v]


DELIMITERS = (",", ";", "\t")  # spreadsheets in many locales write `;`


def _header(first_line: str) -> tuple[str, list[str]]:
    """The delimiter whose split of the first line names every column, and the names."""
    for delimiter in DELIMITERS:
        names = next(csv.reader([first_line], delimiter=delimiter), [])
        names = [name.strip() for name in names]
        if set(COLUMNS) <= set(names):
            return delimiter, names
    raise FileError(f"The CSV's first line must name the columns {','.join(COLUMNS)}.")


def _parse_csv(text: str) -> list[Entry | dict[str, Any]]:
    """Rows numbered as a spreadsheet shows them: the header is row 1. Empty rows (`,,`, which
    spreadsheets write at the end) are skipped but still counted."""
    try:
        delimiter, names = _header(text.split("\n", 1)[0].rstrip("\r"))
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        next(records)
        rows: list[Entry | dict[str, Any]] = []
        for n, values in enumerate(records, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(names):
                rows.append({"row": n, "email": "", "error": "Malformed row: wrong column count."})
                continue
            record = dict(zip(names, values, strict=True))
            allowed = _ids(record["allowed_model_ids"])
            rows.append(_entry(n, record["email"], record["role"].strip(), allowed))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise FileError(f"The file is not valid CSV: {exc}.") from None
    return rows


def plan(org: Organization, rows: list[Entry | dict[str, Any]]) -> Plan:
    """Check every row against the org's members and the deployed models (two queries)."""
    result = Plan()
    emails = [row.email for row in rows if isinstance(row, Entry)]
    # Emails are stored lower-cased, but compare case-blind all the same.
    found = _members(org).annotate(email_ci=Lower("user__email")).filter(email_ci__in=emails)
    members = {m.user.email.lower(): m for m in found}
    deployed = {m.model_id for m in deployed_models()}
    seen: set[str] = set()
    for row in rows:
        if not isinstance(row, Entry):
            result.errors.append(row)
            continue

        def refuse(error: str, row: Entry = row) -> None:
            result.errors.append({"row": row.row, "email": row.email, "error": error})

        member = members.get(row.email)
        if row.email in seen:
            refuse("Duplicate email: each member appears once.")
        elif member is None:
            refuse("Unknown email: not a member of this organization.")
        elif member.role == Role.OWNER and row.allowed_model_ids is not None:
            refuse(services.OWNERS_UNRESTRICTED)
        else:
            unknown = [
                i
                for i in row.allowed_model_ids or []
                if i not in deployed and i not in (member.allowed_model_ids or [])
            ]
            if unknown:
                refuse(f"Unknown model: {', '.join(u[:80] for u in unknown[:5])} is not deployed.")
            elif member.allowed_model_ids != row.allowed_model_ids:
                result.diff.append(
                    {
                        "email": member.user.email,
                        "before": member.allowed_model_ids,
                        "after": row.allowed_model_ids,
                    }
                )
                result.wanted[member.user_id] = (member.access_version, row.allowed_model_ids)
        seen.add(row.email)
    return result


def apply(org: Organization, result: Plan, *, actor: User | None) -> int:
    """Store the planned changes in one transaction; any member changed since the plan was
    read rolls the whole import back (ImportConflict). Returns how many changed."""
    if result.errors:
        raise ValueError("A plan with errors is never applied.")
    with transaction.atomic():
        done = services.set_many_model_access(org=org, wanted=result.wanted, actor=actor, via=VIA)
        if done.stale:
            raise ImportConflict(done.stale)
    return done.changed
