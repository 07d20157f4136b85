"""Print every member's model access of an org, to keep it under version control."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from orgs import access_io
from orgs.models import Organization


class Command(BaseCommand):
    help = "Print an org's model access as JSON or CSV (see import_model_access)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", choices=access_io.FORMATS, default="json")

    def handle(self, *args: Any, slug: str, format: str, **options: Any) -> None:  # noqa: A002
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"No organization with the slug {slug!r}.")
        self.stdout.write(access_io.export_file(org, format), ending="")
