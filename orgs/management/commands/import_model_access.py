"""Apply a model-access file (as export_model_access writes it) to an org, audited as an
import. Prints the changes; any bad row refuses the whole file with a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from orgs import access_io
from orgs.models import Membership, Organization, Role


class Command(BaseCommand):
    help = "Import model access from a JSON or CSV file (by its extension); --dry-run only shows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=access_io.FORMATS, help="default: by extension")
        parser.add_argument("--actor", help="email of an owner to name in the audit log")

    def handle(self, *args: Any, slug: str, file: Path, **options: Any) -> None:
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"No organization with the slug {slug!r}.")
        actor = self._actor(org, options["actor"])
        fmt = options["format"] or ("csv" if file.suffix.lower() == ".csv" else "json")
        try:
            rows = access_io.parse(file.read_bytes(), fmt)
        except OSError as exc:
            raise CommandError(f"Can't read {file}: {exc.strerror}.") from None
        except access_io.FileError as exc:
            raise CommandError(str(exc)) from None
        plan = access_io.plan(org, rows)
        for error in plan.errors:
            self.stderr.write(f"row {error['row']} {error['email'] or '-'}: {error['error']}")
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} bad rows: nothing was applied.")
        for change in plan.diff:
            before, after = (json.dumps(change[k]) for k in ("before", "after"))
            self.stdout.write(f"{change['email']}: {before} -> {after}")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(plan.diff)} members would change.")
            return
        try:
            changed = access_io.apply(org, plan, actor=actor)
        except access_io.ImportConflict as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Changed model access for {changed} members.")

    def _actor(self, org: Organization, email: str | None) -> User | None:
        if email is None:
            return None
        membership = (
            Membership.objects.select_related("user")
            .filter(org=org, user__in=User.objects.by_email(email), role=Role.OWNER)
            .first()
        )
        if membership is None:
            raise CommandError(f"{email} is not an owner of {org.name}.")
        return membership.user
