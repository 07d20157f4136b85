"""Database expressions the ORM lacks on both of our databases."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, CharField


class JoinedNames(Aggregate):
    """The values of a group joined with commas: for names that can't hold a comma (env var
    names). PostgreSQL's string_agg, SQLite's group_concat."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra)
