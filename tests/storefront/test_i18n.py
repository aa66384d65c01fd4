"""English catalogue: complete, compiled, and what an English-speaking visitor actually sees."""

import ast
import gettext
import html
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.utils import translation

from storefront.lib.vietnam import BANK_NAMES, PROVINCE_NAMES, PROVINCES
from tests.factories import MembershipFactory, ProductFactory, UserFactory, placed_order

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sdif]|%[sdif]")
# Letters only Vietnamese uses; an English page showing one outside shop data has an untranslated string.
VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
# Names that stay as they are in English: the market, the Vietnamese language button, peoples, a tea.
PROPER_NAMES = ["Chợ Phiên", "Tiếng Việt", "Shan tuyết", "H'Mông", "Ê Đê", "Thái", "Tày"]


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a dict keyed by plural index), flags."""
    entries, entry, field = [], None, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": {}, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
        else:
            keyword, _, value = line.partition(" ")
            plural_index = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            field = int(plural_index[1]) if plural_index else (-1 if keyword == "msgstr" else keyword)
            if isinstance(field, int):
                entry["msgstr"][field] = ast.literal_eval(value)
            else:
                entry[field] = ast.literal_eval(value)
    return entries


def messages() -> list[dict]:
    """Every real message of the English catalogue (the header entry left out)."""
    return [e for e in read_po(PO) if e["msgid"] and not e["obsolete"]]


def catalogue_key(entry: dict) -> str:
    return f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]


def visible_text(page: str) -> str:
    """What a visitor reads: text and the attributes a screen reader or the browser shows."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    shown = re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', page)
    # Django's own name for Vietnamese is stored decomposed (NFD); compare in NFC.
    return unicodedata.normalize("NFC", html.unescape(" ".join([re.sub(r"<[^>]+>", " ", page), *shown])))


