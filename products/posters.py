"""Printable QR posters for a product or a stall, and their QR downloads.

A poster's QR code opens the page in the poster's language, from settings.SITE_URL (never the
request's host), with `utm_source=qr` so the page view counts it (`services.qr_visit_record`);
the counts are read by `selectors.qr_visit_totals`. A counted scan also leaves the stall and the
scan's time in a cookie (`remember_scan`), so checkout can tell which parts came from a poster.
"""

import math
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from storefront.lib.links import absolute_url
from storefront.lib.qr import qr_file, qr_svg
from storefront.lib.renditions import Renditions

from . import selectors, services
from .models import Cooperative, Product

QR_QUERY = "utm_source=qr&utm_medium=poster"
# Paper sizes: (CSS class, scale of every length against A5). Anything else falls back to A5.
SIZES = {"a5": 1, "a4": math.sqrt(2)}
STORY_CHARS = {"product": 260, "cooperative": 360}
QR_FROM_SECONDS = services.QR_FROM_DAYS * 24 * 60 * 60


def _scanned(request) -> str:
    return request.get_signed_cookie(
        services.QR_FROM_COOKIE, default="", salt=services.QR_FROM_SALT, max_age=QR_FROM_SECONDS
    )


def poster_scans(request) -> list[int]:
    """The stalls whose QR posters this browser scanned in the last week, the latest first:
    checkout marks the parts of these stalls as coming from a poster."""
    return services.qr_from_ids(scanned=_scanned(request), now=int(time.time()))


def remember_scan(request, response, *, cooperative_id: int) -> None:
    """After a counted scan: this stall goes first, with the scan's time, in the cookie read by
    ``poster_scans``; the cookie lasts a week after the latest scan, each stall a week after its own."""
    response.set_signed_cookie(
        services.QR_FROM_COOKIE,
        services.qr_from_add(scanned=_scanned(request), cooperative_id=cooperative_id, now=int(time.time())),
        salt=services.QR_FROM_SALT,
        max_age=QR_FROM_SECONDS,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def qr_payload(obj: Product | Cooperative) -> str:
    """The absolute address of the page, in the active language, marked as coming from a poster."""
    return f"{absolute_url(obj.get_absolute_url())}?{QR_QUERY}"


def qr_svg_inline(payload: str) -> str:
    """The code as inline SVG that the poster's CSS sizes."""
    return qr_svg(payload, label=gettext("Mã QR mở trang trên Chợ Phiên"), css_class="poster-qr-code")


def _product_or_404(slug: str) -> Product:
    try:
        return selectors.product_with_photos_public(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None


def _cooperative_or_404(slug: str) -> Cooperative:
    try:
        return selectors.cooperative_detail_public(slug=slug)
    except Cooperative.DoesNotExist:
        raise Http404 from None


def _poster(request, obj, *, kind: str, photo: Renditions, qr_url_name: str):
    size = request.GET.get("size", "")
    if size not in SIZES:
        size = "a5"
    payload = qr_payload(obj)
    cooperative = obj if kind == "cooperative" else obj.cooperative
    return render(
        request,
        "products/poster.html",
        {
            "kind": kind,
            "object": obj,
            "cooperative": cooperative,
            "photo": photo,
            "story_chars": STORY_CHARS[kind],
            "size": size,
            "sizes": list(SIZES),
            "qr_svg": qr_svg_inline(payload),
            "qr_payload": payload,
            "qr_url_name": qr_url_name,
        },
    )


@require_safe
def product_poster(request, slug: str):
    product = _product_or_404(slug)
    images = list(product.images.all())
    return _poster(
        request,
        product,
        kind="product",
        photo=images[0].photo if images else Renditions(),
        qr_url_name="products:product-poster-qr",
    )


@require_safe
def cooperative_poster(request, slug: str):
    cooperative = _cooperative_or_404(slug)
    return _poster(
        request,
        cooperative,
        kind="cooperative",
        photo=cooperative.cover_photo or cooperative.logo_photo,
        qr_url_name="products:cooperative-poster-qr",
    )


CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _download(obj, kind: str) -> HttpResponse:
    response = HttpResponse(qr_file(qr_payload(obj), kind), content_type=CONTENT_TYPES[kind])
    # The English code opens the English page: a different file, so not the same name.
    language = get_language()
    suffix = "" if language == settings.LANGUAGE_CODE else f"-{language}"
    response["Content-Disposition"] = f'attachment; filename="{obj.slug}-qr{suffix}.{kind}"'
    return response


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def product_poster_qr(request, slug: str, kind: str):
    return _download(_product_or_404(slug), kind)


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def cooperative_poster_qr(request, slug: str, kind: str):
    return _download(_cooperative_or_404(slug), kind)
