"""Product.search_marks (the search words with their marks, so "mat ong" can tell "mật" from
"mất") filled for the products already there, and the vocabularies that correct typos (see
products/fts.py)."""

from django.db import migrations, models

from storefront.lib.text import search_marks


def fill_marks(apps, schema_editor):
    from products.derived import product_search_parts

    Product = apps.get_model("products", "Product")
    batch = []
    for product in Product.objects.select_related("cooperative", "category").order_by("pk").iterator(1000):
        product.search_marks = search_marks(*product_search_parts(product=product))
        batch.append(product)
        if len(batch) == 1000:
            Product.objects.bulk_update(batch, ["search_marks"])
            batch = []
    Product.objects.bulk_update(batch, ["search_marks"])


def create_words(apps, schema_editor):
    from products import fts

    fts.install_words(schema_editor.connection)


def drop_words(apps, schema_editor):
    from products import fts

    fts.uninstall_words(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("products", "0012_product_star_counts")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_marks",
            field=models.TextField(db_default="", default="", editable=False),
        ),
        migrations.RunPython(fill_marks, migrations.RunPython.noop),
        migrations.RunPython(create_words, drop_words),
    ]
