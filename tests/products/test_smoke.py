import pytest

from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def test_catalogue_lists_a_public_product(client):
    """A published product of a verified cooperative appears in the catalogue."""
    ProductImageFactory(product=ProductFactory(name="Chè Shan tuyết"))
    response = client.get("/products/")
    assert response.status_code == 200
    assert "Chè Shan tuyết" in response.content.decode()
