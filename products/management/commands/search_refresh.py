"""Rebuild every product's search text: run once after an upgrade that changed what it holds.

Saves keep it in sync from then on; rows written before the change (such as products saved before
English summaries, stories and stall names went into search) only get the new words this way.
"""

from django.core.management.base import BaseCommand

from products.derived import product_search_refresh
from products.models import Product


class Command(BaseCommand):
    help = "Rebuild the search text of every product (after an upgrade that changed what it holds)."

    def handle(self, *args, **options):
        products = Product.objects.select_related("category", "cooperative").order_by("pk")
        count = product_search_refresh(products=products.iterator(chunk_size=500))
        self.stdout.write(f"Rebuilt the search text of {count} product(s).")
