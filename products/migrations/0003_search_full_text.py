"""Full-text indexes for the catalogue search (see products/fts.py): FTS5 with sync triggers on
SQLite, a GIN index on to_tsvector('simple', search_text) on PostgreSQL.

If this Python's SQLite lacks FTS5, nothing is created and search keeps using LIKE. The trigram
indexes of 0002 stay: the admin's substring search (`search_text__contains`) still uses them.
"""

from django.db import migrations


def create(apps, schema_editor):
    from products import fts

    fts.install(schema_editor.connection)


def drop(apps, schema_editor):
    from products import fts

    fts.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("products", "0002_search_trigram_indexes")]

    operations = [migrations.RunPython(create, drop)]
