"""Create or reset the product the checkout load bench fights over, and report on it afterwards.

Run from the project root with the project's settings (DJANGO_SETTINGS_MODULE defaults to
storefront.settings; DATABASE_URL picks the database), for example:

    DEBUG=1 .venv/bin/python bench/setup_checkout_product.py --stock 10
        sets the stock and prints the product's slug (only that, on stdout);
    DEBUG=1 .venv/bin/python bench/setup_checkout_product.py --report
        prints its stock and the number of orders for it since the last reset, as key=value lines.

It lives with the benchmarks, not in `products`, so that the catalogue knows nothing of benches.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from orders.models import Order  # noqa: E402
from products.models import Category, Cooperative, Product  # noqa: E402

PRODUCT_NAME = "Bench: chè thử tải"
COOPERATIVE_NAME = "HTX Thử tải Chợ Phiên"
CATEGORY_NAME = "Chè"


@transaction.atomic
def product_reset(*, stock: int, price: int) -> Product:
    """The bench product, published in a verified cooperative, with exactly `stock` units."""
    cooperative = Cooperative.objects.filter(name=COOPERATIVE_NAME).first() or Cooperative(
        name=COOPERATIVE_NAME
    )
    cooperative.province = "08"
    cooperative.commune = "xã Lũng Phìn"
    cooperative.is_verified = True
    cooperative.save()
    category = Category.objects.filter(name=CATEGORY_NAME).first() or Category.objects.create(
        name=CATEGORY_NAME, name_en="Tea"
    )
    product = Product.objects.filter(name=PRODUCT_NAME, cooperative=cooperative).first() or Product(
        name=PRODUCT_NAME, cooperative=cooperative, category=category
    )
    product.price = price
    product.unit = "gói 200 g"
    product.origin_province = "08"
    product.stock = stock
    product.is_published = True
    product.is_archived = False
    # save() stamps updated_at; placement takes stock with QuerySet.update(), which leaves it
    # alone, so updated_at marks this reset and --report counts only the orders placed after it.
    product.save()
    return product


def product_report() -> dict[str, int]:
    product = Product.objects.get(name=PRODUCT_NAME, cooperative__name=COOPERATIVE_NAME)
    orders = (
        Order.objects.filter(cooperative_orders__items__product=product, created_at__gte=product.updated_at)
        .distinct()
        .count()
    )
    return {"product_id": product.pk, "stock": product.stock, "orders": orders}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stock", type=int, default=10, help="units to put on sale (default 10)")
    parser.add_argument("--price", type=int, default=120000, help="price in đồng (default 120000)")
    parser.add_argument("--report", action="store_true", help="report stock and orders instead of resetting")
    args = parser.parse_args()
    if args.report:
        for key, value in product_report().items():
            print(f"{key}={value}")
        return 0
    if args.stock < 0:
        parser.error("--stock cannot be negative")
    product = product_reset(stock=args.stock, price=args.price)
    print(f"bench product #{product.pk} {product.slug!r}: stock {product.stock}", file=sys.stderr)
    print(product.slug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
