import re
from datetime import timedelta

import pytest
from django.utils import timezone

from products.models import Product
from tests.factories import CategoryFactory, CooperativeFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return [p.name for p in response.context["products"]]


def make_products(count: int, **kwargs) -> list[Product]:
    """Products created oldest first, with distinct prices and creation times."""
    products = [ProductFactory(name=f"Hàng {i:02d}", price=1000 * (i + 1), **kwargs) for i in range(count)]
    now = timezone.now()
    for i, product in enumerate(products):
        Product.objects.filter(pk=product.pk).update(created_at=now - timedelta(minutes=count - i))
    return products


# Catalogue ---------------------------------------------------------------------------------------


def test_catalogue_filters_by_category(client):
    """?category=<slug> lists only that category's products."""
    tea, honey = CategoryFactory(name="Chè"), CategoryFactory(name="Mật ong")
    ProductFactory(name="Chè xanh", category=tea)
    ProductFactory(name="Mật ong rừng", category=honey)
    response = client.get("/products/", {"category": tea.slug})
    assert listed(response) == ["Chè xanh"]
    assert '<h1 class="page-title">Chè</h1>' in response.content.decode()


def test_catalogue_filters_by_province_and_people(client):
    """?province= and ?people= narrow the list; the filters offer only values in use."""
    ProductFactory(name="Cà phê Ê Đê", origin_province="66", ethnic_group="Ê Đê")
    ProductFactory(name="Chè H'Mông", origin_province="08", ethnic_group="H'Mông")
    assert listed(client.get("/products/", {"province": "66"})) == ["Cà phê Ê Đê"]
    assert listed(client.get("/products/", {"people": "H'Mông"})) == ["Chè H'Mông"]
    facets = client.get("/products/").context["facets"]
    assert facets["provinces"] == [("08", "Tuyên Quang"), ("66", "Đắk Lắk")]
    assert facets["peoples"] == ["Ê Đê", "H'Mông"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Hàng 02", "Hàng 01", "Hàng 00"]),
        ("newest", ["Hàng 02", "Hàng 01", "Hàng 00"]),
        ("price_asc", ["Hàng 00", "Hàng 01", "Hàng 02"]),
        ("price_desc", ["Hàng 02", "Hàng 01", "Hàng 00"]),
    ],
)
def test_catalogue_sorts(client, sort, expected):
    """Newest first by default; price up and down on request."""
    products = make_products(3)
    Product.objects.filter(pk=products[0].pk).update(created_at=timezone.now())
    if sort in ("", "newest"):
        expected = ["Hàng 00", "Hàng 02", "Hàng 01"]
    assert listed(client.get("/products/", {"sort": sort})) == expected


def test_catalogue_paginates_by_twelve(client):
    """12 products a page, the rest on the next page, with links between them."""
    make_products(13)
    first = client.get("/products/")
    second = client.get("/products/", {"page": 2})
    assert len(listed(first)) == 12
    assert listed(second) == ["Hàng 00"]
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert 'rel="prev"' in second.content.decode()


def test_pagination_links_keep_the_filters(client):
    """Next-page links keep the search, category and sort."""
    category = CategoryFactory(name="Chè")
    make_products(13, category=category)
    html = client.get("/products/", {"q": "hang", "category": category.slug, "sort": "price_asc"}).content
    assert f"?q=hang&amp;category={category.slug}&amp;sort=price_asc&amp;page=2" in html.decode()


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"page": "abc"}, 12),
        ({"page": "99999"}, 1),
        ({"page": "-1"}, 1),
        ({"page": "0"}, 1),
        ({"sort": "name; DROP TABLE"}, 12),
        ({"category": "khong-co"}, 12),
        ({"province": "zz"}, 12),
        ({"people": "Người Sao Hỏa"}, 0),
    ],
)
def test_invalid_catalogue_params_fall_back(client, params, count):
    """Unknown page, sort, category or province values fall back to a sensible page, never an error."""
    make_products(13)
    response = client.get("/products/", params)
    assert response.status_code == 200
    assert len(listed(response)) == count


