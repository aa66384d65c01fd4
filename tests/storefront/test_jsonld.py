"""Schema.org JSON-LD on product, stall and home pages: parsed from the page and checked field by
field, in both languages, escaped so no text can end the script early, and free of queries."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from products.models import Product
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    ProductFactory,
    ProductImageFactory,
    jpeg_upload,
)

pytestmark = pytest.mark.django_db

SITE = "https://chophien.example"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def jsonld(response) -> dict[str, dict]:
    """The page's JSON-LD documents by @type (each type appears once on these pages)."""
    assert response.status_code == 200
    documents = [json.loads(block) for block in SCRIPT.findall(response.content.decode())]
    by_type = {document["@type"]: document for document in documents}
    assert len(by_type) == len(documents)
    assert all(document["@context"] == "https://schema.org" for document in documents)
    return by_type


@pytest.fixture
def tea():
    stall = CooperativeFactory(
        name="HTX Chè Lũng Phìn", name_en="Lung Phin Tea Cooperative", slug="htx-lung-phin"
    )
    category = CategoryFactory(name="Chè", name_en="Tea", slug="che")
    product = ProductFactory(
        name="Chè Shan tuyết",
        name_en="Shan Tuyet tea",
        summary="Chè cổ thụ trên núi cao.",
        summary_en="Tea from ancient trees high in the mountains.",
        slug="che-shan-tuyet",
        price=250000,
        stock=20,
        cooperative=stall,
        category=category,
    )
    return product


@override_settings(SITE_URL=SITE)
def test_product_is_described_with_its_offer_and_seller(client, tea):
    ProductImageFactory(product=tea, position=0)
    ProductImageFactory(product=tea, position=1)
    data = jsonld(client.get("/products/che-shan-tuyet/"))["Product"]
    assert data["name"] == "Chè Shan tuyết"
    assert data["description"] == "Chè cổ thụ trên núi cao."
    assert data["url"] == f"{SITE}/products/che-shan-tuyet/"
    assert data["sku"] == "che-shan-tuyet"
    assert data["category"] == "Chè"
    assert data["brand"] == {"@type": "Brand", "name": "HTX Chè Lũng Phìn"}
    # Delivery has its own test (tests/products/test_list_share_and_offer_terms.py).
    assert data["offers"].pop("shippingDetails")["@type"] == "OfferShippingDetails"
    assert data["offers"] == {
        "@type": "Offer",
        "price": "250000",
        "priceCurrency": "VND",
        "availability": "https://schema.org/InStock",
        "itemCondition": "https://schema.org/NewCondition",
        "url": f"{SITE}/products/che-shan-tuyet/",
        "seller": {
            "@type": "Organization",
            "name": "HTX Chè Lũng Phìn",
            "url": f"{SITE}/cooperatives/htx-lung-phin/",
        },
    }
    # The widest WebP rendition of each photo, in the gallery's order, as absolute URLs.
    expected = []
    for image in tea.images.order_by("position"):
        renditions = image.image_meta["renditions"]
        expected.append(f"{SITE}/media/{renditions[max(renditions, key=int)]}")
    assert data["image"] == expected
    assert all(url.endswith("w.webp") for url in expected)


@pytest.mark.parametrize(
    ("stock", "availability"),
    [
        (0, "https://schema.org/OutOfStock"),
        (1, "https://schema.org/LimitedAvailability"),
        (Product.LOW_STOCK, "https://schema.org/LimitedAvailability"),
        (Product.LOW_STOCK + 1, "https://schema.org/InStock"),
    ],
)
def test_availability_follows_stock(client, tea, stock, availability):
    Product.objects.filter(pk=tea.pk).update(stock=stock)
    assert (
        jsonld(client.get("/products/che-shan-tuyet/"))["Product"]["offers"]["availability"] == availability
    )


def test_product_without_photos_or_text_leaves_those_fields_out(client):
    ProductFactory(slug="tron", summary="", story="")
    data = jsonld(client.get("/products/tron/"))["Product"]
    assert "image" not in data
    assert "description" not in data


