from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.costmap import CostMapError
from catalog.models import CatalogModel, SyncRun
from catalog.sync import SNAPSHOT, Counts, sync_catalog

LABELS = dict(CatalogModel.Source.choices)


class Command(BaseCommand):
    help = (
        "Load the catalog's two sources in one transaction: LiteLLM's model cost map (the "
        "shipped snapshot by default) and OpenRouter's models (the shipped snapshot built from "
        "genai-prices by build_openrouter_snapshot)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--url", default="", help="Download the cost map from this URL.")
        source.add_argument("--file", default="", help="Read the cost map (.json or .json.gz).")
        parser.add_argument(
            "--openrouter-file", default="", help="Read OpenRouter's models (.json or .json.gz)."
        )

    def handle(
        self, *args: str, url: str, file: str, openrouter_file: str, **options: object
    ) -> None:
        url = url or ("" if file else settings.CATALOG_URL)
        source = url or file or str(SNAPSHOT)
        self.stdout.write(f"Syncing the catalog from {source} and OpenRouter's models")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done}/{total} models checked")

        try:
            report = sync_catalog(
                url=url, file=file, openrouter_file=openrouter_file, progress=progress
            )
        except CostMapError as exc:
            SyncRun.record_failure(SyncRun.Kind.CATALOG, source, str(exc))
            raise CommandError(f"{exc} Nothing was changed.") from None
        for name, counts in report.per_source.items():
            note = f" ({report.notes[name]})" if name in report.notes else ""
            self.stdout.write(self.style.SUCCESS(f"{LABELS[name]}: {counts}.{note}"))
        if report.failures:
            for name, error in report.failures.items():
                SyncRun.record_failure(SyncRun.Kind.CATALOG, LABELS[name], error)
            raise CommandError(
                " ".join(
                    f"{LABELS[name]}: {error} Nothing was changed in its models."
                    for name, error in report.failures.items()
                )
            )
        run = report.run
        totals = Counts(run.created, run.updated, run.retired, run.unchanged)
        self.stdout.write(self.style.SUCCESS(f"Catalog synced: {totals}."))
