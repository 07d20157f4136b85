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

Groups (only in the files of an org that has some, so other orgs' files are as before): JSON
has a top-level "groups" list of {"name", "allowed_model_ids", "members"} and each member
their "groups" (names); CSV a `groups` column, names separated by `;`. On import a group entry
sets that group's allowlist, and a member's `groups` (when the row has it) the groups they
are in; a group's "members" list is there to read and is not imported. Groups are matched by
name ignoring case and never created or deleted: an unknown name refuses its row, as does
changing who is in a group the identity provider keeps in sync (SCIM).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.functions import Lower
from django.http import HttpResponse

from accounts.models import User
from catalog.platform import deployed_models
from orgs import groups as group_services
from orgs import services
from orgs.matrix import describe, has_groups
from orgs.models import Group, Membership, ModelAccessEvent, Organization, Role

FORMATS = ("json", "csv")
COLUMNS = ["email", "role", "allowed_model_ids"]
GROUPS = "groups"  # the column, and the members' key, of an org with groups
ALL = "*"
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
MAX_GROUPS = 500  # a member's groups in one row
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
    groups: list[str] | None = None  # None: the row doesn't say; their groups stay


@dataclass
class GroupEntry:
    row: int  # the JSON "groups" list's n-th from 1, named "group n" in errors
    name: str
    allowed_model_ids: list[str] | None


@dataclass
class Plan:
    """What importing a file would do: the changes, or the rows refused."""

    diff: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    wanted: dict[Any, tuple[int, list[str] | None]] = field(default_factory=dict)
    # Groups: sentences for the preview, then each group's new allowlist, joins and leaves.
    group_diff: list[str] = field(default_factory=list)
    group_models: dict[int, list[str] | None] = field(default_factory=dict)
    joins: dict[int, list[Membership]] = field(default_factory=dict)
    leaves: dict[int, list[Membership]] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)


def _members(org: Organization):
    return (
        Membership.objects.filter(org=org)
        .select_related("user")
        .order_by("user__email")
        .only("user__email", "role", "allowed_model_ids", "access_version", "user_id")
    )


def export_rows(org: Organization) -> list[dict[str, Any]]:
    """Each member's row; with their groups' names when the org has groups (one query)."""
    members = list(_members(org))
    grouped = has_groups(org.pk)
    if grouped:
        prefetch_related_objects(members, "groups")
    return [
        {"email": m.user.email, "role": m.role, "allowed_model_ids": m.allowed_model_ids}
        | ({GROUPS: [g.name for g in m.groups.all()]} if grouped else {})
        for m in members
    ]


def export_groups(org: Organization) -> list[dict[str, Any]]:
    """The org's groups with their allowlists and members' emails (two queries)."""
    groups = Group.objects.filter(org=org).prefetch_related(
        Prefetch("members", Membership.objects.select_related("user").order_by("user__email"))
    )
    return [
        {
            "name": g.name,
            "allowed_model_ids": g.allowed_model_ids,
            "members": [m.user.email for m in g.members.all()],
        }
        for g in groups
    ]


def export_file(org: Organization, fmt: str) -> str:
    rows = export_rows(org)
    return serialise(rows, fmt, export_groups(org) if has_groups(org.pk) else None)


def serialise(
    rows: list[dict[str, Any]], fmt: str, groups: list[dict[str, Any]] | None = None
) -> str:
    if fmt == "json":
        document: dict[str, Any] = {"members": rows}
        if groups is not None:
            document[GROUPS] = groups
        return json.dumps(document, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS + ([GROUPS] if groups is not None else []))
    for row in rows:
        allowed = row["allowed_model_ids"]
        cells = [row["email"], row["role"], ALL if allowed is None else " ".join(allowed)]
        if groups is not None:
            cells.append(";".join(row.get(GROUPS, [])))
        writer.writerow(cells)
    return out.getvalue()


class FileError(ValueError):
    """The file as a whole can't be read (not JSON, no CSV header, too many rows)."""


def _allowlist(allowed: Any) -> list[str] | None | str:
    """The ids cleaned, or the error that refuses them (a str)."""
    if allowed is None:
        return None
    if not isinstance(allowed, list) or not all(isinstance(v, str) for v in allowed):
        return "Malformed row: allowed_model_ids is null, [] or a list of ids."
    if len(allowed) > services.MAX_ALLOWLIST:
        return f"Malformed row: at most {services.MAX_ALLOWLIST} models."
    return list(dict.fromkeys(v.strip() for v in allowed if v.strip()))


