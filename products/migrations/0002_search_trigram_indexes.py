"""On PostgreSQL, trigram GIN indexes make the catalogue's `LIKE '% word%'` search use an index.

SQLite has no trigram index; there the folded column is scanned (see README, "Search").
"""

from django.db import migrations

INDEXES = [
    ("products_product_search_text_trgm", "products_product", "search_text"),
    ("products_product_search_name_trgm", "products_product", "search_name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
