"""What search engines are given: /sitemap.xml (an index of sections, each listing both language
versions of every public page with hreflang alternates and lastmod) and /robots.txt."""

import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from products.models import Product
from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory

pytestmark = pytest.mark.django_db

SITE = "https://chophien.example"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str):
    """Noon in Vietnam on that day, far from any date boundary in UTC."""
    return datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=HANOI)


def touch(obj, day: str) -> None:
    type(obj).objects.filter(pk=obj.pk).update(updated_at=at(day))


def fetch(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own response, not untrusted input)


def sitemap_urls(client, site=SITE) -> dict[str, dict]:
    """Every <url> of every section the index lists: {loc: {"lastmod": …, "alternates": {…}}}."""
    urls = {}
    for section in fetch(client, "/sitemap.xml").findall("sm:sitemap/sm:loc", NS):
        assert section.text.startswith(f"{site}/sitemap-")
        for url in fetch(client, section.text.removeprefix(site)).findall("sm:url", NS):
            loc = url.find("sm:loc", NS).text
            assert loc not in urls, f"listed twice: {loc}"
            lastmod = url.find("sm:lastmod", NS)
            urls[loc] = {
                "lastmod": lastmod.text if lastmod is not None else None,
                "alternates": {
                    link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
                },
            }
    return urls


@pytest.fixture
def market():
    """Two verified stalls, one unverified; public, unpublished and archived products."""
    tea = CategoryFactory(name="Chè", name_en="Tea", slug="che")
    honey = CategoryFactory(name="Mật ong", name_en="Honey", slug="mat-ong")
    cloth = CategoryFactory(name="Thổ cẩm", name_en="Brocade", slug="tho-cam")  # only hidden products
    CategoryFactory(name="Gạo", slug="gao")  # no products at all
    lung_phin = CooperativeFactory(name="HTX Lũng Phìn", slug="htx-lung-phin")
    ta_van = CooperativeFactory(name="HTX Tả Van", slug="htx-ta-van")
    hidden_stall = CooperativeFactory(name="HTX Chưa xác minh", slug="htx-chua-xac-minh", is_verified=False)
    products = {
        "shan": ProductFactory(name="Chè Shan", slug="che-shan", cooperative=lung_phin, category=tea),
        "honey": ProductFactory(name="Mật ong", slug="mat-ong-rung", cooperative=lung_phin, category=honey),
        "draft": ProductFactory(slug="nhap", cooperative=ta_van, category=cloth, is_published=False),
        "old": ProductFactory(slug="cu", cooperative=ta_van, category=cloth, is_archived=True),
        "unverified": ProductFactory(slug="chua-xac-minh", cooperative=hidden_stall, category=cloth),
    }
    touch(lung_phin, "2025-01-10")
    touch(ta_van, "2025-04-01")
    touch(hidden_stall, "2025-05-01")
    touch(products["shan"], "2025-03-05")
    touch(products["honey"], "2025-02-20")
    # Hidden products changed later than anything public: their dates must not leak.
    touch(products["draft"], "2025-06-01")
    touch(products["old"], "2025-06-02")
    touch(products["unverified"], "2025-06-03")
    return products


def both(path: str) -> set[str]:
    return {f"{SITE}{path}", f"{SITE}/en{path}"}


@override_settings(SITE_URL=SITE)
def test_sitemap_lists_every_public_page_in_both_languages_and_nothing_else(client, market):
    urls = sitemap_urls(client)
    expected = set().union(
        both("/"),
        both("/products/"),
        both("/cooperatives/"),
        both("/products/che-shan/"),
        both("/products/mat-ong-rung/"),
        both("/cooperatives/htx-lung-phin/"),
        both("/cooperatives/htx-ta-van/"),
        both("/products/?category=che"),
        both("/products/?category=mat-ong"),
    )
    assert set(urls) == expected
    listed = " ".join(urls)
    for hidden in ("nhap", "/cu/", "chua-xac-minh", "tho-cam", "gao"):
        assert hidden not in listed


@override_settings(SITE_URL=SITE)
def test_each_url_names_both_language_versions_and_the_vietnamese_default(client, market):
    urls = sitemap_urls(client)
    versions = {
        "vi": f"{SITE}/products/che-shan/",
        "en": f"{SITE}/en/products/che-shan/",
        "x-default": f"{SITE}/products/che-shan/",
    }
    assert urls[f"{SITE}/products/che-shan/"]["alternates"] == versions
    assert urls[f"{SITE}/en/products/che-shan/"]["alternates"] == versions
    assert urls[f"{SITE}/en/products/?category=che"]["alternates"] == {
        "vi": f"{SITE}/products/?category=che",
        "en": f"{SITE}/en/products/?category=che",
        "x-default": f"{SITE}/products/?category=che",
    }
    assert urls[f"{SITE}/en/"]["alternates"]["x-default"] == f"{SITE}/"


@override_settings(SITE_URL=SITE)
def test_a_product_slugged_vi_keeps_its_slug_in_x_default(client):
    """Django derives x-default by deleting '/vi/'; with unprefixed Vietnamese that is the slug."""
    ProductFactory(slug="vi")
    urls = sitemap_urls(client)
    assert urls[f"{SITE}/en/products/vi/"]["alternates"]["x-default"] == f"{SITE}/products/vi/"


