"""English content of products and stalls: shown on /en/ pages, Vietnamese fallback marked
lang="vi", entered in the dashboard and admin, and found by English search."""

import re
import unicodedata

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from products import selectors
from products.models import Product
from tests.dashboard import make_stall
from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def english(path_of) -> str:
    """The English address of an object or a named URL."""
    with translation.override("en"):
        return path_of() if callable(path_of) else path_of.get_absolute_url()


def lang_marked(page: str) -> list[tuple[str, str]]:
    """(text, lang) of every element below <html> that carries a lang attribute."""
    found = re.findall(r'<(?!html\b)(\w+)[^>]*?\slang="([^"]+)"[^>]*>([^<]*)', page)
    return [(unicodedata.normalize("NFC", text.strip()), lang) for _tag, lang, text in found]


def vietnamese_marked(page: str) -> set[str]:
    return {text for text, lang in lang_marked(page) if lang == "vi"}


@pytest.fixture
def stall():
    """A stall with English texts, one product in English, one only in Vietnamese."""
    cooperative = CooperativeFactory(
        name="HTX Chè Lũng Phìn",
        name_en="Lung Phin Tea Cooperative",
        summary="Chè cổ thụ từ cao nguyên đá.",
        summary_en="Ancient-tree tea from the stone plateau.",
        story="Ba mươi hai hộ người H'Mông chăm cây chè.",
        story_en="Thirty-two Hmong families tend the tea trees.",
        commune="xã Lũng Phìn",
    )
    translated = ProductFactory(
        cooperative=cooperative,
        category=CategoryFactory(name="Chè và cà phê", name_en="Tea & coffee"),
        name="Chè Shan tuyết cổ thụ",
        name_en="Ancient Shan tuyet tea",
        summary="Búp chè hái tay.",
        summary_en="Hand-picked buds.",
        story="Cây chè trăm năm tuổi.",
        story_en="Hundred-year-old trees above the clouds.",
        unit="gói 200 g",
        origin_commune="Lũng Phìn",
    )
    untranslated = ProductFactory(
        cooperative=cooperative,
        category=CategoryFactory(name="Thổ cẩm", name_en=""),
        name="Khăn piêu",
        summary="Khăn đội đầu thêu tay.",
        story="Món quà người con gái Thái tự thêu.",
        unit="chiếc",
    )
    return cooperative, translated, untranslated


def test_english_stall_page_shows_the_stall_in_english_without_lang_noise(client, stall):
    """/en/cooperatives/… shows the English name, tagline and story, none of them marked vi."""
    cooperative, _, _ = stall
    page = client.get(english(cooperative)).content.decode()
    assert "<title>Lung Phin Tea Cooperative ·" in page
    assert re.search(r'<h1 class="page-title">Lung Phin Tea Cooperative</h1>', page)
    assert '<p class="lead-sm">Ancient-tree tea from the stone plateau.</p>' in page
    assert "Thirty-two Hmong families tend the tea trees." in page
    assert "Chè cổ thụ từ cao nguyên đá." not in page
    marked = vietnamese_marked(page)
    assert "Lung Phin Tea Cooperative" not in marked
    # Always-Vietnamese shop data: the commune and province line, the peoples.
    assert any(text.startswith("xã Lũng Phìn,") for text in marked)
    assert "H'Mông" in marked or "H&#x27;Mông" in marked


def test_english_stall_page_falls_back_to_vietnamese_with_lang_vi(client):
    """A stall without English shows its Vietnamese name, tagline and story, each marked vi."""
    cooperative = CooperativeFactory(
        name="HTX Thốt nốt Tri Tôn", summary="Đường thốt nốt nấu bằng củi.", story="Người Khmer trèo cây."
    )
    page = client.get(english(cooperative)).content.decode()
    assert '<h1 class="page-title" lang="vi">HTX Thốt nốt Tri Tôn</h1>' in page
    assert '<p class="lead-sm" lang="vi">Đường thốt nốt nấu bằng củi.</p>' in page
    assert '<div lang="vi"><p>Người Khmer trèo cây.</p></div>' in page


