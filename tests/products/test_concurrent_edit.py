"""Two submits of the same product edit at once (a no-JavaScript double tap, two tabs), on real
threads and separate database connections: no server error, one result, no file lost."""

import re
import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client

from products.models import ProductImage
from tests.dashboard import make_stall, photo_formset_data, product_data
from tests.factories import ProductImageFactory, jpeg_upload

pytestmark = pytest.mark.django_db(transaction=True)


def post_at_once(clients, url, data) -> list:
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def worker(index, client):
        try:
            barrier.wait()
            results[index] = client.post(url, data).status_code
        except Exception as error:  # the outcome under test, whatever it is
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a submit is stuck"
    return results


def test_a_double_submitted_edit_saves_once_and_keeps_every_file():
    """Both submits remove photo A, describe photo B and add a photo kept from an earlier try:
    both answer with a redirect, A is gone with its files, B and the new photo are there once,
    every remaining row's files exist, and the stock moved once."""
    stall = make_stall()
    product = stall.product
    product.stock = 10
    product.save()
    first = ProductImageFactory(product=product, position=0)
    second = ProductImageFactory(
        product=product, position=1, image=jpeg_upload("b.jpg", colour=(10, 90, 200))
    )
    first_files = first.photo.names(first.image.name)
    clients = [Client(HTTP_ACCEPT_LANGUAGE="vi") for _ in range(2)]
    for client in clients:
        client.force_login(stall.owner)
    url = f"/dashboard/products/{product.pk}/"
    page = clients[0].get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    refused = clients[0].post(
        url,
        {
            **product_data(category=product.category, name=""),
            **photo_formset_data(product),
            "photos": [jpeg_upload("new.jpg", colour=(200, 200, 20))],
        },
    )
    assert refused.status_code == 400
    (pending,) = re.findall(r'name="pending" value="([^"]+)"', refused.content.decode())
    data = {
        **product_data(
            category=product.category, name=product.name, stock="12", stock_shown="10", form_token=token
        ),
        **photo_formset_data(product, {first.pk: {"DELETE": "on"}, second.pk: {"alt_text": "Nương chè"}}),
        "pending": [pending],
    }
    assert post_at_once(clients, url, data) == [302, 302]
    photos = list(ProductImage.objects.filter(product=product).order_by("position"))
    assert [photo.pk for photo in photos][:1] == [second.pk]
    assert len(photos) == 2
    assert photos[0].alt_text == "Nương chè"
    assert [photo.position for photo in photos] == [0, 1]
    for photo in photos:
        assert all(default_storage.exists(name) for name in photo.photo.names(photo.image.name))
    assert not any(default_storage.exists(name) for name in first_files)
    product.refresh_from_db()
    assert product.stock == 12
