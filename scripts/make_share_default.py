"""Draw static/img/share-default.jpg, the link preview of pages without a photo of their own.

Run once with `.venv/bin/python scripts/make_share_default.py`; the JPEG is committed, so nothing
is drawn or downloaded while the site runs. Drawn with Pillow alone (the brocade diamonds of the
demo photos and the roof of the favicon), without text: a font would have to be downloaded or
bundled, and the preview's title already says "Chợ Phiên" beside the image.
"""

from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 630
BRAND, BRAND_DARK, ACCENT = (47, 93, 58), (35, 74, 44), (244, 197, 66)
PAPER, RED = (250, 248, 243), (196, 40, 52)
OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "share-default.jpg"


def brocade_band(draw: ImageDraw.ImageDraw, top: int, height: int) -> None:
    """A woven-looking band: rows of nested diamonds, as on H'Mông and Dao brocade."""
    draw.rectangle([0, top, WIDTH, top + height], fill=BRAND_DARK)
    r = height // 2
    for i, x in enumerate(range(-r, WIDTH + r, 2 * r)):
        y = top + r
        outer = ACCENT if i % 2 else RED
        draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=outer)
        draw.polygon([(x, y - r // 2), (x + r // 2, y), (x, y + r // 2), (x - r // 2, y)], fill=BRAND_DARK)
        draw.polygon([(x, y - r // 5), (x + r // 5, y), (x, y + r // 5), (x - r // 5, y)], fill=PAPER)


def main() -> None:
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    brocade_band(draw, 0, 90)
    brocade_band(draw, HEIGHT - 90, 90)
    # The favicon's market roof (a 32-unit drawing), scaled to the middle of the picture.
    scale, left, top = 11, WIDTH // 2 - 16 * 11, HEIGHT // 2 - 16 * 11
    draw.rounded_rectangle(
        [left, top, left + 32 * scale, top + 32 * scale], radius=6 * scale, fill=BRAND_DARK
    )

    def point(x: float, y: float) -> tuple[float, float]:
        return left + x * scale, top + y * scale

    draw.line([point(7, 22), point(25, 22)], fill=ACCENT, width=int(2.5 * scale))
    draw.line(
        [point(9, 22), point(9, 13), point(16, 8), point(23, 13), point(23, 22)],
        fill=ACCENT,
        width=int(2.5 * scale),
        joint="curve",
    )
    image.save(OUT, "JPEG", quality=82, progressive=True, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
