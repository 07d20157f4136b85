from importlib import import_module

from django.db import migrations

# The key now drops a maker's name that hosts put before the model's (`gradient_ai/openai-gpt-4o`
# groups with `openai/gpt-4o`): rows synced before get the new key now, not only at the next
# sync (which compares every field, so it would rewrite them too).
fill = import_module("catalog.migrations.0010_model_key").fill


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_model_key"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
