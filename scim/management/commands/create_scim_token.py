"""Create an identity provider's SCIM token for an org; the token alone on the last line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from orgs.models import Organization
from scim.models import ScimToken


class Command(BaseCommand):
    help = (
        "Create a SCIM bearer token for the organization ORG_SLUG. It is printed once, alone "
        "on the last line; only its hash is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("org_slug")
        parser.add_argument("--name", default="Identity provider", help="A label for the token")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["org_slug"]).first()
        if org is None:
            raise CommandError(f"No organization with the slug {options['org_slug']!r}.")
        token, raw = ScimToken.issue(org=org, name=options["name"][:100])
        self.stdout.write(
            f"Created SCIM token “{token.name}” for {org.name}. SCIM base URL: "
            f"/scim/v2/{org.slug}/ (send the token as `Authorization: Bearer <token>`)."
        )
        self.stdout.write(raw)
