"""pg_trgm GIN index on search_text for spelling correction (catalog/search.py).

Exact search uses the full-text index of 0004; this one serves only queries that found
nothing: `word <% search_text` finds rows holding a word like a misspelt one. SQLite needs
none at its scale. provider_tier changes meaning (a family's maker, not a provider list):
rows are recomputed here, and by every later sync.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalog_search_trgm ON catalog_catalogmodel "
    "USING gin (search_text gin_trgm_ops) WITH (fastupdate = off) WHERE is_active",
]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_search_trgm")


def recompute_provider_tier(apps, schema_editor):
    from catalog.names import model_tail
    from catalog.search import provider_tier

    model = apps.get_model("catalog", "CatalogModel")
    changed = []
    for row in model.objects.only("pk", "model_id", "provider", "provider_tier").iterator():
        tier = provider_tier(
            model_id=row.model_id, tail=model_tail(row.model_id), provider=row.provider
        )
        if tier != row.provider_tier:
            row.provider_tier = tier
            changed.append(row)
    model.objects.bulk_update(changed, ["provider_tier"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_search_vector")]
    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(recompute_provider_tier, migrations.RunPython.noop),
    ]
