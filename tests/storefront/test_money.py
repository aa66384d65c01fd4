import pytest
from django.template import Context, Template
from django.utils import translation

from storefront.lib.money import vnd
from tests.factories import ProductFactory

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("vi", 120000, f"120.000{NBSP}₫"),
        ("en", 120000, f"120,000{NBSP}₫"),
        ("vi", 1250000, f"1.250.000{NBSP}₫"),
        ("vi", 0, f"0{NBSP}₫"),
        ("vi", "35000", f"35.000{NBSP}₫"),
    ],
)
def test_vnd_groups_thousands_as_the_language_writes_them(language, amount, expected):
    """vnd shows whole đồng with the language's separator and a non-breaking space before ₫."""
    with translation.override(language):
        assert vnd(amount) == expected


@pytest.mark.parametrize("value", [None, "", "abc", object()])
def test_vnd_of_garbage_is_empty(value):
    """vnd renders nothing rather than failing on a value that is not a number."""
    assert vnd(value) == ""


def test_vnd_filter_in_a_template():
    """The filter loads from {% load money %} and renders in templates."""
    with translation.override("vi"):
        rendered = Template("{% load money %}{{ p|vnd }}").render(Context({"p": 250000}))
    assert rendered == f"250.000{NBSP}₫"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("vi", f"120.000{NBSP}₫"), ("en", f"120,000{NBSP}₫")])
def test_catalogue_shows_prices_in_the_visitor_language(client, language, shown):
    """The catalogue page formats prices for the language the browser asks for."""
    ProductFactory(name="Mật ong bạc hà", price=120000)
    response = client.get("/products/" if language == "vi" else f"/{language}/products/")
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert shown in html
