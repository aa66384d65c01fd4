"""'Thêm vào giỏ' on cards: a small form that needs no token (the pages are kept for everyone),
works without script (back to the same card with a message), answers JSON for the script that
updates the cart badge in place, and still refuses other sites."""

import json
import re

import pytest

from orders.cart import Cart
from tests.factories import ProductFactory
from tests.storefront.test_page_cache import text, visit, visitor

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}
JSON = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}


@pytest.fixture
def tea():
    return ProductFactory(name="Chè Shan tuyết", price=250_000, stock=3)


def card_form(body: str, product) -> str:
    card = body.split(f'id="p-{product.pk}"')[1].split("</article>")[0]
    return card.split("<form")[1].split("</form>")[0]


def test_every_card_list_has_a_form_with_no_token_and_the_page_is_still_kept(tea):
    sold_out = ProductFactory(cooperative=tea.cooperative, name="Mật ong", stock=0)
    for url in (
        "/",
        "/products/",
        "/products/?q=che",
        tea.cooperative.get_absolute_url(),
        sold_out.get_absolute_url(),
    ):
        visit(url)
        kept, queries = visit(url)
        assert queries == 0, url
        body = text(kept)
        form = card_form(body, tea)
        assert 'action="/cart/add/"' in form and f'name="product_id" value="{tea.pk}"' in form, url
        assert "csrfmiddlewaretoken" not in body, url
        assert "Thêm vào giỏ" in form and "Chè Shan tuyết" in form, url
    catalogue = text(visit("/products/")[0])
    sold = catalogue.split(f'id="p-{sold_out.pk}"')[1].split("</article>")[0]
    assert "<form" not in sold and "Hết hàng" in sold


def test_without_script_the_card_comes_back_with_a_message_and_the_count(tea):
    shop = visitor()
    form = card_form(text(shop.get("/products/?q=che")), tea)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    response = shop.post("/cart/add/", fields, follow=True, **SAME_ORIGIN)
    assert response.redirect_chain[0] == (f"/products/?q=che#p-{tea.pk}", 303)
    page = text(response)
    assert "Đã thêm Chè Shan tuyết vào giỏ hàng (1)." in page
    assert re.search(r'class="cart-count"[^>]*>1<', page)
    assert Cart(shop.session).lines == {tea.pk: 1}


def test_with_script_the_answer_is_json_with_the_new_count(tea):
    shop = visitor()
    first = shop.post("/cart/add/", {"product_id": tea.pk, "quantity": 1}, **JSON)
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    assert json.loads(first.content) == {
        "message": "Đã thêm Chè Shan tuyết vào giỏ hàng (1).",
        "count": 1,
        "count_label": "1 sản phẩm",
    }
    for _ in range(3):
        again = json.loads(shop.post("/cart/add/", {"product_id": tea.pk, "quantity": 1}, **JSON).content)
    assert again["count"] == 3 and "chỉ đặt được 3" in again["message"]
    # The messages were said in the answer: none wait for the next page.
    assert "Đã thêm" not in text(shop.get("/products/"))


def test_json_refusals_are_4xx_with_a_message_and_change_nothing(tea):
    shop = visitor()
    sold_out = ProductFactory(stock=0)
    for sent in ({"product_id": sold_out.pk, "quantity": 1}, {"product_id": "abc", "quantity": 1}, {}):
        response = shop.post("/cart/add/", sent, **JSON)
        assert response.status_code == 400, sent
        assert json.loads(response.content)["message"], sent
    assert Cart(shop.session).lines == {}
    refused = visitor().post(
        "/cart/add/",
        {"product_id": tea.pk, "quantity": 1},
        HTTP_ACCEPT="application/json",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert refused.status_code == 403