def test_description_falls_back_to_the_story(client):
    ProductFactory(slug="chuyen", summary="", story="Hái tay mỗi sáng.")
    assert jsonld(client.get("/products/chuyen/"))["Product"]["description"] == "Hái tay mỗi sáng."


@override_settings(SITE_URL=SITE)
def test_product_breadcrumbs_go_home_category_product(client, tea):
    crumbs = jsonld(client.get("/products/che-shan-tuyet/"))["BreadcrumbList"]["itemListElement"]
    assert crumbs == [
        {"@type": "ListItem", "position": 1, "name": "Chợ Phiên", "item": f"{SITE}/"},
        {"@type": "ListItem", "position": 2, "name": "Chè", "item": f"{SITE}/products/?category=che"},
        {
            "@type": "ListItem",
            "position": 3,
            "name": "Chè Shan tuyết",
            "item": f"{SITE}/products/che-shan-tuyet/",
        },
    ]


@override_settings(SITE_URL=SITE)
def test_english_page_describes_the_product_in_english(client, tea):
    found = jsonld(client.get("/en/products/che-shan-tuyet/"))
    data = found["Product"]
    assert data["name"] == "Shan Tuyet tea"
    assert data["description"] == "Tea from ancient trees high in the mountains."
    assert data["url"] == f"{SITE}/en/products/che-shan-tuyet/"
    assert data["category"] == "Tea"
    assert data["brand"]["name"] == "Lung Phin Tea Cooperative"
    assert data["offers"]["url"] == f"{SITE}/en/products/che-shan-tuyet/"
    assert data["offers"]["seller"] == {
        "@type": "Organization",
        "name": "Lung Phin Tea Cooperative",
        "url": f"{SITE}/en/cooperatives/htx-lung-phin/",
    }
    crumbs = found["BreadcrumbList"]["itemListElement"]
    assert [(c["name"], c["item"]) for c in crumbs] == [
        ("Chợ Phiên", f"{SITE}/en/"),
        ("Tea", f"{SITE}/en/products/?category=che"),
        ("Shan Tuyet tea", f"{SITE}/en/products/che-shan-tuyet/"),
    ]


def test_english_page_falls_back_to_vietnamese_text(client):
    ProductFactory(slug="mat-ong", name="Mật ong bạc hà", summary="Mật ong vùng đá.")
    data = jsonld(client.get("/en/products/mat-ong/"))["Product"]
    assert (data["name"], data["description"]) == ("Mật ong bạc hà", "Mật ong vùng đá.")


def test_text_cannot_end_the_script_block(client):
    """Quotes, '</script>', '<!--' and '&' in a name or story stay data inside the JSON."""
    name = 'Chè "Tuyết" </script><script>alert(1)</script>'
    story = "Ngon & rẻ </SCRIPT> <!-- ' \\ \u2028 hết"
    stall = CooperativeFactory(name='HTX "A&B" </script>', slug="htx-ab", summary="")
    ProductFactory(slug="nguy-hiem", name=name, summary="", story=story, cooperative=stall)
    response = client.get("/products/nguy-hiem/")
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    blocks = SCRIPT.findall(html)
    assert all("<" not in block and ">" not in block and "&" not in block for block in blocks)
    data = jsonld(response)["Product"]
    assert data["name"] == name
    assert data["description"] == story
    assert data["brand"]["name"] == 'HTX "A&B" </script>'
    assert jsonld(client.get("/cooperatives/htx-ab/"))["LocalBusiness"]["name"] == 'HTX "A&B" </script>'


# Stalls -----------------------------------------------------------------------------------------


