"""Maintainer step: rebuild catalog/data/openrouter_models.json.gz from genai-prices.

    pip install genai-prices; python manage.py build_openrouter_snapshot

The app and `sync_catalog` only read the bundled snapshot, so they need neither the package
nor the network.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.openrouter import SNAPSHOT


def _number(value: Any) -> float | None:
    """A price per 1M tokens; tiered prices give their base (the price up to the first tier)."""
    value = getattr(value, "base", value)
    return None if value is None else float(value)


def _current_price(prices: Any, today: dt.date) -> Any:
    """genai-prices lists some prices per start date: the one in force today."""
    if not isinstance(prices, list):
        return prices
    current = prices[0].prices
    for variant in prices:
        start = getattr(variant.constraint, "start_date", None)
        if variant.constraint is None or (start is not None and start <= today):
            current = variant.prices
    return current


class Command(BaseCommand):
    help = "Build the bundled OpenRouter model snapshot from the genai-prices package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(SNAPSHOT), help="Where to write the .json.gz.")

    def handle(self, *args: str, output: str, **options: object) -> None:
        try:
            from genai_prices import __version__, data  # type: ignore[import-not-found]
        except ImportError:
            raise CommandError(
                "genai-prices is not installed: pip install genai-prices, then run this again."
            ) from None
        provider = next((p for p in data.providers if p.id == "openrouter"), None)
        if provider is None:
            raise CommandError("genai-prices has no OpenRouter provider.")
        today = dt.date.today()
        models = []
        for model in provider.models:
            price = _current_price(model.prices, today)
            input_mtok = _number(getattr(price, "input_mtok", None))
            output_mtok = _number(getattr(price, "output_mtok", None))
            models.append(
                {
                    "id": model.id,
                    "name": model.name,
                    "context_window": model.context_window,
                    "input_mtok": input_mtok,
                    "output_mtok": output_mtok,
                    "free": model.id.endswith(":free") or (input_mtok == output_mtok == 0),
                }
            )
        payload = {"source": f"genai-prices {__version__}", "models": models}
        raw = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        # mtime=0: the same data gives the same bytes, so the snapshot only changes with them.
        with open(output, "wb") as out:
            out.write(gzip.compress(raw, mtime=0))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(models)} OpenRouter models to {output}"))
