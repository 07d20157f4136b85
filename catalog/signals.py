"""What a write of catalog or platform rows makes the cache build again (catalog/caching.py).
Bulk writes, which send no signals, bump in the services that make them (catalog/sync.py,
catalog/platform.py)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog import caching
from catalog.models import CatalogModel, PlatformModel


@receiver([post_save, post_delete], sender=CatalogModel)
def catalog_changed(**kwargs: Any) -> None:
    caching.bump(caching.CATALOG)


@receiver([post_save, post_delete], sender=PlatformModel)
def platform_changed(**kwargs: Any) -> None:
    caching.bump(caching.PLATFORM)
