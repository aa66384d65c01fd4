"""Share previews and the share row: what Zalo and Facebook read from a page, and the links a
buyer taps to send it on."""

import io
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import translation
from PIL import Image

from tests.factories import CooperativeFactory, ProductFactory, ProductImageFactory, jpeg_upload

pytestmark = pytest.mark.django_db

SITE = "https://chophien.example"


class Page(HTMLParser):
    """The <meta> tags (by property or name, every value kept) and the links and inputs of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.meta, self.links, self.inputs = {}, [], {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif tag == "input" and "id" in attrs:
            self.inputs[attrs["id"]] = attrs.get("value")

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, (key, values)
        return values[0]


def page(client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    return Page(response.content.decode())


def stored_image(name: str) -> Image.Image:
    with default_storage.open(name) as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


def media_path(url: str) -> str:
    """The storage name behind an absolute media URL."""
    assert url.startswith(f"{SITE}{settings.MEDIA_URL}"), url
    return url.removeprefix(f"{SITE}{settings.MEDIA_URL}")


# --- meta tags ---------------------------------------------------------------------------------


@override_settings(SITE_URL=SITE)
def test_product_page_meta_tags(client):
    product = ProductFactory(
        name='Chè "Shan" <tuyết> & mật',
        summary="Chè   búp\nhái tay trên cây cổ thụ.",
        price=250000,
        unit="gói 200 g",
        stock=3,
        slug="che-shan",
    )
    photo = ProductImageFactory(product=product, image=jpeg_upload(size=(1600, 1200)), alt_text="Búp chè")
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    meta = Page(html)

    assert meta.one("og:type") == "product"
    assert meta.one("og:site_name") == "Chợ Phiên"
    assert meta.one("og:locale") == "vi_VN"
    assert meta.one("og:locale:alternate") == "en_US"
    assert meta.one("og:title") == 'Chè "Shan" <tuyết> & mật'
    assert meta.one("twitter:title") == meta.one("og:title")
    # Chat previews show title and description only, so the price and unit lead the description.
    assert meta.one("og:description") == "250.000\u00a0₫ / gói 200 g · Chè búp hái tay trên cây cổ thụ."
    assert meta.one("og:url") == f"{SITE}/products/che-shan/"
    image_url = meta.one("og:image")
    assert media_path(image_url) == photo.image_meta["share"]["name"]
    assert stored_image(media_path(image_url)).size == (
        int(meta.one("og:image:width")),
        int(meta.one("og:image:height")),
    )
    assert (meta.one("og:image:width"), meta.one("og:image:height")) == ("1200", "630")
    assert meta.one("og:image:type") == "image/jpeg"
    assert meta.one("og:image:alt") == "Búp chè"
    assert meta.one("product:price:amount") == "250000"
    assert meta.one("product:price:currency") == "VND"
    assert meta.one("product:availability") == "in stock"
    assert meta.one("twitter:card") == "summary_large_image"
    assert meta.one("twitter:image") == image_url
    assert meta.one("twitter:image:alt") == "Búp chè"
    # Escaped by autoescape, so the name cannot close the attribute or open a tag.
    assert 'content="Chè &quot;Shan&quot; &lt;tuyết&gt; &amp; mật"' in html
    assert "<tuyết>" not in html


@override_settings(SITE_URL=SITE)
def test_english_product_page_meta_tags(client):
    product = ProductFactory(
        name="Mật ong bạc hà",
        name_en="Mint honey",
        summary="Mật ong hoa bạc hà.",
        summary_en="Honey from mint flowers.",
        price=1450000,
        unit="chai 500 ml",
        unit_en="bottle 500 ml",
        stock=0,
        slug="mat-ong",
    )
    ProductImageFactory(product=product, image=jpeg_upload(size=(800, 600)), alt_text="")
    meta = page(client, "/en/products/mat-ong/")
    assert meta.one("og:locale") == "en_US"
    assert meta.one("og:locale:alternate") == "vi_VN"
    assert meta.one("og:url") == f"{SITE}/en/products/mat-ong/"
    assert meta.one("og:title") == "Mint honey"
    assert meta.one("og:description") == "1,450,000\u00a0₫ / bottle 500 ml · Honey from mint flowers."
    assert meta.one("og:image:alt") == "Mint honey"
    # No thousands separator in any language.
    assert meta.one("product:price:amount") == "1450000"
    assert meta.one("product:availability") == "out of stock"


@override_settings(SITE_URL=SITE)
def test_long_story_is_cut_for_the_preview(client):
    product = ProductFactory(summary="", story="Một câu rất dài. " * 40, slug="dai")
    description = page(client, product.get_absolute_url()).one("og:description")
    assert len(description) <= 200
    assert description.endswith("…")


@override_settings(SITE_URL=SITE)
def test_product_without_photo_previews_with_its_stall_cover_else_the_site_picture(client):
    cooperative = CooperativeFactory(cover=jpeg_upload(size=(1600, 900)), logo="")
    product = ProductFactory(cooperative=cooperative)
    meta = page(client, product.get_absolute_url())
    assert media_path(meta.one("og:image")) == cooperative.cover_meta["share"]["name"]

    bare = ProductFactory(cooperative=CooperativeFactory(cover="", logo=""))
    meta = page(client, bare.get_absolute_url())
    assert meta.one("og:image").startswith(f"{SITE}{settings.STATIC_URL}img/share-default")
    assert (meta.one("og:image:width"), meta.one("og:image:height")) == ("1200", "630")


@override_settings(SITE_URL=SITE)
def test_stall_page_previews_with_cover_then_product_photo_then_site_picture(client):
    covered = CooperativeFactory(
        name="HTX Lũng Phìn", summary="Chè cổ thụ.", cover=jpeg_upload(size=(1600, 900))
    )
    meta = page(client, covered.get_absolute_url())
    assert meta.one("og:type") == "website"
    assert meta.one("og:title") == "HTX Lũng Phìn"
    assert meta.one("og:description") == "Chè cổ thụ."
    assert meta.one("og:url") == f"{SITE}{covered.get_absolute_url()}"
    assert media_path(meta.one("og:image")) == covered.cover_meta["share"]["name"]
    assert "product:price:amount" not in meta.meta

    uncovered = CooperativeFactory(cover="", logo="")
    photo = ProductImageFactory(
        product=ProductFactory(cooperative=uncovered), image=jpeg_upload(size=(500, 400))
    )
    meta = page(client, uncovered.get_absolute_url())
    assert media_path(meta.one("og:image")) == photo.image_meta["share"]["name"]
    assert (meta.one("og:image:width"), meta.one("og:image:height")) == ("1200", "630")

    empty = CooperativeFactory(cover="", logo="")
    meta = page(client, empty.get_absolute_url())
    assert meta.one("og:image").startswith(f"{SITE}{settings.STATIC_URL}img/share-default")


@override_settings(SITE_URL=SITE)
def test_home_page_meta_tags_in_both_languages(client):
    meta = page(client, "/")
    assert meta.one("og:type") == "website"
    assert meta.one("og:url") == f"{SITE}/"
    assert meta.one("og:locale") == "vi_VN"
    assert meta.one("og:title") == "Chợ Phiên — đặc sản từ các hợp tác xã vùng cao"
    assert meta.one("og:image").startswith(f"{SITE}{settings.STATIC_URL}img/share-default")
    assert meta.one("og:image:type") == "image/jpeg"
    english = page(client, "/en/")
    assert english.one("og:locale") == "en_US"
    assert english.one("og:url") == f"{SITE}/en/"


def test_the_default_share_picture_is_a_1200_by_630_jpeg():
    image = Image.open(Path(settings.BASE_DIR) / "static" / "img" / "share-default.jpg")
    assert (image.format, image.size) == ("JPEG", (1200, 630))


def test_rendering_a_page_never_opens_an_image(client, monkeypatch):
    product = ProductFactory()
    ProductImageFactory(product=product, image=jpeg_upload(size=(800, 600)))

    def refuse(*args, **kwargs):
        raise AssertionError("a page opened an image")

    monkeypatch.setattr(Image, "open", refuse)
    assert client.get(product.get_absolute_url()).status_code == 200
    assert client.get(product.cooperative.get_absolute_url()).status_code == 200


# --- the share row -----------------------------------------------------------------------------


def share_targets(links: list[str]) -> dict:
    """The URL each share link would share, by service."""
    found = {}
    for href in links:
        parts = urlsplit(href)
        if parts.netloc == "sp.zalo.me":
            found["zalo"] = parse_qs(parts.query)["url"]
        elif parts.netloc == "www.facebook.com":
            found["facebook"] = parse_qs(parts.query)["u"]
    return found


@override_settings(SITE_URL=SITE)
def test_product_share_row_links(client):
    product = ProductFactory(slug="che-shan")
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    meta = Page(html)
    assert share_targets(meta.links) == {
        "zalo": [f"{SITE}/products/che-shan/?utm_source=zalo&utm_medium=share"],
        "facebook": [f"{SITE}/products/che-shan/?utm_source=facebook&utm_medium=share"],
    }
    # The shared address travels percent-encoded inside the share link.
    assert (
        "https://sp.zalo.me/share_inline?url=https%3A%2F%2Fchophien.example%2Fproducts%2Fche-shan%2F%3F"
        in html
    )
    assert (
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fchophien.example%2Fproducts%2Fche-shan%2F%3Futm_source%3Dfacebook%26utm_medium%3Dshare"
        in html
    )
    assert meta.inputs["share-url"] == f"{SITE}/products/che-shan/"
    assert "https://zalo.me/0912345678" in meta.links
    assert "js/share.js" in html


@override_settings(SITE_URL=SITE)
def test_english_share_row_shares_the_english_page(client):
    ProductFactory(slug="che-shan")
    meta = page(client, "/en/products/che-shan/")
    assert share_targets(meta.links)["zalo"] == [
        f"{SITE}/en/products/che-shan/?utm_source=zalo&utm_medium=share"
    ]
    assert meta.inputs["share-url"] == f"{SITE}/en/products/che-shan/"


@override_settings(SITE_URL=SITE)
def test_stall_share_row_and_chat_link_only_with_a_phone(client):
    with_phone = CooperativeFactory(phone="0987654321")
    meta = page(client, with_phone.get_absolute_url())
    assert share_targets(meta.links)["facebook"] == [
        f"{SITE}{with_phone.get_absolute_url()}?utm_source=facebook&utm_medium=share"
    ]
    assert "https://zalo.me/0987654321" in meta.links

    without = CooperativeFactory(phone="")
    meta = page(client, without.get_absolute_url())
    assert not [href for href in meta.links if href.startswith("https://zalo.me/")]
    product = ProductFactory(cooperative=without)
    meta = page(client, product.get_absolute_url())
    assert not [href for href in meta.links if href.startswith("https://zalo.me/")]
    assert "zalo" in share_targets(meta.links)


@override_settings(SITE_URL=SITE)
def test_a_phone_that_is_not_a_mobile_gets_no_chat_link(client):
    cooperative = CooperativeFactory(phone="024 3826 1234")
    meta = page(client, cooperative.get_absolute_url())
    assert not [href for href in meta.links if href.startswith("https://zalo.me/")]


# --- query budgets -----------------------------------------------------------------------------


def test_share_tags_add_no_queries(client, django_assert_max_num_queries):
    """Product 4, stall 6, home 5 queries on a cold cache (the home page's stall product counts and
    the stall's star sums are kept after the first visit), as before the share tags; the stall's
    photo fallback reads the products its page already loaded."""
    cooperative = CooperativeFactory(cover="", logo="")
    products = [ProductFactory(cooperative=cooperative, is_featured=True) for _ in range(3)]
    for product in products:
        ProductImageFactory(product=product, image=jpeg_upload(size=(500, 400)))
    for url, budget in [
        (products[0].get_absolute_url(), 4),
        (cooperative.get_absolute_url(), 6),
        ("/", 5),
    ]:
        cache.clear()
        with translation.override("vi"), django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
