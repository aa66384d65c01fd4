"""Headers every answer carries: a Content-Security-Policy with no inline script or style, a
Permissions-Policy, and no caching of pages that show a buyer's or a stall's own data."""

import pytest

from tests.dashboard import make_stall
from tests.factories import placed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def stall():
    return make_stall()


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def public_pages(stall):
    return [
        "/",
        "/products/",
        stall.product.get_absolute_url(),
        stall.cooperative.get_absolute_url(),
        f"{stall.product.get_absolute_url()}poster/?size=a4",
        "/en/products/",
    ]


def test_every_page_has_a_strict_content_security_policy(client, stall):
    """Scripts and styles only from the site, never inline; no framing; no plugins."""
    client.force_login(stall.owner)
    for url in [*public_pages(stall), "/dashboard/", "/cart/", "/admin/login/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["object-src"] == ["'none'"], url
        assert "camera=()" in response["Permissions-Policy"], url


def test_pages_with_someone_s_own_data_are_never_cached(client, stall):
    """The order page, checkout, the dashboard (home, orders, packing slip, CSV, profile) answer
    "private, no-store"; the catalogue's pages may be cached."""
    order = placed_order({stall.product: 1})
    part = order.cooperative_orders.get()
    session = client.session
    session["orders"] = [order.code]
    session.save()
    assert client.get(order.get_absolute_url())["Cache-Control"] == "private, no-store"
    client.force_login(stall.owner)
    for url in [
        "/dashboard/",
        f"/dashboard/orders/{part.pk}/",
        f"/dashboard/orders/{part.pk}/slip/",
        "/dashboard/orders/export/?start=2026-01-01&end=2026-12-31",
        "/dashboard/cooperative/",
        "/en/dashboard/",
        "/checkout/",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 303), url
        assert response["Cache-Control"] == "private, no-store", url
    for url in public_pages(stall):
        assert "no-store" not in client.get(url).get("Cache-Control", ""), url


@pytest.mark.parametrize(
    "path",
    [
        "a" * 300 + ".webp",
        "../../etc/passwd",
        "x\x00.webp",
        "products/none.webp",
        "notes.html",
        "",
        "%ff.webp",
    ],
)
def test_odd_media_paths_answer_404_never_500(client, path):
    """Whatever follows /media/, the answer is a 404, not a server error."""
    assert client.get(f"/media/{path}").status_code == 404


def test_media_is_served_only_as_images_and_cached_long(client, tmp_path, settings):
    """A stored photo comes back as an image with nosniff and a year's cache; a stored file of any
    other kind is not served at all."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.webp").write_bytes(b"RIFF....WEBP")
    (tmp_path / "p" / "a.svg").write_text("<svg onload=alert(1)>")
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/media/p/a.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/media/p/a.svg").status_code == 404
    (tmp_path / "p" / "a.avif").write_bytes(b"....ftypavif")
    assert client.get("/media/p/a.avif")["Content-Type"] == "image/avif"
