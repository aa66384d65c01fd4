"""A delivered order with two lines from one stall, and what a buyer's browser needs to open it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from orders import services as order_services
from tests.factories import CooperativeFactory, ProductFactory, placed_order

RED, BLUE = (220, 20, 20), (20, 20, 220)


def phone_photo(name="IMG_0001.jpg", colour=RED) -> SimpleUploadedFile:
    """A 400×300 JPEG stored sideways (EXIF orientation 6) with the GPS position of a home."""
    image = Image.new("RGB", (400, 300), colour)
    image.paste(BLUE, (200, 0, 400, 300))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (23.0, 15.0, 30.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def deliver(order):
    for part in order.cooperative_orders.all():
        order_services.cooperative_order_confirm(cooperative_order=part, actor=None)
        part.refresh_from_db()
        order_services.cooperative_order_ship(cooperative_order=part, actor=None)
        part.refresh_from_db()
        order_services.cooperative_order_deliver(cooperative_order=part, actor=None)
    return order


def items_of(order):
    return [item for part in order.cooperative_orders.all() for item in part.items.order_by("id")]


def open_order(client, order):
    """The browser remembers the order, as after checkout or tracking."""
    session = client.session
    session["orders"] = [order.code]
    session.save()


@pytest.fixture
def stall(db):
    return CooperativeFactory(name="HTX Chè Lũng Phìn", logo="", cover="")


@pytest.fixture
def tea(stall):
    return ProductFactory(cooperative=stall, name="Chè Shan tuyết", stock=50)


@pytest.fixture
def honey(stall):
    return ProductFactory(cooperative=stall, name="Mật ong bạc hà", stock=50)


@pytest.fixture
def order(tea, honey):
    return placed_order({tea: 1, honey: 1})


@pytest.fixture
def delivered(order):
    return deliver(order)


@pytest.fixture
def line(delivered, tea):
    return next(item for item in items_of(delivered) if item.product_id == tea.pk)