def test_english_product_page_marks_only_the_vietnamese_text(client, stall):
    """An English product page: English name, summary and story unmarked; the unit, origin,
    people and stall name fallback (or not) as they are."""
    _, translated, untranslated = stall
    page = client.get(english(translated)).content.decode()
    assert '<h1 class="page-title">Ancient Shan tuyet tea</h1>' in page
    assert '<p class="lead-sm">Hand-picked buds.</p>' in page
    assert "<div><p>Hundred-year-old trees above the clouds.</p></div>" in page
    assert "<title>Ancient Shan tuyet tea · Lung Phin Tea Cooperative</title>" in page
    marked = vietnamese_marked(page)
    assert {"gói 200 g", "Lũng Phìn, " + translated.origin_province_name} <= marked
    assert "Tea & coffee" not in marked and "Tea &amp; coffee" not in marked
    # The stall section shows the stall's English name and tagline, unmarked.
    assert '<a href="' + english(translated.cooperative) + '">Lung Phin Tea Cooperative</a>' in page

    page = client.get(english(untranslated)).content.decode()
    assert '<h1 class="page-title" lang="vi">Khăn piêu</h1>' in page
    assert '<p class="lead-sm" lang="vi">Khăn đội đầu thêu tay.</p>' in page
    assert '<div lang="vi"><p>Món quà người con gái Thái tự thêu.</p></div>' in page
    assert "Thổ cẩm" in vietnamese_marked(page)


def test_english_cards_mark_the_fallback_names(client, stall):
    """Catalogue and stall lists: a card's name, unit and stall line carry lang="vi" only when
    that text is Vietnamese."""
    cooperative, translated, untranslated = stall
    page = client.get(english(lambda: reverse("products:product-list"))).content.decode()
    assert '<h2 class="card-name">Ancient Shan tuyet tea</h2>' in page
    assert '<h2 class="card-name" lang="vi">Khăn piêu</h2>' in page
    assert '<p class="card-meta">Lung Phin Tea Cooperative</p>' in page
    assert '<span class="text-muted">/ <span lang="vi">chiếc</span></span>' in page

    page = client.get(english(lambda: reverse("products:cooperative-list"))).content.decode()
    assert ">Lung Phin Tea Cooperative</a></h2>" in page
    assert '<p class="coop-summary">Ancient-tree tea from the stone plateau.</p>' in page
    home = client.get("/en/").content.decode()
    assert "Lung Phin Tea Cooperative" in home and "HTX Chè Lũng Phìn" not in home


def test_english_category_names_fall_back_with_lang_vi(client, stall):
    """The header's categories: English names unmarked, a category without one marked vi."""
    page = client.get("/en/").content.decode()
    assert re.search(r'<a href="[^"]+">Tea &amp; coffee</a>', page)
    assert re.search(r'<a href="[^"]+" lang="vi">Thổ cẩm</a>', page)


@pytest.mark.parametrize("page_of", ["stall", "translated", "untranslated", "list", "stalls", "home", "cart"])
def test_vietnamese_pages_have_no_lang_attributes(client, stall, page_of):
    """On Vietnamese pages the <html lang="vi"> says it all: no shop text carries lang="vi"."""
    cooperative, translated, untranslated = stall
    client.post(reverse("orders:cart-add"), {"product_id": untranslated.pk, "quantity": 1})
    url, shown = {
        "stall": (cooperative.get_absolute_url(), '<h1 class="page-title">HTX Chè Lũng Phìn</h1>'),
        "translated": (translated.get_absolute_url(), '<h1 class="page-title">Chè Shan tuyết cổ thụ</h1>'),
        "untranslated": (untranslated.get_absolute_url(), '<h1 class="page-title">Khăn piêu</h1>'),
        "list": (reverse("products:product-list"), '<h2 class="card-name">Khăn piêu</h2>'),
        "stalls": (reverse("products:cooperative-list"), ">HTX Chè Lũng Phìn</a></h2>"),
        "home": ("/", '<h3 class="card-name">Khăn piêu</h3>'),
        "cart": (reverse("orders:cart"), ">Khăn piêu</a>"),
    }[page_of]
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="vi">' in page
    # The shop text is on the page, unmarked: the page meant, not a 404 (also lang="vi").
    assert shown in page
    # The language switch names each language in itself; nothing else is marked.
    assert vietnamese_marked(page) <= {"Tiếng Việt"}
    assert "Lung Phin Tea Cooperative" not in page and "Ancient Shan tuyet tea" not in page


