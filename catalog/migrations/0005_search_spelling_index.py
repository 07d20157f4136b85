"""PostgreSQL: the catalog's words, trigram-indexed, for spelling correction (catalog/search.py).

catalog_search_word holds every distinct all-letter word of search_text (digits are versions,
never corrected), kept current by triggers on every insert and search_text change, so each
writer (sync, admin, scripts) feeds it. A retired model's words stay: correcting to one finds
nothing, and the search then shows no correction. SQLite reads its small catalog directly.
provider_tier changes meaning (a family's maker, not a provider list): rows are recomputed
here, and by every later sync.
"""

from django.db import migrations

WORDS = "SELECT w FROM unnest(tsvector_to_array({vector})) AS w WHERE w ~ '^[a-z]+$'"
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE TABLE IF NOT EXISTS catalog_search_word (word text COLLATE "C" PRIMARY KEY)',
    "CREATE INDEX IF NOT EXISTS catalog_search_word_trgm ON catalog_search_word "
    "USING gin (word gin_trgm_ops) WITH (fastupdate = off)",
    "CREATE OR REPLACE FUNCTION catalog_note_search_words() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"INSERT INTO catalog_search_word (word) {WORDS.format(vector='NEW.search_vector')} "
    "ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS catalog_search_words_new ON catalog_catalogmodel",
    "CREATE TRIGGER catalog_search_words_new AFTER INSERT ON catalog_catalogmodel "
    "FOR EACH ROW EXECUTE FUNCTION catalog_note_search_words()",
    # A sync rewrites every field of a changed row: only a new search_text has new words.
    "DROP TRIGGER IF EXISTS catalog_search_words_changed ON catalog_catalogmodel",
    "CREATE TRIGGER catalog_search_words_changed AFTER UPDATE OF search_text "
    "ON catalog_catalogmodel FOR EACH ROW "
    "WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text) "
    "EXECUTE FUNCTION catalog_note_search_words()",
    "INSERT INTO catalog_search_word (word) SELECT DISTINCT w FROM catalog_catalogmodel, "
    f"LATERAL ({WORDS.format(vector='search_vector')}) AS words ON CONFLICT DO NOTHING",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_search_words_changed ON catalog_catalogmodel",
    "DROP TRIGGER IF EXISTS catalog_search_words_new ON catalog_catalogmodel",
    "DROP FUNCTION IF EXISTS catalog_note_search_words()",
    "DROP TABLE IF EXISTS catalog_search_word",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


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
        migrations.RunPython(forward, backward),
        migrations.RunPython(recompute_provider_tier, migrations.RunPython.noop),
    ]