def _names(value: Any) -> list[str] | None | str:
    """A member's groups: None (not said), or the names; a str is the error."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "Malformed row: groups is a list of group names."
    if len(value) > MAX_GROUPS:
        return f"Malformed row: at most {MAX_GROUPS} groups."
    return list(dict.fromkeys(v.strip()[:200] for v in value if v.strip()))


def _entry(
    row: int, email: Any, role: Any, allowed: Any, groups: Any = None
) -> Entry | dict[str, Any]:
    shown = email.strip().lower()[:254] if isinstance(email, str) else ""

    def bad(error: str) -> dict[str, Any]:
        return {"row": row, "email": shown, "error": error}

    if not shown or "@" not in shown:
        return bad("Malformed row: an email is required.")
    if role not in (None, "", *Role.values):
        return bad(f"Malformed row: role must be one of {', '.join(Role.values)}.")
    allowed = _allowlist(allowed)
    if isinstance(allowed, str):
        return bad(allowed)
    names = _names(groups)
    if isinstance(names, str):
        return bad(names)
    return Entry(row, shown, role or "", allowed, names)


def _group_entry(n: int, item: Any) -> GroupEntry | dict[str, Any]:
    where = f"group {n}"
    name = item.get("name") if isinstance(item, dict) else None
    if not isinstance(name, str) or not name.strip():
        return {"row": where, "email": "", "error": "Malformed group: a name is required."}
    if "allowed_model_ids" not in item:
        return {"row": where, "email": "", "error": "Malformed group: allowed_model_ids."}
    allowed = _allowlist(item["allowed_model_ids"])
    if isinstance(allowed, str):
        return {"row": where, "email": "", "error": allowed.replace("row", "group")}
    return GroupEntry(n, name.strip()[:200], allowed)


def file_response(org: Organization, fmt: str) -> HttpResponse:
    """The export as a download, named for the org and format."""
    response = HttpResponse(
        export_file(org, fmt),
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-model-access.{fmt}"'
    return response


Row = Entry | GroupEntry | dict[str, Any]


def parse(content: bytes | str, fmt: str) -> list[Row]:
    """The file's rows, each an Entry or the error that refuses it. Raises FileError."""
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        raise FileError("The file is not UTF-8 text.") from None
    rows = _parse_json(text) if fmt == "json" else _parse_csv(text)
    if len(rows) > MAX_ROWS:
        raise FileError(f"At most {MAX_ROWS} rows in one import.")
    return rows


def _parse_json(text: str) -> list[Row]:
    try:
        data = json.loads(text)
    except ValueError:
        raise FileError("The file is not valid JSON.") from None
    members = data.get("members") if isinstance(data, dict) else None
    if not isinstance(members, list):
        raise FileError('Send a JSON object with a "members" list, as the export writes.')
    groups = data.get(GROUPS, [])
    if not isinstance(groups, list):
        raise FileError('"groups" is a list of groups, as the export writes.')
    rows: list[Row] = [
        _entry(n, *(item.get(key) for key in [*COLUMNS, GROUPS]))
        if isinstance(item, dict)
        else {"row": n, "email": "", "error": "Malformed row: each member is a JSON object."}
        for n, item in enumerate(members, start=1)
    ]
    return rows + [_group_entry(n, item) for n, item in enumerate(groups, start=1)]


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