def test_every_message_is_translated_and_not_fuzzy():
    """Each msgid has an English msgstr (both plural forms), none is fuzzy, none is obsolete."""
    entries = read_po(PO)
    assert not [e["msgid"] for e in entries if e["obsolete"]]
    found = messages()
    assert len(found) > 100
    untranslated = [e["msgid"] for e in found if not all(s.strip() for s in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in found if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    assert all(sorted(e["msgstr"]) == [0, 1] for e in found if "msgid_plural" in e)


def test_translations_keep_every_placeholder():
    """%(name)s-style placeholders, %d and escaped %% come through unchanged, so no page breaks in English."""
    broken = [
        (e["msgid"], text)
        for e in messages()
        for text in e["msgstr"].values()
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e["msgid"]))
    ]
    assert broken == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogue_holds_every_string_of_the_source(tmp_path):
    """makemessages on a copy of the code finds no message the committed catalogue lacks, so no
    new button or notice reaches an English page in Vietnamese."""
    root = Path(__file__).resolve().parents[2]
    for name in ["manage.py", "storefront", "products", "orders", "reviews", "templates", "locale"]:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    result = subprocess.run(  # noqa: S603 (fixed argv, our own code)
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "storefront.settings"},
    )
    assert result.returncode == 0, result.stderr
    extracted = {
        catalogue_key(e) for e in read_po(tmp_path / "locale/en/LC_MESSAGES/django.po") if e["msgid"]
    }
    committed = {catalogue_key(e) for e in messages()}
    assert sorted(extracted - committed) == [], "run `make messages` and translate the new entries"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_msgfmt_accepts_the_catalogue():
    """GNU msgfmt --check finds no format or header errors and counts nothing untranslated or fuzzy."""
    result = subprocess.run(  # noqa: S603 (fixed argv, our own file)
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_compiled_catalogue_matches_the_po():
    """django.mo holds exactly the .po's messages and translations: nobody forgot compilemessages."""
    expected = {}
    for entry in messages():
        key = catalogue_key(entry)
        if "msgid_plural" in entry:
            expected |= {(key, index): text for index, text in entry["msgstr"].items()}
        else:
            expected[key] = entry["msgstr"][-1]
    with MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    # _catalog is the only way to list what the .mo holds; the public API only looks messages up.
    actual = {key: text for key, text in compiled._catalog.items() if key != ""}
    assert actual.keys() - expected.keys() == set(), "the .mo has messages the .po no longer has"
    assert expected.keys() - actual.keys() == set(), "the .po has messages missing from the .mo"
    assert {k for k in expected if expected[k] != actual[k]} == set(), "translations differ: recompile"


@pytest.mark.django_db
def test_home_page_in_english_for_an_english_browser(client):
    """The English home page (/en/) reads in English, with no Vietnamese UI words."""
    page = client.get("/en/").content.decode()
    assert '<html lang="en">' in page
    assert "Browse products" in page
    assert "Xem sản phẩm" not in page


@pytest.mark.django_db
def test_catalogue_in_english_shows_prices_with_english_digit_grouping(client):
    """The catalogue in English writes 120,000 ₫ and uses the product's English name when it has one."""
    ProductFactory(price=120000, name="Chè Shan tuyết cổ thụ", name_en="Ancient Shan tuyet tea")
    page = client.get("/en/products/").content.decode()
    assert "120,000\u00a0₫" in page
    assert "120.000\u00a0₫" not in page
    assert "Ancient Shan tuyet tea" in page
    assert "All products" in page


@pytest.mark.django_db
def test_language_switch_without_javascript_turns_the_next_page_english(client):
    """The footer's plain link (/language/en/) sends the visitor back to a page now in English."""
    ProductFactory(price=120000)
    assert "Xem sản phẩm" in client.get("/").content.decode()
    response = client.get("/language/en/?next=/products/", follow=True)
    assert response.redirect_chain == [("/en/products/", 302)]
    page = response.content.decode()
    assert "All products" in page
    assert "Sort by" in page
    assert "Sắp xếp" not in page
    assert "Browse products" in client.get("/en/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/", "<title>Chợ Phiên — specialties from highland cooperatives</title>"),
        ("/products/", '<h2 class="card-name">Ancient Shan tuyet tea</h2>'),
        ("/product/", '<h1 class="page-title">Ancient Shan tuyet tea</h1>'),
        ("/cart/", 'class="cart-line"'),
        ("/orders/track/", "<title>Track your order · Chợ Phiên</title>"),
        ("/accounts/login/", "<title>Seller login · Chợ Phiên</title>"),
    ],
    ids=["home", "catalogue", "product", "cart", "track", "login"],
)
def test_buyer_pages_in_english_have_no_vietnamese_ui_text(client, url, shown):
    """Apart from shop data (names, units, places), an English buyer page reads entirely in English."""
    product = ProductFactory(
        name="Chè Shan tuyết cổ thụ", name_en="Ancient Shan tuyet tea", summary="", story="", unit="gói 200 g"
    )
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.post("/en/cart/add/", {"product_id": product.pk, "quantity": 1})
    with translation.override("en"):
        product_url = product.get_absolute_url()
    response = client.get(product_url if url == "/product/" else f"/en{url}")
    assert response.status_code == 200
    page = response.content.decode()
    # The page itself, in English: a 404 page or an empty cart would pass the check below as well.
    assert '<html lang="en">' in page and shown in page
    text = visible_text(page)
    shop_data = [
        product.name,
        product.unit,
        product.cooperative.name,
        product.cooperative.commune,
        product.origin_commune,
        product.ethnic_group,
        product.cooperative.ethnic_groups,
        *PROPER_NAMES,
        *(name for _, name in PROVINCES),
    ]
    for value in sorted(filter(None, shop_data), key=len, reverse=True):
        text = text.replace(value, " ")
    assert VIETNAMESE_LETTER.findall(text) == [], re.findall(
        r"\S*" + VIETNAMESE_LETTER.pattern + r"\S*", text
    )