def test_english_cart_names_the_stall_in_english(client, stall):
    """The cart shows the stall's live English name; the Vietnamese-only product is marked vi."""
    _, translated, untranslated = stall
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for product in (translated, untranslated):
        client.post(english(lambda: reverse("orders:cart-add")), {"product_id": product.pk, "quantity": 1})
    page = client.get(english(lambda: reverse("orders:cart"))).content.decode()
    assert "<span>Lung Phin Tea Cooperative</span>" in page
    assert re.search(r'class="line-name" href="[^"]+">Ancient Shan tuyet tea</a>', page)
    assert re.search(r'class="line-name" href="[^"]+" lang="vi">Khăn piêu</a>', page)


def test_lang_tags_outside_pages():
    """The template tags: lang_attr for any object with `_en` twins, vi_text escapes its value."""
    template = Template(
        '{% load localized %}<a{% lang_attr category "name" %}>x</a><b{% vi_lang %}>y</b>{{ people|vi_text }}'
    )
    context = Context({"category": CategoryFactory.build(name_en=""), "people": "<H'Mông>"})
    with translation.override("vi"):
        assert template.render(context) == "<a>x</a><b>y</b>&lt;H&#x27;Mông&gt;"
    with translation.override("en"):
        assert template.render(context) == (
            '<a lang="vi">x</a><b lang="vi">y</b><span lang="vi">&lt;H&#x27;Mông&gt;</span>'
        )


# --- the dashboard and the admin ----------------------------------------------------------------


PROFILE = {"name": "HTX Chè Lũng Phìn", "province": "08", "shipping_fee": "30000"}


def test_owner_saves_the_stall_in_english(client):
    """The owner's profile form has a closed English section and saves its three fields."""
    stall = make_stall()
    client.force_login(stall.owner)
    page = client.get("/dashboard/cooperative/").content.decode()
    assert '<details class="form-section">' in page
    assert all(f'name="{field}"' in page for field in ("name_en", "summary_en", "story_en"))
    english_texts = {
        "name_en": "Lung Phin Tea Cooperative",
        "summary_en": "Ancient-tree tea.",
        "story_en": "Thirty-two families.",
    }
    response = client.post("/dashboard/cooperative/", {**PROFILE, **english_texts})
    assert response.status_code == 302, response.content.decode()[:2000]
    stall.cooperative.refresh_from_db()
    assert {f: getattr(stall.cooperative, f) for f in english_texts} == english_texts


def test_english_section_opens_when_it_has_an_error(client):
    """A too-long English name keeps the section open so the producer sees the message."""
    stall = make_stall()
    client.force_login(stall.owner)
    response = client.post("/dashboard/cooperative/", {**PROFILE, "name_en": "x" * 151})
    assert response.status_code == 400
    assert '<details class="form-section" open>' in response.content.decode()


@pytest.mark.parametrize("role", ["member", "helper"])
def test_only_the_owner_edits_the_stall_in_english(client, role):
    """Members and helpers cannot change the stall's English texts either."""
    stall = make_stall()
    client.force_login(getattr(stall, role))
    response = client.post("/dashboard/cooperative/", {**PROFILE, "name_en": "Renamed"})
    assert response.status_code == 403
    stall.cooperative.refresh_from_db()
    assert stall.cooperative.name_en == ""


def test_admin_cooperative_form_has_a_collapsed_english_section(client):
    """The admin's cooperative page offers the English name, tagline and story, folded away."""
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    cooperative = CooperativeFactory(name_en="Lung Phin Tea Cooperative")
    page = client.get(reverse("admin:products_cooperative_change", args=[cooperative.pk])).content.decode()
    assert all(f'name="{field}"' in page for field in ("name_en", "summary_en", "story_en"))
    assert 'value="Lung Phin Tea Cooperative"' in page
    assert re.search(r'<fieldset class="[^"]*collapse[^"]*"[^>]*>|<details', page)


# --- search -------------------------------------------------------------------------------------


def found(q: str) -> list[str]:
    results, _ranked = selectors.product_list_public(q=q)
    return sorted(p.name for p in results)


