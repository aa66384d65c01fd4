"""Backups taken while the market takes orders: the archive restores into an empty folder with every
order committed before the backup began and every photo file; a live folder is not overwritten."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import ROOT, manage, market_env, migrated

SEED = """
from tests.factories import ProductFactory, ProductImageFactory, jpeg_upload
for n in range(3):
    product = ProductFactory(name=f"Chè {n}", slug=f"che-{n}", stock=100000)
    ProductImageFactory(product=product, image=jpeg_upload(f"che-{n}.jpg", colour=(40 * n, 90, 20)))
"""

# Places orders one after another and writes each code once order_place has returned (committed).
PLACE_ORDERS = """
import os
from products.models import Product
from tests.factories import placed_order
products = list(Product.objects.all())
with open(os.environ["CODES_FILE"], "a") as out:
    for n in range(400):
        order = placed_order({products[n % len(products)]: 1})
        out.write(order.code + "\\n")
        out.flush()
"""

COUNT = """
from orders.models import Order
from products.models import ProductImage
from django.core.files.storage import default_storage
print(",".join(Order.objects.values_list("code", flat=True)))
names = [name for image in ProductImage.objects.all() for name in image.photo.names(image.image.name)]
print(all(default_storage.exists(name) for name in names))
print(ProductImage.objects.count())
"""


def test_a_backup_taken_while_orders_come_in_restores_every_committed_order_and_photo(tmp_path):
    live = migrated(market_env(tmp_path / "live"))
    assert manage(live, "shell", "-c", SEED).returncode == 0
    codes = tmp_path / "codes.txt"
    codes.touch()
    placer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", PLACE_ORDERS],
        cwd=ROOT,
        env={**live, "CODES_FILE": str(codes)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while len(codes.read_text().split()) < 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        committed_before = set(codes.read_text().split())
        assert len(committed_before) >= 5
        backup = manage(live, "backup", str(tmp_path / "backups"))
        assert backup.returncode == 0, backup.stderr
        assert placer.poll() is None, "orders were still being placed during the backup"
    finally:
        placer.terminate()
        placer.wait(10)
    (archive,) = (tmp_path / "backups").glob("chophien-*.tar.gz")
    assert Path(backup.stdout.strip()) == archive

    restored = market_env(tmp_path / "restored")
    result = manage(restored, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    found = manage(restored, "shell", "-c", COUNT)
    assert found.returncode == 0, found.stderr
    restored_codes, all_files, photos = found.stdout.strip().splitlines()[-3:]
    assert committed_before <= set(restored_codes.split(","))
    assert all_files == "True" and photos == "3"

    again = manage(restored, "restore", str(archive))
    assert again.returncode != 0
    assert "already holds data" in again.stderr
    assert manage(restored, "restore", str(archive), "--force").returncode == 0


def test_backup_says_what_to_use_on_postgresql(tmp_path):
    env = market_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/chophien")
    result = manage(env, "backup", str(tmp_path))
    if "could not connect" in result.stderr:
        pytest.skip("no PostgreSQL here")
    assert result.returncode != 0
    assert "pg_dump" in result.stderr