def assert_no_vietnamese_ui(page: str, shop_data: list[str], where: str) -> None:
    text = visible_text(page)
    for value in sorted(
        filter(None, [*shop_data, *PROPER_NAMES, *PROVINCE_NAMES.values(), *BANK_NAMES.values()]),
        key=len,
        reverse=True,
    ):
        text = text.replace(value, " ")
    leftovers = re.findall(r"\S*" + VIETNAMESE_LETTER.pattern + r"\S*", text)
    assert leftovers == [], f"{where}: {leftovers}"


@pytest.mark.django_db
def test_an_english_visitor_browses_and_orders_without_meeting_vietnamese_ui(client):
    """Home → product → cart → checkout (bank transfer) → order page → stalls → a missing page:
    everything but the shop's own data (names, units, places) is English."""
    product = ProductFactory(
        name="Mật ong bạc hà", name_en="Mint honey", summary="", story="", unit="chai 500 ml", stock=9
    )
    coop = product.cooperative
    shop_data = [
        product.name,
        product.unit,
        coop.name,
        coop.commune,
        coop.ethnic_groups,
        coop.summary,
        coop.story,
    ]
    shop_data += [product.origin_commune, product.ethnic_group, coop.bank_account_name]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    with translation.override("en"):
        product_url = product.get_absolute_url()
    pages = {"home": client.get("/en/"), "product": client.get(product_url)}
    client.post("/en/cart/add/", {"product_id": product.pk, "quantity": 2})
    pages["cart"] = client.get("/en/cart/")
    checkout = client.get("/en/checkout/")
    pages["checkout"] = checkout
    token = re.search(r'name="checkout_token" value="([^"]+)"', checkout.content.decode()).group(1)
    placed = client.post(
        "/en/checkout/",
        {
            "full_name": "Anna Smith",
            "phone": "0912 345 678",
            "email": "anna@example.com",
            "province": "01",
            "commune": "Hoan Kiem ward",
            "street_address": "12 Hang Bong",
            "note": "",
            "payment_method": "bank_transfer",
            "checkout_token": token,
        },
        follow=True,
    )
    assert placed.redirect_chain[-1][0].startswith("/en/orders/"), placed.redirect_chain
    pages["order"] = placed
    pages["stalls"] = client.get("/en/cooperatives/")
    with translation.override("en"):
        pages["stall"] = client.get(coop.get_absolute_url())
    pages["missing"] = client.get("/en/products/no-such-thing/")
    assert pages["missing"].status_code == 404
    for where, response in pages.items():
        assert response.status_code in (200, 404), where
        assert '<html lang="en">' in response.content.decode(), where
        assert_no_vietnamese_ui(response.content.decode(), shop_data, where)


@pytest.mark.django_db
def test_producer_dashboard_in_english(client):
    """A stall owner who chose English gets the dashboard home in English."""
    owner = UserFactory()
    membership = MembershipFactory(user=owner)
    ProductFactory(cooperative=membership.cooperative, stock=2)
    client.force_login(owner)
    page = client.get("/en/dashboard/").content.decode()
    assert "To do first" in page
    assert "1 product sold out or running low" in page
    assert "Việc cần làm trước" not in page


@pytest.mark.django_db
def test_english_admin_names_each_list_in_the_plural(client):
    """Vietnamese has one word for "product" and "products"; the English admin index says "Products"."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/en/admin/").content.decode()
    for name in ["Cooperatives", "Categories", "Products", "Orders"]:
        assert f">{name}</a>" in page, name


@pytest.mark.django_db
def test_order_history_in_english_says_what_happened_not_the_button(client):
    """The stall's order history reads "Order placed" / "Confirmed", not the "Place order" button."""
    owner = UserFactory()
    membership = MembershipFactory(user=owner)
    order = placed_order({ProductFactory(cooperative=membership.cooperative, stock=5): 1})
    client.force_login(owner)
    part = order.cooperative_orders.get()
    client.post(f"/en/dashboard/orders/{part.pk}/confirm/")
    page = client.get(f"/en/dashboard/orders/{part.pk}/").content.decode()
    assert "· Order placed" in page
    assert "· Confirmed" in page
    assert "Place order" not in page
