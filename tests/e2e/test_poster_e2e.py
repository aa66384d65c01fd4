"""The QR poster as Chromium draws and prints it: one sheet of A5 (or A4), a code that scans."""

import re
import shutil

import pytest
from django.test import override_settings

from products import services
from products.models import QrVisit
from tests.e2e.conftest import no_horizontal_scroll
from tests.factories import CooperativeFactory, ProductFactory, ProductImageFactory

SITE = "https://chophien.example"
# Paper sizes in PDF points (1/72 inch), as Chromium writes them.
A5 = (420, 595)
A4 = (595, 842)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)


def pdf_pages(pdf: bytes) -> list[tuple[int, int]]:
    """Width and height of each page of a PDF (its /Page objects' MediaBox), to the nearest paper."""
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(re.findall(rb"/MediaBox", pdf))
    sizes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    # Chromium writes A5 as 420 × 594.96 from CSS and 420 × 595.92 from format="A5".
    return [
        min((A5, A4), key=lambda paper: abs(paper[1] - float(h)) + abs(paper[0] - float(w))) for w, h in sizes
    ]


@pytest.fixture
def product(transactional_db):
    """The worst case for fitting a sheet: a long name, a long story, a photo, a long stall name."""
    stall = CooperativeFactory(
        name="Hợp tác xã Nông nghiệp và Dịch vụ Chè Shan tuyết cổ thụ Lũng Phìn", commune="xã Lũng Phìn"
    )
    tea = ProductFactory(
        cooperative=stall,
        slug="che-shan-tuyet",
        name="Chè Shan tuyết cổ thụ hái tay từ những cây chè trăm năm tuổi trên núi đá Lũng Phìn",
        story="Búp chè được hái tay lúc sớm mai, sao trên chảo gang bằng củi. " * 30,
        price=250000,
    )
    ProductImageFactory(product=tea)
    return tea


@pytest.fixture
def site_url():
    with override_settings(SITE_URL=SITE):
        yield SITE


@pytest.mark.parametrize("size, paper", [("", A5), ("?size=a4", A4), ("?size=a3", A5)])
def test_poster_prints_on_one_sheet(live_server, product, page, size, paper):
    """Printed with the page's own paper size, the poster is one sheet of A5, or of A4 on request."""
    page.goto(f"{live_server.url}/products/{product.slug}/poster/{size}")
    assert page.locator(".poster-photo img").evaluate("img => img.complete && img.naturalWidth > 0")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == [paper]


def test_stall_poster_prints_on_one_a5_sheet(live_server, product, page):
    page.goto(f"{live_server.url}/cooperatives/{product.cooperative.slug}/poster/")
    assert pdf_pages(page.pdf(format="A5")) == [A5]


def test_poster_on_a_phone_previews_and_offers_print(live_server, product, page):
    page.goto(f"{live_server.url}/products/{product.slug}/poster/")
    assert no_horizontal_scroll(page)
    assert page.get_by_role("button", name="In áp phích").is_visible()
    assert not page.locator("[data-print-hint]").is_visible()
    # The poster's text fits its sheet: nothing is drawn outside it.
    assert page.locator(".poster").evaluate("el => el.scrollHeight <= el.clientHeight + 1")


def test_without_javascript_the_page_says_how_to_print(live_server, product, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/products/{product.slug}/poster/")
    assert page.get_by_text("Dùng lệnh In của trình duyệt").is_visible()
    assert not page.get_by_role("button", name="In áp phích").is_visible()
    context.close()


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="needs zbarimg (Debian's zbar-tools)")
def test_code_drawn_by_chromium_scans_to_the_product(live_server, product, page, site_url):
    from tests.e2e.test_vietqr_scan_e2e import scan

    page.goto(f"{live_server.url}/products/{product.slug}/poster/")
    payload = scan(page.locator(".poster-qr svg").screenshot())
    assert payload == f"{SITE}/products/{product.slug}/?utm_source=qr&utm_medium=poster"


def test_poster_without_photo_prints_on_one_sheet(live_server, product, page):
    """Without a photo the code grows; the long name and story still leave it on one sheet."""
    product.images.all().delete()
    page.goto(f"{live_server.url}/products/{product.slug}/poster/")
    assert page.locator(".poster-no-photo").count() == 1
    assert page.locator(".poster").evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    assert pdf_pages(page.pdf(prefer_css_page_size=True)) == [A5]


# The story's text lines (one rect each) that its clipped box cuts across: a line half shown.
STORY_LINES_CUT = """() => {
  const story = document.querySelector('.poster-story');
  const box = story.parentElement.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(story);
  const lines = [...range.getClientRects()].filter(r => r.width > 0 && r.left < box.right - 1);
  return {
    shown: lines.filter(r => r.bottom <= box.bottom + 0.5).length,
    cut: lines.filter(r => r.top < box.bottom - 0.5 && r.bottom > box.bottom + 0.5).length,
  };
}"""


@pytest.mark.parametrize("kind", ["product", "stall"])
@pytest.mark.parametrize("photo", [True, False], ids=["photo", "no photo"])
@pytest.mark.parametrize("size", ["", "?size=a4"], ids=["a5", "a4"])
def test_a_long_story_ends_on_a_whole_line(live_server, product, page, kind, photo, size):
    """Two-line names, a stall's summary: the story gets what room is left, in whole lines."""
    stall = product.cooperative
    stall.summary = (
        "Chè Shan tuyết cổ thụ hái tay trên núi đá, sao củi theo cách của người Mông và người Dao."
    )
    stall.story = product.story
    stall.save()
    if photo:
        image = product.images.get()
        type(stall).objects.filter(pk=stall.pk).update(cover=image.image.name, cover_meta=image.image_meta)
    else:
        product.images.all().delete()
    target = product if kind == "product" else stall
    page.goto(f"{live_server.url}{target.get_absolute_url()}poster/{size}")
    page.emulate_media(media="print")
    lines = page.locator(".poster-story").evaluate(f"({STORY_LINES_CUT})")
    assert lines["cut"] == 0 and lines["shown"] >= 2, lines
    assert page.locator(".poster").evaluate("el => el.scrollHeight <= el.clientHeight + 1")


def test_a_phone_opening_the_code_counts_once_and_headless_chromium_not_at_all(live_server, product, browser):
    """Chromium here says HeadlessChrome, a robot's name: it counts nothing. With a phone's
    User-Agent the same browser is a visitor, counted once however often it reloads."""
    url = f"{live_server.url}/products/{product.slug}/?utm_source=qr&utm_medium=poster"
    headless = browser.new_context()
    headless.new_page().goto(url)
    headless.close()
    assert not QrVisit.objects.exists()

    context = browser.new_context(viewport={"width": 360, "height": 740}, user_agent=ANDROID)
    page = context.new_page()
    page.goto(url)
    page.reload()
    assert QrVisit.objects.get(product=product).count == 1
    (cookie,) = [c for c in context.cookies() if c["name"] == services.QR_SEEN_COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert not [c for c in context.cookies() if c["name"] == "sessionid"]
    context.close()
