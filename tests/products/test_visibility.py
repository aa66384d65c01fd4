"""Only published, not archived products of verified cooperatives appear on any public page."""

import pytest

from tests.factories import CooperativeFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    """One stall with a public product and every kind of hidden one, and an unverified stall."""
    stall = CooperativeFactory(name="HTX Chợ Sáng")
    hidden_stall = CooperativeFactory(name="HTX Chưa Duyệt", is_verified=False)
    return {
        "stall": stall,
        "hidden_stall": hidden_stall,
        "public": ProductFactory(cooperative=stall, name="Mật ong Công khai", is_featured=True),
        "hidden": [
            ProductFactory(cooperative=stall, name="Mật ong Nháp", is_published=False, is_featured=True),
            ProductFactory(cooperative=stall, name="Mật ong Lưu trữ", is_archived=True, is_featured=True),
            ProductFactory(cooperative=hidden_stall, name="Mật ong Chưa duyệt", is_featured=True),
        ],
    }


@pytest.mark.parametrize(
    "url",
    ["/", "/products/", "/products/?q=mat+ong", "/products/?sort=price_desc", "/cooperatives/"],
)
def test_listing_pages_show_only_public_products(client, market, url):
    """Home, catalogue, search and stall list never show hidden products or unverified stalls."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for product in market["hidden"]:
        assert product.name not in html
    assert "HTX Chưa Duyệt" not in html
    # What the page does list: the public product, or on the stall list the verified stall.
    assert ("HTX Chợ Sáng" if url == "/cooperatives/" else "Mật ong Công khai") in html


def test_hidden_product_pages_are_404(client, market):
    """A hidden product's own page answers 404, like a missing one."""
    for product in market["hidden"]:
        assert client.get(product.get_absolute_url()).status_code == 404
    assert client.get(market["public"].get_absolute_url()).status_code == 200


def test_unverified_stall_page_is_404(client, market):
    """An unverified cooperative has no public stall page."""
    assert client.get(market["hidden_stall"].get_absolute_url()).status_code == 404


def test_stall_page_lists_only_its_public_products(client, market):
    """A verified stall's page lists its public products only."""
    html = client.get(market["stall"].get_absolute_url()).content.decode()
    assert "Mật ong Công khai" in html
    assert "Mật ong Nháp" not in html
    assert "Mật ong Lưu trữ" not in html


def test_more_from_stall_leaves_out_hidden_products(client, market):
    """'More from this stall' on a product page only offers public products."""
    sibling = ProductFactory(cooperative=market["stall"], name="Chè Anh em")
    html = client.get(market["public"].get_absolute_url()).content.decode()
    assert "Chè Anh em" in html
    assert "Mật ong Nháp" not in html
    assert "Mật ong Lưu trữ" not in html
    assert sibling.get_absolute_url() in html


def test_stall_list_counts_only_public_products(client, market):
    """The product count on the stall list ignores drafts and archived products."""
    response = client.get("/cooperatives/")
    (stall,) = [c for c in response.context["cooperatives"] if c.pk == market["stall"].pk]
    assert stall.product_count == 1
