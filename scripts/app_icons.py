"""Draw the dashboard's app icons (static/img/app-icon-*.png) from the site's favicon.

The favicon (static/img/favicon.svg) is a market roof in yellow on the brand green, drawn on a
32-unit grid; Pillow cannot read SVG, so the same lines are drawn here at each size. The maskable
icon keeps the roof inside the safe circle (80 % of the width), so a launcher's circle or squircle never
cuts it. Run again after the favicon changes: `python scripts/app_icons.py`.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = "#2f5d3a"
ACCENT = "#f4c542"
OUT = Path(__file__).resolve().parent.parent / "static" / "img"
# The favicon's path: M7 22h18 M9 22V13l7-5 7 5v9 (stroke 2.5, round joins).
GROUND = [(7, 22), (25, 22)]
ROOF = [(9, 22), (9, 13), (16, 8), (23, 13), (23, 22)]
SUPERSAMPLE = 4


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGB", (big, big), BRAND) if maskable else Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if not maskable:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 // 32, fill=BRAND)
    scale = big / 32
    # The roof's middle (16, 15) goes to the icon's middle: its farthest corner is then 11.4 units
    # out, inside the maskable safe circle (12.8 units, 40 % of the width).
    shift = (0, 1 * scale) if maskable else (0, 0)

    def at(points):
        return [(x * scale - shift[0], y * scale - shift[1]) for x, y in points]

    width = round(2.5 * scale)
    pen.line(at(GROUND), fill=ACCENT, width=width)
    pen.line(at(ROOF), fill=ACCENT, width=width, joint="curve")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"app-icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "app-icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
