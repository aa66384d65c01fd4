"""Share previews of list pages (catalogue, category, search, stalls) and the delivery and return
terms of a product offer: on the page, in its JSON-LD, and set by the owner in the stall profile."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from products.models import Cooperative
from tests.dashboard import make_stall
from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory, ProductImageFactory
from tests.products.test_share import Page

pytestmark = pytest.mark.django_db

SITE = "https://chophien.example"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def meta(client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    return Page(response.content.decode())


def offer(client, product) -> dict:
    html = client.get(product.get_absolute_url()).content.decode()
    documents = [json.loads(block) for block in SCRIPT.findall(html)]
    return next(d for d in documents if d["@type"] == "Product")["offers"]


@pytest.fixture
def tea(db):
    stall = CooperativeFactory(name="HTX Chè Lũng Phìn", slug="htx-lung-phin", cover="")
    category = CategoryFactory(name="Chè", name_en="Tea", slug="che")
    products = [
        ProductFactory(name=name, cooperative=stall, category=category, price=price)
        for name, price in (
            ("Chè Shan tuyết", 250000),
            ("Chè búp", 120000),
            ("Chè xanh", 90000),
            ("Chè vàng", 80000),
        )
    ]
    ProductImageFactory(product=products[-1], position=0)
    return products


@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize(
    ("url", "canonical", "title", "starts"),
    [
        (
            "/products/?category=che&utm_source=zalo",
            "/products/?category=che",
            "Chè",
            "Chè vàng, Chè xanh, Chè búp và nhiều chè khác",
        ),
        (
            "/products/?q=che&sort=price_asc",
            "/products/?q=che",
            "Tìm “che” trên Chợ Phiên",
            "Kết quả cho “che”: ",
        ),
        ("/products/", "/products/", "Tất cả sản phẩm", "Chè vàng, Chè xanh, Chè búp và nhiều đặc sản khác"),
    ],
)
def test_catalogue_category_and_search_pages_preview_with_their_products(
    client, tea, url, canonical, title, starts
):
    """A category or search link shared in a chat shows what it holds: title, the first products'
    names, the first photo among them, the canonical address, a large Twitter card."""
    tags = meta(client, url)
    assert tags.one("og:type") == "website"
    assert tags.one("og:title") == title and tags.one("twitter:title") == title
    assert tags.one("og:description").startswith(starts)
    assert tags.one("og:url") == SITE + canonical
    assert tags.one("twitter:card") == "summary_large_image"
    image = tags.one("og:image")
    assert image.startswith(SITE) and image.endswith(".jpg") and "share" in image
    assert (tags.one("og:image:width"), tags.one("og:image:height")) == ("1200", "630")


@override_settings(SITE_URL=SITE)
def test_english_and_empty_list_pages_preview_sensibly(client, tea):
    """In English the category is named in English; a search with no result shows the site picture."""
    tags = meta(client, "/en/products/?category=che")
    assert tags.one("og:title") == "Tea" and tags.one("og:locale") == "en_US"
    empty = meta(client, "/products/?q=khongcogica")
    assert empty.one("og:image") == f"{SITE}/static/img/share-default.jpg"
    assert "Tìm đặc sản" in empty.one("og:description")


@override_settings(SITE_URL=SITE)
def test_the_stall_list_previews_with_a_cover_and_stall_names(client, tea):
    """The stall list previews with the first stall names (and the first cover; here none)."""
    tags = meta(client, "/cooperatives/")
    assert tags.one("og:title") == "Các gian hàng trên Chợ Phiên"
    assert tags.one("og:description").startswith("HTX Chè Lũng Phìn và các hợp tác xã vùng cao khác")
    assert tags.one("og:url") == f"{SITE}/cooperatives/"
    assert tags.one("og:image") == f"{SITE}/static/img/share-default.jpg"  # no cover: the site's picture


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_share_tags_add_no_queries_however_many_products(client):
    """A category page and the stall list run as many queries for 1 product as for a full page."""

    def build(n: int, slug: str):
        stall = CooperativeFactory(cover="")
        category = CategoryFactory(slug=slug)
        for i in range(n):
            ProductImageFactory(
                product=ProductFactory(cooperative=stall, category=category, name=f"Mật ong {i}")
            )
        return f"/products/?category={slug}"

    few, many = build(1, "mot"), build(13, "nhieu")
    assert _queries(client, few) == _queries(client, many)
    assert _queries(client, "/cooperatives/") == _queries(client, "/cooperatives/")


@override_settings(SITE_URL=SITE)
def test_offer_says_shipping_to_vietnam_with_the_fee_and_free_above_the_threshold(client, tea):
    """Below the threshold one unit pays the flat fee, and the free-from threshold is stated as
    shipping conditions; at or above it shipping is free; a stall without a threshold states none."""
    cheap = offer(client, tea[1])["shippingDetails"]
    assert cheap["@type"] == "OfferShippingDetails"
    assert cheap["shippingRate"] == {"@type": "MonetaryAmount", "value": 30000, "currency": "VND"}
    assert cheap["shippingDestination"] == {"@type": "DefinedRegion", "addressCountry": "VN"}
    assert "deliveryTime" not in cheap  # stalls do not say one
    conditions = cheap["hasShippingService"]["shippingConditions"]
    assert [c["orderValue"] for c in conditions] == [
        {"@type": "MonetaryAmount", "maxValue": 499999, "currency": "VND"},
        {"@type": "MonetaryAmount", "minValue": 500000, "currency": "VND"},
    ]
    assert [c["shippingRate"]["value"] for c in conditions] == [30000, 0]
    dear = ProductFactory(cooperative=tea[0].cooperative, category=tea[0].category, price=600000)
    assert offer(client, dear)["shippingDetails"]["shippingRate"]["value"] == 0
    Cooperative.objects.filter(pk=tea[0].cooperative_id).update(free_shipping_threshold=None)
    cache.clear()
    flat = offer(client, dear)["shippingDetails"]
    assert flat["shippingRate"]["value"] == 30000 and "hasShippingService" not in flat


@override_settings(SITE_URL=SITE)
def test_return_policy_is_on_the_page_and_in_the_offer(client, tea):
    """The stall's words and days show on the product and stall pages and become a
    MerchantReturnPolicy; 0 days is "no returns"; a stall that says nothing has no policy."""
    stall = tea[0].cooperative
    assert "hasMerchantReturnPolicy" not in offer(client, tea[0])
    stall.return_days, stall.return_policy = 7, "Đổi hoặc hoàn tiền nếu hàng hỏng khi giao."
    stall.return_policy_en = "Exchange or refund if the parcel arrives damaged."
    stall.save()  # any save makes kept pages stale (products/signals.py)
    assert offer(client, tea[0])["hasMerchantReturnPolicy"] == {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": "VN",
        "description": "Đổi hoặc hoàn tiền nếu hàng hỏng khi giao.",
        "merchantReturnLink": f"{SITE}/cooperatives/htx-lung-phin/",
        "returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow",
        "merchantReturnDays": 7,
    }
    for url in (tea[0].get_absolute_url(), stall.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Trong 7 ngày." in page and "Đổi hoặc hoàn tiền nếu hàng hỏng khi giao." in page
        assert "30.000\xa0₫ mỗi đơn, miễn phí cho đơn từ 500.000\xa0₫" in page
    with_english = client.get(f"/en{tea[0].get_absolute_url()}").content.decode()
    assert "Exchange or refund if the parcel arrives damaged." in with_english
    stall.return_days, stall.return_policy, stall.return_policy_en = 0, "", ""
    stall.save()
    policy = offer(client, tea[0])["hasMerchantReturnPolicy"]
    assert policy["returnPolicyCategory"] == "https://schema.org/MerchantReturnNotPermitted"
    assert "merchantReturnDays" not in policy and "description" not in policy


def test_the_owner_writes_the_return_policy_in_the_profile_and_odd_input_is_refused(client):
    """The profile saves the days and the words (spaces tidied); 400 days, a word for a number or
    1,000 characters get a message and nothing is saved."""
    stall = make_stall()
    client.force_login(stall.owner)
    form = client.get("/dashboard/cooperative/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("logo", "cover")}
    for bad in ({"return_days": "400"}, {"return_days": "bảy"}, {"return_policy": "x" * 1000}):
        response = client.post("/dashboard/cooperative/", {**data, **bad})
        assert response.status_code in (200, 400)
        assert response.context["form"].errors
    page = client.post("/dashboard/cooperative/", {**data, "return_days": "400"}).content.decode()
    assert "Tối đa 365 ngày" in page
    response = client.post(
        "/dashboard/cooperative/",
        {**data, "return_days": "7", "return_policy": "  Đổi trong 7 ngày\n nếu hỏng. "},
    )
    assert response.status_code == 302
    stall.cooperative.refresh_from_db()
    assert (stall.cooperative.return_days, stall.cooperative.return_policy) == (
        7,
        "Đổi trong 7 ngày nếu hỏng.",
    )
