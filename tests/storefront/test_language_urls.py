"""Each page has one address per language: canonical links, hreflang alternates, the offer to read
a page in the visitor's own language, and links in mail that open in the reader's language."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory, UserFactory, placed_order

pytestmark = pytest.mark.django_db

SITE = "https://chophien.example"


class HeadLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.canonical = []
        self.alternates = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]


def head_links(response) -> HeadLinks:
    parser = HeadLinks()
    parser.feed(response.content.decode())
    return parser


@override_settings(SITE_URL=SITE)
def test_product_page_names_itself_and_its_english_twin(client):
    product = ProductFactory(slug="che-shan-tuyet")
    links = head_links(client.get(product.get_absolute_url()))
    assert links.canonical == [f"{SITE}/products/che-shan-tuyet/"]
    assert links.alternates == {
        "vi": f"{SITE}/products/che-shan-tuyet/",
        "en": f"{SITE}/en/products/che-shan-tuyet/",
        "x-default": f"{SITE}/products/che-shan-tuyet/",
    }
    english = head_links(client.get("/en/products/che-shan-tuyet/"))
    assert english.canonical == [f"{SITE}/en/products/che-shan-tuyet/"]
    assert english.alternates == links.alternates


@override_settings(SITE_URL=SITE)
def test_canonical_keeps_what_makes_a_page_and_drops_tracking(client):
    """A poster's utm_source or a sort order is the same page; a category or page 2 is not."""
    category = CategoryFactory(slug="che")
    ProductFactory(category=category)
    assert head_links(client.get("/products/?utm_source=qr&sort=price")).canonical == [f"{SITE}/products/"]
    links = head_links(client.get("/products/?sort=price&category=che&page=1&utm_medium=poster"))
    assert links.canonical == [f"{SITE}/products/?category=che"]
    assert links.alternates["en"] == f"{SITE}/en/products/?category=che"


def test_an_english_phone_on_a_vietnamese_link_is_offered_the_english_page(client):
    """A tourist opening a Vietnamese link shared on Zalo sees, in English, where the English page is."""
    product = ProductFactory(slug="mat-ong")
    page = client.get(f"{product.get_absolute_url()}?utm_source=zalo", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert re.search(
        r'<p class="language-offer"><a href="/en/products/mat-ong/\?utm_source=zalo" lang="en" hreflang="en">'
        r"This page is also in English →</a></p>",
        page.content.decode(),
    )
    assert '<html lang="vi">' in page.content.decode()


def test_a_visitor_who_chose_english_is_offered_it_on_a_vietnamese_page(client):
    client.cookies["django_language"] = "en"
    assert "This page is also in English" in client.get("/").content.decode()


def test_the_offer_goes_both_ways(client):
    page = client.get("/en/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<a href="/" lang="vi" hreflang="vi">Trang này có bằng tiếng Việt →</a>' in page


@pytest.mark.parametrize(("url", "accept"), [("/", "vi"), ("/en/", "en"), ("/", None), ("/en/", None)])
def test_no_offer_when_the_page_already_speaks_your_language_or_you_said_nothing(client, url, accept):
    """Crawlers send no Accept-Language: they see no offer, only the hreflang links."""
    if accept is None:
        del client.defaults["HTTP_ACCEPT_LANGUAGE"]
        page = client.get(url).content.decode()
    else:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert "language-offer" not in page


def _switch_form_next(page: str) -> str:
    return re.search(r'<form class="lang-form".*?name="next" value="([^"]*)"', page, re.S).group(1)


def test_switching_language_keeps_the_visitor_on_the_same_product(client):
    """The footer's switch (no JavaScript) lands on the same product in the other language, both ways."""
    ProductFactory(slug="gao-nep")
    next_url = _switch_form_next(client.get("/products/gao-nep/?utm_source=qr").content.decode())
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response["Location"] == "/en/products/gao-nep/?utm_source=qr"
    next_url = _switch_form_next(client.get("/en/products/gao-nep/").content.decode())
    response = client.post("/i18n/setlang/", {"language": "vi", "next": next_url})
    assert response["Location"] == "/products/gao-nep/"


def test_unknown_language_prefix_is_a_plain_404(client):
    assert client.get("/fr/products/").status_code == 404


@override_settings(SITE_URL=SITE)
def test_mail_links_open_in_the_reader_language(django_capture_on_commit_callbacks):
    """The English buyer's link opens /en/…; the stall's link opens its Vietnamese dashboard."""
    tea = ProductFactory(cooperative=CooperativeFactory(email="htx@example.vn"), stock=5)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        order = placed_order({tea: 1}, email="anna@example.com")
    (to_buyer,) = [m for m in mail.outbox if m.to == ["anna@example.com"]]
    (to_stall,) = [m for m in mail.outbox if m.to == ["htx@example.vn"]]
    assert f"{SITE}/en/orders/track/?code={order.code}" in to_buyer.body
    assert f"{SITE}/dashboard/" in to_stall.body
    assert f"{SITE}/en/" not in to_stall.body


def test_signing_in_on_the_english_page_lands_on_the_english_dashboard(client):
    UserFactory(username="sx1", password="chophien2026")
    response = client.post("/en/accounts/login/", {"username": "sx1", "password": "chophien2026"})
    assert response["Location"] == "/en/dashboard/"
    client.logout()
    response = client.post("/accounts/login/", {"username": "sx1", "password": "chophien2026"})
    assert response["Location"] == "/dashboard/"