@override_settings(SITE_URL=SITE)
def test_stall_is_a_local_business_with_address_and_phone(client):
    CooperativeFactory(
        name="HTX Tả Van",
        name_en="Ta Van Cooperative",
        slug="htx-ta-van",
        summary="Thổ cẩm của người Giáy.",
        summary_en="Giay brocade.",
        province="15",
        commune="xã Tả Van",
        phone="0912 345 678",
        email="tavan@example.vn",
        logo=jpeg_upload("logo.jpg", size=(300, 300)),
    )
    response = client.get("/cooperatives/htx-ta-van/")
    data = jsonld(response)["LocalBusiness"]
    logo = data.pop("logo")
    assert logo.startswith(f"{SITE}/media/cooperatives/logos/") and logo.endswith("w.webp")
    assert data == {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": "HTX Tả Van",
        "description": "Thổ cẩm của người Giáy.",
        "url": f"{SITE}/cooperatives/htx-ta-van/",
        "image": logo,  # no cover: the logo stands in
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "xã Tả Van",
            "addressRegion": "Lào Cai",
            "addressCountry": "VN",
        },
        "telephone": "+84912345678",
    }
    # The page does not show the email, so the structured data does not publish it either.
    assert "tavan@example.vn" not in response.content.decode()

    english = jsonld(client.get("/en/cooperatives/htx-ta-van/"))["LocalBusiness"]
    assert (english["name"], english["description"]) == ("Ta Van Cooperative", "Giay brocade.")
    assert english["url"] == f"{SITE}/en/cooperatives/htx-ta-van/"


def test_stall_without_phone_logo_or_commune_leaves_them_out(client):
    CooperativeFactory(slug="htx-gon", phone="", commune="", logo="", cover="")
    data = jsonld(client.get("/cooperatives/htx-gon/"))["LocalBusiness"]
    assert "telephone" not in data and "logo" not in data and "image" not in data
    assert "addressLocality" not in data["address"]


def test_stall_with_an_old_landline_publishes_no_phone(client):
    """A number stored before phones were checked is not published as a wrong E.164 number."""
    stall = CooperativeFactory(slug="htx-ban")
    type(stall).objects.filter(pk=stall.pk).update(phone="024 3826 1234")
    assert "telephone" not in jsonld(client.get("/cooperatives/htx-ban/"))["LocalBusiness"]


def test_hidden_products_and_unverified_stalls_have_no_page_and_no_description(client):
    ProductFactory(slug="nhap", is_published=False)
    ProductFactory(slug="cu", is_archived=True)
    CooperativeFactory(slug="htx-an", is_verified=False)
    for url in ("/products/nhap/", "/products/cu/", "/cooperatives/htx-an/", "/en/products/nhap/"):
        response = client.get(url)
        assert response.status_code == 404
        assert not SCRIPT.findall(response.content.decode())


# Home -------------------------------------------------------------------------------------------


@override_settings(SITE_URL=SITE)
def test_home_describes_the_site_its_search_and_the_market(client):
    found = jsonld(client.get("/"))
    assert found["WebSite"] == {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "Chợ Phiên",
        "url": f"{SITE}/",
        "inLanguage": "vi",
        "publisher": {"@id": f"{SITE}/#organization"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{SITE}/products/?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    organization = found["Organization"]
    assert organization["@id"] == f"{SITE}/#organization"
    assert (organization["name"], organization["url"]) == ("Chợ Phiên", f"{SITE}/")
    assert organization["logo"].startswith(f"{SITE}/static/img/")
    assert organization["description"].startswith("Mua chè, mật ong")


@override_settings(SITE_URL=SITE)
def test_english_home_searches_the_english_catalogue(client):
    found = jsonld(client.get("/en/"))
    assert found["WebSite"]["inLanguage"] == "en"
    assert found["WebSite"]["potentialAction"]["target"]["urlTemplate"] == (
        f"{SITE}/en/products/?q={{search_term_string}}"
    )
    assert found["Organization"]["@id"] == f"{SITE}/#organization"
    assert found["Organization"]["description"].startswith("Buy tea")


# Queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "budget"), [("home", 5), ("product", 4), ("stall", 6)])
def test_structured_data_adds_no_queries(client, tea, page, budget, django_assert_num_queries):
    """The same counts as before JSON-LD, with a photo on each of several products (cold cache:
    the home page counts its stalls' products once and the stall page sums its stars once, then
    both are kept)."""
    for _ in range(3):
        ProductImageFactory(product=ProductFactory(cooperative=tea.cooperative, category=tea.category))
    ProductImageFactory(product=tea)
    url = {"home": "/", "product": tea.get_absolute_url(), "stall": tea.cooperative.get_absolute_url()}[page]
    cache.clear()
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert SCRIPT.findall(response.content.decode())