# Product page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("stock", "text"), [(20, "Còn hàng"), (3, "Chỉ còn 3 sản phẩm"), (0, "Hết hàng")])
def test_product_page_shows_stock_state(client, stock, text):
    """The product page says in stock, only a few left, or sold out."""
    product = ProductFactory(stock=stock)
    html = client.get(product.get_absolute_url()).content.decode()
    assert text in html


def test_product_page_shows_its_facts(client):
    """Name, price, unit, summary, story, origin, people, OCOP stars and the stall card are shown."""
    cooperative = CooperativeFactory(name="HTX Chè Shan tuyết Lũng Phìn", summary="Chè cổ thụ.")
    product = ProductFactory(
        cooperative=cooperative,
        name="Chè Shan tuyết cổ thụ",
        summary="Búp hái tay.",
        story="Cây chè trăm tuổi.\n\nSao bằng chảo gang.",
        price=250000,
        unit="gói 200 g",
        origin_province="08",
        origin_commune="xã Lũng Phìn",
        ethnic_group="H'Mông",
        ocop_stars=4,
    )
    html = client.get(product.get_absolute_url()).content.decode()
    for text in (
        '<h1 class="page-title">Chè Shan tuyết cổ thụ</h1>',
        "250.000\u00a0₫",
        "gói 200 g",
        "Búp hái tay.",
        "<p>Sao bằng chảo gang.</p>",
        "xã Lũng Phìn, Tuyên Quang",
        "Đồng bào H&#x27;Mông",
        "★★★★<",
        "4 sao",
        "HTX Chè Shan tuyết Lũng Phìn",
        f'href="{cooperative.get_absolute_url()}"',
    ):
        assert text in html, text
    assert "★★★★★" not in html


def test_product_without_ocop_shows_no_stars(client):
    """No OCOP rating, no stars."""
    product = ProductFactory(name="Chè Shan tuyết", ocop_stars=None)
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="page-title">Chè Shan tuyết</h1>' in html
    assert "★" not in html and 'class="ocop"' not in html


def test_product_page_lists_more_from_the_same_stall(client):
    """Up to four other products of the same stall are offered; other stalls' are not."""
    product = ProductFactory()
    siblings = [ProductFactory(cooperative=product.cooperative) for _ in range(5)]
    stranger = ProductFactory()
    response = client.get(product.get_absolute_url())
    more = response.context["more"]
    assert len(more) == 4
    assert {p.pk for p in more} <= {p.pk for p in siblings}
    assert stranger.name not in response.content.decode()


def test_unknown_product_is_a_styled_404(client):
    """A slug that does not exist gives the site's 404 page."""
    response = client.get("/products/khong-co-hang-nay/")
    assert response.status_code == 404
    assert 'class="site-header"' in response.content.decode()


# Images in pages ---------------------------------------------------------------------------------

IMG = re.compile(r"<img [^>]*>")


def imgs(html: str, css: str) -> list[str]:
    """The <img> tags inside elements whose class attribute contains `css`."""
    found = []
    for match in re.finditer(rf'class="[^"]*\b{css}\b[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*?(<img [^>]*>)', html):
        found.append(match.group(1))
    return found


def test_gallery_images_are_responsive_and_lazy_below_the_fold(client):
    """Gallery photos have srcset, sizes, width, height; the first loads eagerly, the others lazily."""
    product = ProductFactory()
    for position in range(3):
        ProductImageFactory(product=product, position=position, alt_text=f"Ảnh {position}")
    html = client.get(product.get_absolute_url()).content.decode()
    gallery = imgs(html, "gallery-item")
    assert len(gallery) == 3
    for tag in gallery:
        for attribute in ("srcset=", "sizes=", 'width="400"', 'height="300"', "alt="):
            assert attribute in tag, (attribute, tag)
    assert 'loading="eager"' in gallery[0]
    assert all('loading="lazy"' in tag for tag in gallery[1:])
    assert 'alt="Ảnh 0"' in gallery[0]


def test_gallery_with_several_photos_numbers_each_one(client):
    """Each photo of a multi-photo gallery says "n/3" and has an anchor; the strip is marked to peek."""
    product = ProductFactory()
    for position in range(3):
        ProductImageFactory(product=product, position=position)
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'class="gallery gallery-many"' in html
    for n in (1, 2, 3):
        assert f'id="photo-{n}"' in html
        assert f'<span aria-hidden="true">{n}/3</span>' in html
        assert f"Ảnh {n} trên 3" in html


