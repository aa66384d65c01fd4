"""QR codes drawn with segno: inline SVG for pages, SVG and PNG files for download and print, and
Pillow images for the post kit's pictures.

Every code has error correction M at least (segno raises it when that costs no size), the 4-module
quiet zone scanners need, and black on white, so it scans in dark mode and on paper too.
"""

import io
import math

import segno
from django.utils.html import escape
from PIL import Image

QUIET_ZONE = 4
PNG_MIN_PIXELS = 640


def _qr(payload: str):
    return segno.make_qr(payload, error="m")


def qr_svg(payload: str, *, label: str, css_class: str, scale: int = 1, sized: bool = False) -> str:
    """The code as an inline <svg> element, safe to mark_safe: named for screen readers by `label`,
    with a viewBox so CSS can size it; `sized` adds width and height of `scale` px per module for
    pages whose CSS does not size it."""
    qr = _qr(payload)
    svg = qr.svg_inline(
        scale=scale,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass=css_class,
        title=label,
    )
    size = ""
    if sized:
        width, height = qr.symbol_size(scale=scale, border=QUIET_ZONE)
        size = f'width="{width}" height="{height}" '
    return svg.replace("<svg ", f'<svg {size}role="img" aria-label="{escape(label)}" ', 1)


def qr_file(payload: str, kind: str) -> bytes:
    """The code as an SVG or a PNG file, the PNG at least PNG_MIN_PIXELS wide for printing."""
    qr = _qr(payload)
    buffer = io.BytesIO()
    if kind == "png":
        modules = qr.symbol_size(scale=1, border=QUIET_ZONE)[0]
        qr.save(buffer, kind="png", scale=math.ceil(PNG_MIN_PIXELS / modules), border=QUIET_ZONE)
    else:
        # Millimetres and a viewBox: 1.5 mm modules print a 5 to 7 cm code; layout tools rescale it.
        qr.save(buffer, kind="svg", scale=1.5, unit="mm", border=QUIET_ZONE, dark="#000", light="#fff")
    return buffer.getvalue()


def qr_image(payload: str, *, max_pixels: int) -> Image.Image:
    """The code as a Pillow image for drawing onto a picture: whole pixels per module (a scaled
    module would blur into its neighbours) and as large as fits in `max_pixels`, quiet zone included."""
    qr = _qr(payload)
    modules = qr.symbol_size(scale=1, border=QUIET_ZONE)[0]
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=max(1, max_pixels // modules), border=QUIET_ZONE)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")