def _parse_csv(text: str) -> list[Row]:
    """Rows numbered as a spreadsheet shows them: the header is row 1. Empty rows (`,,`, which
    spreadsheets write at the end) are skipped but still counted."""
    try:
        delimiter, names = _header(text.split("\n", 1)[0].rstrip("\r"))
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        next(records)
        rows: list[Row] = []
        for n, values in enumerate(records, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(names):
                rows.append({"row": n, "email": "", "error": "Malformed row: wrong column count."})
                continue
            record = dict(zip(names, values, strict=True))
            allowed = _ids(record["allowed_model_ids"])
            cell = record.get(GROUPS)  # None: no groups column
            groups = None if cell is None else [g for g in cell.split(";") if g.strip()]
            rows.append(_entry(n, record["email"], record["role"].strip(), allowed, groups))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise FileError(f"The file is not valid CSV: {exc}.") from None
    return rows


def plan(org: Organization, rows: list[Row]) -> Plan:
    """Check every row against the org's members, groups and the deployed models (two
    queries, four with group data)."""
    result = Plan()
    emails = [row.email for row in rows if isinstance(row, Entry)]
    # Emails are stored lower-cased, but compare case-blind all the same.
    found = list(_members(org).annotate(email_ci=Lower("user__email")).filter(email_ci__in=emails))
    members = {m.user.email.lower(): m for m in found}
    deployed = {m.model_id for m in deployed_models()}
    with_group_data = any(
        isinstance(row, GroupEntry) or (isinstance(row, Entry) and row.groups is not None)
        for row in rows
    )
    groups: dict[str, Group] = {}
    if with_group_data:
        groups = {g.name.lower(): g for g in Group.objects.filter(org=org)}
        prefetch_related_objects(found, "groups")
        result.groups = {g.pk: g for g in groups.values()}
    seen: set[str] = set()
    for row in rows:
        if isinstance(row, GroupEntry):
            _plan_group(result, row, groups, deployed)
            continue
        if not isinstance(row, Entry):
            result.errors.append(row)
            continue

        def refuse(error: str, row: Entry = row) -> None:
            result.errors.append({"row": row.row, "email": row.email, "error": error})

        member = members.get(row.email)
        unknown_groups = [n for n in row.groups or [] if n.lower() not in groups]
        if row.email in seen:
            refuse("Duplicate email: each member appears once.")
        elif member is None:
            refuse("Unknown email: not a member of this organization.")
        elif member.role == Role.OWNER and row.allowed_model_ids is not None:
            refuse(services.OWNERS_UNRESTRICTED)
        elif unknown_groups:
            names = ", ".join(n[:80] for n in unknown_groups[:5])
            refuse(f"Unknown group: {names} is not a group of this organization.")
        else:
            unknown = [
                i
                for i in row.allowed_model_ids or []
                if i not in deployed and i not in (member.allowed_model_ids or [])
            ]
            if unknown:
                refuse(f"Unknown model: {', '.join(u[:80] for u in unknown[:5])} is not deployed.")
            elif error := _plan_member_groups(result, member, row, groups):
                refuse(error)
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


def _plan_group(result: Plan, row: GroupEntry, groups: dict[str, Group], deployed: set) -> None:
    group = groups.get(row.name.lower())

    def refuse(error: str) -> None:
        result.errors.append({"row": f"group {row.row}", "email": "", "error": error})

    if group is None:
        refuse(f"Unknown group: {row.name[:80]} is not a group of this organization.")
    elif group.pk in result.group_models:
        refuse("Duplicate group: each group appears once.")
    else:
        kept = group.allowed_model_ids or []
        unknown = [i for i in row.allowed_model_ids or [] if i not in deployed and i not in kept]
        if unknown:
            refuse(f"Unknown model: {', '.join(u[:80] for u in unknown[:5])} is not deployed.")
        elif group.allowed_model_ids != row.allowed_model_ids:
            result.group_models[group.pk] = row.allowed_model_ids
            before, after = describe(group.allowed_model_ids), describe(row.allowed_model_ids)
            result.group_diff.append(f"Group {group.name}: {before} → {after}")


def _plan_member_groups(
    result: Plan, member: Membership, row: Entry, groups: dict[str, Group]
) -> str:
    """Plan the member's joins and leaves; the error that refuses the row, or ""."""
    if row.groups is None:
        return ""
    now = {g.pk for g in member.groups.all()}
    wanted = {groups[n.lower()].pk for n in row.groups}
    changed = [result.groups[pk] for pk in now ^ wanted]
    if synced := [g.name for g in changed if g.provisioned]:
        return (
            f"Group {synced[0]} is kept in sync by the identity provider (SCIM): change "
            "who is in it there."
        )
    for group in changed:
        joining = group.pk in wanted
        (result.joins if joining else result.leaves).setdefault(group.pk, []).append(member)
        verb = "joins" if joining else "leaves"
        result.group_diff.append(f"{member.user.email} {verb} group {group.name}")
    return ""


def apply(org: Organization, result: Plan, *, actor: User | None) -> int:
    """Store the planned changes in one transaction; any member changed since the plan was
    read rolls the whole import back (ImportConflict). Returns how many members' own access
    changed (group changes are audited apart)."""
    if result.errors:
        raise ValueError("A plan with errors is never applied.")
    with transaction.atomic():
        done = services.set_many_model_access(org=org, wanted=result.wanted, actor=actor, via=VIA)
        if done.stale:
            raise ImportConflict(done.stale)
        for pk, allowed in result.group_models.items():
            group_services.set_group_models(
                group=result.groups[pk], allowed_model_ids=allowed, actor=actor, via=VIA
            )
        for pk, joining in result.joins.items():
            group_services.add_group_members(
                group=result.groups[pk], memberships=joining, actor=actor, via=VIA
            )
        for pk, leaving in result.leaves.items():
            group_services.remove_group_members(
                group=result.groups[pk], memberships=leaving, actor=actor, via=VIA
            )
    return done.changed
