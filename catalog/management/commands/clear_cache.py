"""`manage.py clear_cache`: forget everything the app keeps in the cache, after a restore or a
fix made in SQL (catalog/caching.py). Sessions and login throttling stay."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from catalog import caching


class Command(BaseCommand):
    help = "Forget every cached value, so the next requests read the database (after a restore)."

    def handle(self, *args: Any, **options: Any) -> None:
        caching.bump(caching.EVERYTHING)
        self.stdout.write("Cleared: every cached value is read again from the database.")
