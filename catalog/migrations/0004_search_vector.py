"""PostgreSQL search indexes (see catalog/search.py); SQLite needs none at its scale.

- search_vector: a generated tsvector of search_text with a GIN index, for word matching.
- text_pattern_ops btree indexes on name_norm / tail_norm, for "starts with" ranking.
The pg_trgm index of 0002 is dropped: full-text posting lists are far cheaper for common words.
fastupdate is off: catalog writes are rare batches, and a GIN pending list slows every read.
"""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS catalog_search_trgm",
    "ALTER TABLE catalog_catalogmodel ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS catalog_search_vector ON catalog_catalogmodel "
    "USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS catalog_name_prefix ON catalog_catalogmodel "
    "(name_norm text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS catalog_tail_prefix ON catalog_catalogmodel "
    "(tail_norm text_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalog_tail_prefix",
    "DROP INDEX IF EXISTS catalog_name_prefix",
    "DROP INDEX IF EXISTS catalog_search_vector",
    "ALTER TABLE catalog_catalogmodel DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_fields")]
    operations = [migrations.RunPython(forward, backward)]