@pytest.fixture
def market():
    """Vietnamese-only products, and one with English texts."""
    plain = CooperativeFactory(name="HTX Bắc Hà", name_en="")
    for name in (
        "Mật ong bạc hà",
        "Gạo nếp Tú Lệ",
        "Quế vỏ khô",
        "Tiêu Chư Sê",
        "Mắc khén rừng",
        "Thổ cẩm Dao",
    ):
        ProductFactory(name=name, cooperative=plain, summary="", story="")
    ProductFactory(
        name="Chè Shan tuyết Tà Xùa",
        name_en="Ta Xua Shan tuyet tea",
        summary="Chè trên mây.",
        summary_en="Tea from above the clouds.",
        story="Người H'Mông hái chè.",
        story_en="Picked at dawn on misty ridges.",
        cooperative=CooperativeFactory(name="HTX Tà Xùa", name_en="Cloud Ridge Growers"),
        category=CategoryFactory(name="Đồ uống", name_en="Beverages"),
    )


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("honey", ["Mật ong bạc hà"]),
        ("rice", ["Gạo nếp Tú Lệ"]),
        ("sticky rice", ["Gạo nếp Tú Lệ"]),
        ("cinnamon", ["Quế vỏ khô"]),
        ("brocade", ["Thổ cẩm Dao"]),
        ("pepper", ["Mắc khén rừng", "Tiêu Chư Sê"]),
        ("tea", ["Chè Shan tuyết Tà Xùa"]),
        ("ridges", ["Chè Shan tuyết Tà Xùa"]),  # only in the English story
        ("clouds", ["Chè Shan tuyết Tà Xùa"]),  # only in the English summary
        ("cloud ridge", ["Chè Shan tuyết Tà Xùa"]),  # the stall's English name
        ("beverages", ["Chè Shan tuyết Tà Xùa"]),  # the category's English name
        ("xua shan", ["Chè Shan tuyết Tà Xùa"]),
        ("mật ong", ["Mật ong bạc hà"]),
        ("que", ["Quế vỏ khô"]),
    ],
)
def test_english_search_finds_english_and_vietnamese_text(market, q, names):
    """English words find English texts and Vietnamese-only products; Vietnamese still works."""
    assert found(q) == names


def test_english_pepper_does_not_make_two_vietnamese_words_synonyms(market):
    """'pepper' covers tiêu and mắc khén, but 'tieu' does not find mắc khén."""
    assert found("tieu") == ["Tiêu Chư Sê"]
    assert found("mac khen") == ["Mắc khén rừng"]


@pytest.mark.parametrize(
    ("q", "name"),
    [("honey", "Mật ong bạc hà"), ("mat ong", "Mật ong bạc hà"), ("Tà Xùa", "Ta Xua Shan tuyet tea")],
)
def test_english_catalogue_search_page(client, market, q, name):
    """/en/products/?q=… lists matches for English and Vietnamese words alike."""
    page = client.get(english(lambda: reverse("products:product-list")), {"q": q}).content.decode()
    assert name in page


def test_renaming_a_stall_in_english_refreshes_its_products_search_text(django_capture_on_commit_callbacks):
    """A new English stall name finds the stall's products once the save commits."""
    cooperative = CooperativeFactory(name_en="")
    ProductFactory(cooperative=cooperative, name="Miến dong", story="", summary="")
    assert found("highland") == []
    cooperative.name_en = "Highland Noodle Makers"
    with django_capture_on_commit_callbacks(execute=True):
        cooperative.save()
    assert found("highland") == ["Miến dong"]


def test_editing_a_fee_or_english_story_leaves_products_alone():
    """Only what products copy rewrites them: not a fee, not the stall's English story."""
    cooperative = CooperativeFactory()
    ProductFactory.create_batch(2, cooperative=cooperative)
    Product.objects.filter(cooperative=cooperative).update(search_text=" untouched ")
    cooperative.shipping_fee += 5000
    cooperative.story_en = "A longer story."
    cooperative.save()
    assert set(Product.objects.values_list("search_text", flat=True)) == {" untouched "}


def test_renaming_a_category_in_english_refreshes_its_products(django_capture_on_commit_callbacks):
    """A category's new English name finds its products."""
    category = CategoryFactory(name="Gia vị", name_en="")
    ProductFactory(category=category, name="Hoa hồi", story="", summary="")
    category.name_en = "Seasonings"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()
    assert found("seasonings") == ["Hoa hồi"]


def test_search_refresh_command_rebuilds_old_rows():
    """`manage.py search_refresh` gives rows saved under older rules their English words."""
    from django.core.management import call_command

    ProductFactory(name="Táo mèo sấy", story_en="Dried over a wood fire.", summary="", story="")
    Product.objects.update(search_text=" tao meo say ")
    assert found("wood fire") == []
    call_command("search_refresh", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found("wood fire") == ["Táo mèo sấy"]
