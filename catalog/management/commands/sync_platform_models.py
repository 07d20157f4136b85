from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.platform import mark_fresh, sync_platform_models


class Command(BaseCommand):
    help = "Read the dn/ model aliases deployed on the LiteLLM proxy now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait.")

    def handle(self, *args: str, timeout: float, **options: object) -> None:
        if not settings.LITELLM_PROXY_URL:
            raise CommandError(
                "LITELLM_PROXY_URL is not set; without a proxy, staff manage platform models "
                "in Django admin."
            )
        run = sync_platform_models(timeout=timeout)
        if not run.ok:
            raise CommandError(f"The proxy refresh failed: {run.error}. The last list stays.")
        mark_fresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Platform models synced: {run.created} new, {run.updated} updated, "
                f"{run.retired} no longer deployed, {run.unchanged} unchanged."
            )
        )