@override_settings(SITE_URL=SITE)
def test_lastmod_of_products_stalls_and_categories(client, market):
    urls = sitemap_urls(client)

    def lastmod(path):
        assert urls[f"{SITE}{path}"]["lastmod"] == urls[f"{SITE}/en{path}"]["lastmod"]
        return urls[f"{SITE}{path}"]["lastmod"]

    assert lastmod("/products/che-shan/") == "2025-03-05"
    assert lastmod("/products/mat-ong-rung/") == "2025-02-20"
    # A stall changed when it or one of its public products last did.
    assert lastmod("/cooperatives/htx-lung-phin/") == "2025-03-05"
    assert lastmod("/cooperatives/htx-ta-van/") == "2025-04-01"
    # A category, when its newest public product did.
    assert lastmod("/products/?category=che") == "2025-03-05"
    assert lastmod("/products/?category=mat-ong") == "2025-02-20"
    assert lastmod("/") is None


@override_settings(SITE_URL=SITE)
def test_index_lists_the_sections_with_their_latest_change(client, market):
    index = fetch(client, "/sitemap.xml")
    sections = {
        s.find("sm:loc", NS).text: getattr(s.find("sm:lastmod", NS), "text", None)
        for s in index.findall("sm:sitemap", NS)
    }
    assert set(sections) == {
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-products.xml",
        f"{SITE}/sitemap-cooperatives.xml",
        f"{SITE}/sitemap-categories.xml",
    }
    assert sections[f"{SITE}/sitemap-products.xml"].startswith("2025-03-05")
    assert sections[f"{SITE}/sitemap-cooperatives.xml"].startswith("2025-04-01")
    assert sections[f"{SITE}/sitemap-pages.xml"] is None


@override_settings(SITE_URL=SITE)
def test_index_pages_a_section_past_the_limit(client, market, monkeypatch):
    """Past 50,000 addresses a section is split, and the index lists every page of it."""
    from products.sitemaps import ProductSitemap

    monkeypatch.setattr(ProductSitemap, "limit", 3)  # 2 products × 2 languages = 4 addresses
    locations = [loc.text for loc in fetch(client, "/sitemap.xml").findall("sm:sitemap/sm:loc", NS)]
    assert f"{SITE}/sitemap-products.xml?p=2" in locations
    assert f"{SITE}/sitemap-products.xml?p=3" not in locations
    second = fetch(client, "/sitemap-products.xml?p=2").findall("sm:url/sm:loc", NS)
    assert len(second) == 1


@override_settings(SITE_URL="https://cho.example:8443", ALLOWED_HOSTS=["*"])
def test_absolute_urls_follow_site_url_not_the_request_host(client, market):
    urls = sitemap_urls(Client(HTTP_HOST="evil.example"), site="https://cho.example:8443")
    assert len(urls) == 18
    for loc, info in urls.items():
        assert loc.startswith("https://cho.example:8443/")
        assert all(href.startswith("https://cho.example:8443/") for href in info["alternates"].values())
    response = client.get("/sitemap.xml", HTTP_HOST="evil.example")
    assert b"evil.example" not in response.content


def test_sitemap_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    stall = CooperativeFactory()
    category = CategoryFactory()
    ProductFactory(cooperative=stall, category=category)

    def run_all():
        for url in (
            "/sitemap.xml",
            *(f"/sitemap-{s}.xml" for s in ("pages", "products", "cooperatives", "categories")),
        ):
            assert client.get(url).status_code == 200

    with CaptureQueriesContext(connection) as few:
        run_all()
    for i in range(5):
        more_stall = CooperativeFactory()
        for _ in range(4):
            ProductFactory(cooperative=more_stall, category=CategoryFactory() if i % 2 else category)
    with django_assert_max_num_queries(len(few)):
        run_all()
    assert Product.objects.public().count() == 21


# robots.txt -------------------------------------------------------------------------------------


@override_settings(SITE_URL=SITE)
def test_robots_keeps_private_pages_and_posters_out_in_both_languages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")}
    assert disallowed == {
        "/dashboard/",
        "/cart/",
        "/checkout/",
        "/orders/",
        "/accounts/",
        "/admin/",
        "/products/*/poster/",
        "/cooperatives/*/poster/",
        "/en/dashboard/",
        "/en/cart/",
        "/en/checkout/",
        "/en/orders/",
        "/en/accounts/",
        "/en/admin/",
        "/en/products/*/poster/",
        "/en/cooperatives/*/poster/",
        "/i18n/",
        "/language/",
        "/data-saver/",
    }
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    # Public pages stay open: nothing disallowed is a prefix of them.
    for public in ("/", "/products/", "/products/che-shan/", "/cooperatives/", "/en/products/"):
        assert not any(public.startswith(path) for path in disallowed if "*" not in path)


@override_settings(SITE_URL=SITE)
def test_robots_answers_in_the_same_words_whatever_the_visitor_language(client):
    english = client.get("/robots.txt", HTTP_ACCEPT_LANGUAGE="en").content
    assert english == client.get("/robots.txt").content
