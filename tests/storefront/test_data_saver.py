"""Data saver: with Save-Data or the footer's switch, pages carry each photo's colour instead of the
photo, the product page shows a photo when it is tapped, the switch works as a plain link, and
kept pages and caches keep the two versions apart."""

import re
from pathlib import Path

import pytest
from PIL import Image

from products.images import average_colour
from storefront.lib.renditions import Renditions, colour_gif
from tests.factories import ProductFactory, ProductImageFactory
from tests.storefront.test_page_cache import text, visit, visitor

pytestmark = pytest.mark.django_db

PHOTO_URL = re.compile(r"/media/[^\"' ]+")
PLACEHOLDER = re.compile(r'src="(data:image/gif;base64,[A-Za-z0-9+/=]+)"')


@pytest.fixture
def honey():
    product = ProductFactory(name="Mật ong hoa rừng", stock=9)
    ProductImageFactory(product=product)
    return product


def photos_in(response) -> list[str]:
    """Photos the page's body would fetch (the share tags in <head> name one for link previews)."""
    return PHOTO_URL.findall(text(response).split("<body")[1].split("<footer")[0])


def test_save_data_pages_send_no_photo_only_its_colour(honey):
    for url in ("/", "/products/", honey.get_absolute_url(), honey.cooperative.get_absolute_url()):
        plain, _ = visit(url)
        saver, _ = visit(url, HTTP_SAVE_DATA="on")
        assert photos_in(plain), url
        body = text(saver)
        assert PLACEHOLDER.search(body), url
        assert all(len(src) < 100 for src in PLACEHOLDER.findall(body)), url
        if url == honey.get_absolute_url():
            # The photo is there to be opened, behind a tap, and lazy so a closed box fetches nothing.
            reveal = body.split('<details class="photo-reveal">')[1].split("</details>")[0]
            assert "Chạm để xem ảnh" in reveal and 'loading="lazy"' in reveal and PHOTO_URL.search(reveal)
            assert 'loading="eager"' not in body.split("<footer")[0]
        else:
            assert not photos_in(saver), url


def test_the_placeholder_is_the_photo_s_own_colour(honey):
    photo = Renditions.of(honey.images.get().photo)
    # The factory's photo is a flat (120, 160, 90).
    assert photo.colour == "#78a05a"
    saver, _ = visit("/products/", HTTP_SAVE_DATA="on")
    assert colour_gif("#78a05a") in text(saver)


def test_average_colour_of_a_photo_and_junk_meta():
    assert average_colour(Image.new("RGB", (640, 480), (255, 0, 0))) == "#ff0000"
    half = Image.new("RGB", (200, 100), (0, 0, 0))
    half.paste((255, 255, 255), (100, 0, 200, 100))
    assert average_colour(half) in ("#7f7f7f", "#808080")
    assert Renditions.of({"renditions": {"360": "a.webp"}, "colour": "red; x"}).colour == ""
    assert Renditions.of({"renditions": {"360": "a.webp"}, "colour": "#ABCDEF"}).colour == "#abcdef"
    assert Renditions.of(Renditions(by_width={360: "a.webp"}, colour="#010203").to_meta()).colour == "#010203"


def test_the_footer_switch_is_a_link_remembered_in_a_cookie(honey):
    browser = visitor()
    response = browser.get("/data-saver/on/", {"next": "/products/?q=mat"})
    assert response.status_code == 302 and response["Location"] == "/products/?q=mat"
    assert browser.cookies["save_data"].value == "on" and browser.cookies["save_data"]["httponly"]
    assert not photos_in(browser.get("/products/"))
    assert "Hiện ảnh" in text(browser.get("/products/"))
    # Turned off, photos come back even when the browser asks to save data.
    browser.get("/data-saver/off/", {"next": "/products/"})
    assert photos_in(browser.get("/products/", HTTP_SAVE_DATA="on"))


def test_the_switch_refuses_odd_values_and_other_sites():
    browser = visitor()
    assert browser.get("/data-saver/maybe/").status_code == 404
    assert browser.get("/data-saver/on/", {"next": "https://evil.example/"})["Location"] == "/"
    assert browser.post("/data-saver/on/").status_code == 405


def test_kept_pages_and_caches_keep_the_two_versions_apart(honey):
    visit("/products/")
    kept_plain, queries = visit("/products/")
    assert queries == 0 and photos_in(kept_plain)
    saver, _ = visit("/products/", HTTP_SAVE_DATA="on")
    assert not photos_in(saver)
    kept_saver, queries = visit("/products/", HTTP_SAVE_DATA="on")
    assert queries == 0 and not photos_in(kept_saver)
    for response in (kept_plain, kept_saver):
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"save-data", "cookie"} <= vary


def test_a_first_visit_to_the_catalogue_saving_data_is_under_20_kb(honey):
    """Everything a first visit fetches, as a server compressing with gzip sends it: the page, then
    each stylesheet, script and image it links (the bench measures the same in a browser)."""
    import gzip

    from django.contrib.staticfiles import finders

    for n in range(12):
        ProductImageFactory(
            product=ProductFactory(name=f"Chè Shan tuyết cổ thụ số {n}", cooperative=honey.cooperative)
        )
    page, _ = visit("/products/", HTTP_SAVE_DATA="on")
    assert page["Content-Encoding"] == "gzip"
    body = text(page)
    assert body.count('class="photo-saved"') >= 12
    assets = re.findall(r'<(?:link rel="stylesheet"|script) (?:href|src)="/static/([^"]+)"', body)
    assets += re.findall(r'<img src="/static/([^"]+)"', body)
    assert assets and not PHOTO_URL.findall(body.split("<body")[1])
    sent = len(page.content) + sum(len(gzip.compress(Path(finders.find(a)).read_bytes(), 9)) for a in assets)
    assert sent < 20 * 1024, f"{sent} bytes"
