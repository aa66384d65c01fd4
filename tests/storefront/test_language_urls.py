"""Each page has one address per language: canonical links, hreflang alternates, the offer to read
a page in the visitor's own language, and links in mail that open in the reader's language."""

import html
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


@override_settings(SITE_URL=SITE)
def test_canonical_ignores_what_a_page_does_not_use(client):
    """A product page has no category or page: stray or invalid parameters never reach its canonical
    address, its og:url or its hreflang links; a page number is the one the paginator showed."""
    ProductFactory(slug="khan-pieu")
    links = head_links(client.get("/products/khan-pieu/?category=zzz&page=7&utm_source=qr"))
    assert links.canonical == [f"{SITE}/products/khan-pieu/"]
    assert links.alternates["en"] == f"{SITE}/en/products/khan-pieu/"
    assert head_links(client.get("/products/?page=abc")).canonical == [f"{SITE}/products/"]
    assert head_links(client.get("/products/?page=999")).canonical == [f"{SITE}/products/"]


@override_settings(SITE_URL=SITE)
def test_search_results_keep_their_words_and_stay_out_of_search_engines(client):
    for n in range(13):
        ProductFactory(name=f"Chè xanh {n}")
    response = client.get("/products/?q=che&page=2&sort=price")
    assert head_links(response).canonical == [f"{SITE}/products/?q=che&page=2"]
    assert '<meta name="robots" content="noindex, follow">' in response.content.decode()
    assert "noindex" not in client.get("/products/").content.decode()


def language_offer_link(response) -> dict | None:
    """The offer's <a> as a dict of its attributes plus its text, or None."""
    match = re.search(r'<p class="language-offer">(<a [^>]*>)(.*?)</a></p>', response.content.decode())
    if not match:
        return None
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
    return {**attrs, "text": match.group(2)}


def test_an_english_phone_on_a_vietnamese_link_is_offered_the_english_page(client):
    """A tourist opening a Vietnamese link shared on Zalo sees, in English, where the English page is."""
    product = ProductFactory(slug="mat-ong")
    response = client.get(
        f"{product.get_absolute_url()}?utm_source=zalo", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert '<html lang="vi">' in response.content.decode()
    assert language_offer_link(response) == {
        "href": "/en/products/mat-ong/?utm_source=zalo",
        "lang": "en",
        "hreflang": "en",
        "text": "This page is also in English →",
    }


def test_a_visitor_who_wants_a_language_we_lack_is_offered_nothing(client):
    """A French or Korean phone reading the English pages must not be offered Vietnamese, and a
    later choice in the list that we do have still counts."""
    assert language_offer_link(client.get("/en/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")) is None
    assert language_offer_link(client.get("/en/", HTTP_ACCEPT_LANGUAGE="ko-KR, *;q=0.5")) is None
    assert language_offer_link(client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR, en;q=0.5"))["lang"] == "en"
    client.cookies["django_language"] = "xx"
    assert language_offer_link(client.get("/en/", HTTP_ACCEPT_LANGUAGE="de")) is None


def test_pages_say_they_vary_with_the_visitor_language(client):
    """The offer depends on Accept-Language on every page, /en/ included, so caches must key on it."""
    for url in ("/", "/en/", "/en/products/"):
        vary = client.get(url)["Vary"]
        assert "Accept-Language" in [v.strip() for v in vary.split(",")], url


def test_a_visitor_who_chose_english_is_offered_it_on_a_vietnamese_page(client):
    client.cookies["django_language"] = "en"
    assert "This page is also in English" in client.get("/").content.decode()


def test_the_offer_goes_both_ways(client):
    offer = language_offer_link(client.get("/en/", HTTP_ACCEPT_LANGUAGE="vi"))
    assert offer == {"href": "/", "lang": "vi", "hreflang": "vi", "text": "Trang này có bằng tiếng Việt →"}


@pytest.mark.parametrize(
    ("url", "accept"), [("/", "vi"), ("/en/", "en"), ("/", None), ("/en/", None), ("/en/", "*"), ("/", "fr")]
)
def test_no_offer_when_the_page_already_speaks_your_language_or_you_said_nothing(client, url, accept):
    """Crawlers send no Accept-Language: they see no offer, only the hreflang links."""
    if accept is None:
        del client.defaults["HTTP_ACCEPT_LANGUAGE"]
        response = client.get(url)
    else:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{"en" if url == "/en/" else "vi"}">' in page
    assert set(head_links(response).alternates) == {"vi", "en", "x-default"}
    assert "language-offer" not in page


def _switch_link(page: str, code: str) -> str:
    return html.unescape(re.search(rf'<a href="(/language/{code}/\?next=[^"]*)"', page).group(1))


def test_switching_language_keeps_the_visitor_on_the_same_product(client):
    """The footer's switch (no JavaScript) lands on the same product in the other language, both ways."""
    ProductFactory(slug="gao-nep")
    link = _switch_link(client.get("/products/gao-nep/?utm_source=qr").content.decode(), "en")
    response = client.get(link)
    assert response["Location"] == "/en/products/gao-nep/?utm_source=qr"
    assert response.cookies["django_language"].value == "en"
    link = _switch_link(client.get("/en/products/gao-nep/").content.decode(), "vi")
    response = client.get(link)
    assert response["Location"] == "/products/gao-nep/"
    assert response.cookies["django_language"].value == "vi"


def test_language_switch_refuses_other_sites_and_unknown_languages(client):
    assert client.get("/language/en/?next=https://evil.example/")["Location"] == "/en/"
    assert client.get("/language/fr/?next=/").status_code == 404


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
