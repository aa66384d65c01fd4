"""Printable QR posters for a product or a stall, and their QR downloads.

A poster's QR code opens the page in the poster's language, from settings.SITE_URL (never the
request's host), with `utm_source=qr` so the page view counts it (`services.qr_visit_record`);
the counts are read by `selectors.qr_visit_totals`.
"""

import io
import math

import segno
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from storefront.links import absolute_url

from . import selectors
from .models import Cooperative, Product

QR_QUERY = "utm_source=qr&utm_medium=poster"
# Paper sizes: (CSS class, scale of every length against A5). Anything else falls back to A5.
SIZES = {"a5": 1, "a4": math.sqrt(2)}
PNG_MIN_PIXELS = 640
STORY_CHARS = {"product": 260, "cooperative": 360}


def qr_payload(obj: Product | Cooperative) -> str:
    """The absolute address of the page, in the active language, marked as coming from a poster."""
    return f"{absolute_url(obj.get_absolute_url())}?{QR_QUERY}"


def _qr(payload: str):
    # Error correction M at least (segno raises it when that costs no size); quiet zone 4 modules.
    return segno.make_qr(payload, error="m")


def qr_svg_inline(payload: str) -> str:
    """The code as inline SVG that CSS sizes (a viewBox, no width/height), black on white."""
    label = gettext("Mã QR mở trang trên Chợ Phiên")
    svg = _qr(payload).svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="poster-qr-code", title=label
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def qr_file(payload: str, kind: str) -> bytes:
    """The code as an SVG or a PNG file, the PNG at least PNG_MIN_PIXELS wide for printing."""
    qr = _qr(payload)
    buffer = io.BytesIO()
    if kind == "png":
        modules = qr.symbol_size(scale=1, border=4)[0]
        qr.save(buffer, kind="png", scale=math.ceil(PNG_MIN_PIXELS / modules), border=4)
    else:
        # Millimetres and a viewBox: 1.5 mm modules print a 5 to 7 cm code; layout tools rescale it.
        qr.save(buffer, kind="svg", scale=1.5, unit="mm", border=4, dark="#000", light="#fff")
    return buffer.getvalue()


def _product_or_404(slug: str) -> Product:
    try:
        return selectors.product_with_photos_public(slug)
    except Product.DoesNotExist:
        raise Http404 from None


def _cooperative_or_404(slug: str) -> Cooperative:
    try:
        return selectors.cooperative_detail_public(slug)
    except Cooperative.DoesNotExist:
        raise Http404 from None


def _poster(request, obj, *, kind: str, photo_meta: dict, qr_url_name: str):
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
            "photo_meta": photo_meta,
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
    meta = images[0].image_meta if images else {}
    return _poster(
        request, product, kind="product", photo_meta=meta, qr_url_name="products:product-poster-qr"
    )


@require_safe
def cooperative_poster(request, slug: str):
    cooperative = _cooperative_or_404(slug)
    meta = cooperative.cover_meta or cooperative.logo_meta
    return _poster(
        request,
        cooperative,
        kind="cooperative",
        photo_meta=meta,
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