def test_gallery_with_one_photo_has_no_counter(client):
    """A single photo fills the width with no "1/1" counter."""
    ProductImageFactory(product=(product := ProductFactory()), alt_text="Gói chè")
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    (tag,) = imgs(html, "gallery-item")
    assert 'alt="Gói chè"' in tag and "srcset=" in tag
    assert '<div class="gallery">' in html
    assert "gallery-many" not in html and "gallery-count" not in html and "1/1" not in html


def test_english_header_says_stalls_and_the_filter_says_category(client):
    """In English the header link reads "Stalls" and the single-choice filter "Category"."""
    ProductFactory()
    html = client.get("/en/products/").content.decode()
    assert re.search(r'<a href="/en/cooperatives/">Stalls</a>', html)
    assert re.search(r"<label>Category\s*<select", html)


def test_product_cards_are_responsive(client):
    """Card photos carry srcset with widths, sizes and their intrinsic size."""
    ProductImageFactory(product=ProductFactory())
    html = client.get("/products/").content.decode()
    (tag,) = imgs(html, "card-photo")
    assert re.search(r'srcset="[^"]+ 160w, [^"]+ 280w, [^"]+ 360w, [^"]+ 400w"', tag)
    assert 'sizes="' in tag and 'width="400"' in tag and 'height="300"' in tag


def test_catalogue_loads_only_the_first_row_eagerly(client):
    """Photos after the first row of the catalogue are lazy."""
    for _ in range(6):
        ProductImageFactory(product=ProductFactory())
    html = client.get("/products/").content.decode()
    loading = [re.search(r'loading="(\w+)"', tag).group(1) for tag in imgs(html, "card-photo")]
    assert loading[:2] == ["eager", "eager"]
    assert set(loading[2:]) == {"lazy"}


def test_product_without_photos_shows_the_placeholder(client):
    """A product with no photo shows the light placeholder image, with its size; named on the
    product page, and alt="" on cards, whose link already reads the name."""
    product = ProductFactory(name="Quế Trà Bồng")
    for url, alt in ((product.get_absolute_url(), "Quế Trà Bồng"), ("/products/", ""), ("/", "")):
        response = client.get(url)
        assert response.status_code == 200, url
        tags = [t for t in IMG.findall(response.content.decode()) if "placeholder.svg" in t]
        assert tags, url
        assert any(f'alt="{alt}"' in t for t in tags), (url, tags)
        assert all('width="400"' in t and 'height="' in t for t in tags), (url, tags)


# Stalls -----------------------------------------------------------------------------------------


def test_stall_page_shows_story_place_people_and_products(client):
    """A stall page shows the cooperative's story, province, people and products."""
    cooperative = CooperativeFactory(
        name="HTX Dệt thổ cẩm Tả Phìn",
        province="15",
        commune="xã Tả Phìn",
        ethnic_groups="Dao đỏ",
        story="Chị em thêu vào buổi tối.",
    )
    ProductFactory(cooperative=cooperative, name="Túi thổ cẩm")
    html = client.get(cooperative.get_absolute_url()).content.decode()
    for text in (
        "HTX Dệt thổ cẩm Tả Phìn",
        "xã Tả Phìn, Lào Cai",
        "Đồng bào Dao đỏ",
        "Chị em thêu",
        "Túi thổ cẩm",
    ):
        assert text in html, text


def test_stall_list_shows_verified_cooperatives(client):
    """The stall list shows every verified cooperative with its province."""
    CooperativeFactory(name="HTX Cà phê Buôn Ma Thuột", province="66")
    html = client.get("/cooperatives/").content.decode()
    assert "HTX Cà phê Buôn Ma Thuột" in html
    assert "Đắk Lắk" in html


def test_home_shows_featured_products_cooperatives_and_categories(client):
    """The home page shows featured products first, the stalls and the categories."""
    category = CategoryFactory(name="Gia vị")
    ProductFactory(name="Hồi khô", category=category)
    ProductFactory(name="Quế thanh", is_featured=True)
    response = client.get("/")
    assert [p.name for p in response.context["featured"]][0] == "Quế thanh"
    html = response.content.decode()
    assert "Gia vị" in html
    assert "Hồi khô" in html
