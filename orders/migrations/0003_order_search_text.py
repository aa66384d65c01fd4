"""Order.search_text: folded buyer details and code for the admin's search without diacritics,
filled here for the orders that exist already (new and edited orders fill it on save)."""

from django.db import migrations, models

from storefront.lib.text import search_text
from storefront.lib.vietnam import PROVINCE_NAMES

BATCH = 500


def fill(apps, schema_editor):
    # The historical model has no save() logic, so the text is built here from the same fields.
    Order = apps.get_model("orders", "Order")
    batch = []
    for order in Order.objects.only(
        "code", "full_name", "phone", "email", "street_address", "commune", "province"
    ).iterator(chunk_size=BATCH):
        order.search_text = search_text(
            order.code,
            order.full_name,
            order.phone,
            order.email,
            order.street_address,
            order.commune,
            PROVINCE_NAMES.get(order.province, ""),
        )
        batch.append(order)
        if len(batch) >= BATCH:
            Order.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Order.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_money_big_integers"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="search_text",
            field=models.TextField(default="", editable=False, verbose_name="nội dung tìm kiếm"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
