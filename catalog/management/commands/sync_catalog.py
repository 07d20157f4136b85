from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.costmap import CostMapError
from catalog.sync import SNAPSHOT, record_failure, sync_catalog


class Command(BaseCommand):
    help = "Load LiteLLM's model cost map into the catalog (the shipped snapshot by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--url", default="", help="Download the cost map from this URL.")
        source.add_argument("--file", default="", help="Read the cost map (.json or .json.gz).")

    def handle(self, *args: str, url: str, file: str, **options: object) -> None:
        from django.conf import settings

        url = url or ("" if file else settings.CATALOG_URL)
        source = url or file or str(SNAPSHOT)
        self.stdout.write(f"Syncing the catalog from {source}")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total} models checked")

        try:
            run = sync_catalog(url=url, file=file, progress=progress)
        except CostMapError as exc:
            record_failure(source, str(exc))
            raise CommandError(f"{exc} Nothing was changed.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalog synced: {run.created} created, {run.updated} updated, "
                f"{run.retired} retired, {run.unchanged} unchanged."
            )
        )
