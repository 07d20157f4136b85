"""Models whose rows are kept in the cache under per-person or per-org versions
(catalog/versions.py): every write of a row, single or bulk, bumps the versions of what it
touched, so whatever was kept under the old ones is read again on the next request.

A model names, per column, the version its value belongs to (`VERSIONED_BY`, e.g. a BYOK row's
`user_id` → that person's BYOK version). A write bumps the versions of the rows' values before
and, when it moves rows (changes such a column), after. Rows that other versions show (a
person's org memberships, an org's members) add them in `related_versions`, which also covers
what deleting them cascades to, since cascades bypass these querysets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Self

from django.db import models

from catalog import versions

KeyOf = Callable[[Any], str]


class VersionedRowsQuerySet(models.QuerySet[Any]):
    def _rows(self, pks: Iterable[Any]) -> models.QuerySet[Any]:
        return self.model._base_manager.using(self.db).filter(pk__in=list(pks))

    def _plain(self) -> bool:
        """Migrations' historical models have the manager but not the model's versions."""
        return not hasattr(self.model, "VERSIONED_BY")

    def update(self, **kwargs: Any) -> int:
        if self._plain():
            return super().update(**kwargs)
        model = self.model
        pks, keys = model.versions_of_rows(self)
        # Only the rows whose versions were read: one that joins the filter meanwhile is left
        # alone rather than changed unbumped.
        changed = models.QuerySet.update(self.filter(pk__in=pks), **kwargs)
        if model.moves(kwargs):
            keys |= model.versions_of_rows(self._rows(pks))[1]
        versions.bump(*keys)
        return changed

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._plain():
            return super().delete()
        pks, keys = self.model.versions_of_rows(self)
        deleted = models.QuerySet.delete(self.filter(pk__in=pks))
        versions.bump(*keys)
        return deleted

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        created = super().bulk_create(objs, *args, **kwargs)
        if self._plain():
            return created
        versions.bump(*(key for obj in created for key in obj.own_version_keys()))
        return created

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        if self._plain():
            return super().bulk_update(objs, fields, *args, **kwargs)
        objs, fields = list(objs), list(fields)
        pks = [obj.pk for obj in objs]
        model, moves = self.model, self.model.moves(fields)
        keys = model.related_versions(pks)
        for obj in objs:
            keys |= obj.own_version_keys()
        # Moved rows, or rows read without their columns: the database says what they were.
        unknown = moves or any(c not in obj.__dict__ for obj in objs for c in model.VERSIONED_BY)
        if unknown:
            keys |= model.versions_of_rows(self._rows(pks))[1]
        # A plain queryset underneath: its per-batch update() would bump once per batch.
        queryset: models.QuerySet[Any] = models.QuerySet(model, using=self.db)
        changed = queryset.bulk_update(objs, fields, *args, **kwargs)
        if moves:
            keys |= model.versions_of_rows(self._rows(pks))[1]
        versions.bump(*keys)
        return changed


class VersionedRows(models.Model):
    """Saving or deleting a row bumps its versions, and those its row had when it was read
    from the database if the save moved it (e.g. gave it to someone else)."""

    VERSIONED_BY: ClassVar[dict[str, KeyOf]]  # column (attname) → the version its value names
    objects = VersionedRowsQuerySet.as_manager()
    _versioned_in_db: dict[str, Any] | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        versions.bump(*self._keys())
        self._versioned_in_db = {c: self.__dict__.get(c) for c in self.VERSIONED_BY}

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        keys = self._keys()  # before: what shows this row is found through it
        deleted = super().delete(*args, **kwargs)
        versions.bump(*keys)
        return deleted

    @classmethod
    def moves(cls, fields: Iterable[str]) -> bool:
        names = {cls._meta.get_field(f).name for f in cls.VERSIONED_BY} | set(cls.VERSIONED_BY)
        return not names.isdisjoint(fields)

    @classmethod
    def versions_of_rows(cls, rows: models.QuerySet[Any]) -> tuple[list[Any], set[str]]:
        """These rows' pks and the versions of their data (one query), with their
        `related_versions`."""
        columns = list(cls.VERSIONED_BY)
        values = list(rows.order_by().values_list("pk", *columns))
        keys = {
            key_of(value)
            for row in values
            for key_of, value in zip(cls.VERSIONED_BY.values(), row[1:], strict=True)
            if value is not None
        }
        pks = [row[0] for row in values]
        return pks, keys | (cls.related_versions(pks) if pks else set())

    @classmethod
    def related_versions(cls, pks: list[Any]) -> set[str]:
        """Versions of other rows' data that show these rows (none by default)."""
        return set()

    def own_version_keys(self) -> set[str]:
        return {
            key_of(value)
            for column, key_of in self.VERSIONED_BY.items()
            if (value := self.__dict__.get(column)) is not None
        }

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Self:
        row = super().from_db(*args, **kwargs)
        row._versioned_in_db = {c: row.__dict__[c] for c in cls.VERSIONED_BY if c in row.__dict__}
        return row

    def _keys(self) -> set[str]:
        old = self._versioned_in_db or {}
        keys = self.own_version_keys() | {
            key_of(old[column])
            for column, key_of in self.VERSIONED_BY.items()
            if old.get(column) is not None
        }
        return keys | (self.related_versions([self.pk]) if self.pk is not None else set())
