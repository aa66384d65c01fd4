"""QR posters: who gets one, what its code opens, the downloads, and the visit counts they bring."""

import datetime
import io
import re
import shutil
import subprocess
from html import unescape

import pytest
import segno
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from products import posters, services
from products.models import QrVisit
from tests.dashboard import make_stall
from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory
from tests.orders.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db

SITE = "https://chophien.example"
ZBARIMG = shutil.which("zbarimg")
needs_zbar = pytest.mark.skipif(
    ZBARIMG is None, reason="needs zbarimg (Debian's zbar-tools) to scan QR codes"
)


def scan(png: bytes) -> str:
    """Decode one QR code from a PNG, as a phone's scanner would."""
    result = subprocess.run(  # noqa: S603 (fixed program, our own bytes)
        [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-"],
        input=png,
        capture_output=True,
        check=True,
        timeout=30,
    )
    return result.stdout.decode().strip()


def svg_to_png(svg: str, pixels_per_module: int = 8) -> bytes:
    """Draw segno's SVG path (rows of `h` strokes, one module high) as a PNG, to scan it."""
    size = int(float(re.search(r'd="M0 0h([\d.]+)v', svg).group(1)))
    image = Image.new("L", (size, size), 255)
    x = y = 0.0
    for command, numbers in re.findall(
        r"([MmHh])([-\d. ]+)", re.search(r'<path[^>]*class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    ):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            for column in range(int(x), int(x + values[0])):
                image.putpixel((column, int(y)), 0)
            x += values[0]
    buffer = io.BytesIO()
    image.resize((size * pixels_per_module,) * 2, Image.NEAREST).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def product():
    return ProductFactory(name="Chè Shan tuyết cổ thụ", slug="che-shan-tuyet", price=250000, unit="gói 200 g")


@pytest.fixture
def payloads(monkeypatch):
    """What segno was asked to encode, call by call."""
    given = []
    real = segno.make_qr

    def spy(content, **kwargs):
        given.append(content)
        assert kwargs.get("error", "").lower() in ("m", "q", "h")
        return real(content, **kwargs)

    monkeypatch.setattr(segno, "make_qr", spy)
    return given


def inline_svg(html: str) -> str:
    return re.search(r'<svg[^>]*class="poster-qr-code".*?</svg>', html, re.S).group(0)


# --- who gets a poster -------------------------------------------------------------------------


def test_product_poster_shows_name_price_story_stall_and_code(client, product):
    response = client.get(f"/products/{product.slug}/poster/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chè Shan tuyết cổ thụ" in html and "250.000" in html and "gói 200 g" in html
    assert product.story in html and product.cooperative.name in html
    assert "Quét mã để xem và đặt mua" in html
    assert 'class="poster-qr-code"' in html
    # A page of its own: no site header, footer or navigation; its own print stylesheet.
    assert "site-header" not in html and "site-footer" not in html
    assert "css/poster.css" in html and "site.css" not in html


def test_stall_poster_shows_summary(client):
    cooperative = CooperativeFactory(summary="Chè cổ thụ từ cao nguyên đá.")
    response = client.get(f"/cooperatives/{cooperative.slug}/poster/")
    assert response.status_code == 200
    assert "Chè cổ thụ từ cao nguyên đá." in response.content.decode()


@pytest.mark.parametrize(
    "hidden",
    [{"is_published": False}, {"is_archived": True}, {"cooperative__is_verified": False}],
    ids=["unpublished", "archived", "unverified stall"],
)
def test_hidden_products_have_no_poster_nor_code(client, hidden):
    product = ProductFactory(**hidden)
    for url in ("", "qr.svg", "qr.png"):
        assert client.get(f"/products/{product.slug}/poster/{url}").status_code == 404


def test_unverified_stall_has_no_poster(client):
    cooperative = CooperativeFactory(is_verified=False)
    for url in ("", "qr.svg", "qr.png"):
        assert client.get(f"/cooperatives/{cooperative.slug}/poster/{url}").status_code == 404
    assert client.get("/cooperatives/khong-co/poster/").status_code == 404


def test_story_is_cut_to_fit(client):
    product = ProductFactory(story="Chè ngon. " * 200)
    html = client.get(f"/products/{product.slug}/poster/").content.decode()
    story = re.search(r'<p class="poster-story">(.*?)</p>', html, re.S).group(1)
    assert len(story) <= posters.STORY_CHARS["product"]
    assert story.endswith("…")


# --- what the code opens -------------------------------------------------------------------------


@override_settings(SITE_URL=SITE)
def test_code_on_the_page_opens_the_product_from_site_url(client, product, payloads):
    html = client.get(f"/products/{product.slug}/poster/", HTTP_HOST="localhost").content.decode()
    expected = f"{SITE}/products/{product.slug}/?utm_source=qr&utm_medium=poster"
    assert payloads == [expected]
    if ZBARIMG:
        assert scan(svg_to_png(unescape(inline_svg(html)))) == expected


@needs_zbar
@override_settings(SITE_URL=SITE)
def test_png_download_scans_to_the_page(client, product, payloads):
    response = client.get(f"/products/{product.slug}/poster/qr.png")
    expected = f"{SITE}/products/{product.slug}/?utm_source=qr&utm_medium=poster"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="{product.slug}-qr.png"'
    image = Image.open(io.BytesIO(response.content))
    assert image.width >= 600
    assert scan(response.content) == expected
    assert payloads == [expected]


@override_settings(SITE_URL=SITE)
def test_svg_download(client, product, payloads):
    response = client.get(f"/products/{product.slug}/poster/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == f'attachment; filename="{product.slug}-qr.svg"'
    assert response.content.startswith(b"<?xml") and b'viewBox="0 0 ' in response.content
    assert payloads == [f"{SITE}/products/{product.slug}/?utm_source=qr&utm_medium=poster"]
    if ZBARIMG:
        assert scan(svg_to_png(response.content.decode())) == payloads[0]


@override_settings(SITE_URL=SITE)
def test_stall_downloads_open_the_stall(client, payloads):
    cooperative = CooperativeFactory()
    response = client.get(f"/cooperatives/{cooperative.slug}/poster/qr.png")
    assert response["Content-Disposition"] == f'attachment; filename="{cooperative.slug}-qr.png"'
    expected = f"{SITE}/cooperatives/{cooperative.slug}/?utm_source=qr&utm_medium=poster"
    assert payloads == [expected]
    if ZBARIMG:
        assert scan(response.content) == expected


def test_unknown_download_kind_is_404(client, product):
    assert client.get(f"/products/{product.slug}/poster/qr.gif").status_code == 404


@override_settings(SITE_URL=SITE)
def test_english_poster_opens_the_english_page(client, product, payloads):
    response = client.get(f"/en/products/{product.slug}/poster/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    download = client.get(f"/en/products/{product.slug}/poster/qr.png")
    expected = f"{SITE}/en/products/{product.slug}/?utm_source=qr&utm_medium=poster"
    assert payloads == [expected, expected]
    # Not the Vietnamese code's name: both can sit in one Downloads folder.
    assert download["Content-Disposition"] == f'attachment; filename="{product.slug}-qr-en.png"'
    stall = client.get(f"/en/cooperatives/{product.cooperative.slug}/poster/qr.svg")
    assert stall["Content-Disposition"] == f'attachment; filename="{product.cooperative.slug}-qr-en.svg"'


# --- paper size ----------------------------------------------------------------------------------


def test_a5_by_default_a4_on_request_anything_else_a5(client, product):
    url = f"/products/{product.slug}/poster/"
    a5 = client.get(url).content.decode()
    assert 'class="size-a5"' in a5 and "poster-a4.css" not in a5
    a4 = client.get(url + "?size=a4").content.decode()
    assert 'class="size-a4"' in a4 and '<link rel="stylesheet" href="/static/css/poster-a4.css">' in a4
    assert "@page { size: A4 portrait" in (settings.BASE_DIR / "static/css/poster-a4.css").read_text()
    for bad in ("A3", "a4'><script>", "", "999"):
        response = client.get(url, {"size": bad})
        assert response.status_code == 200
        assert 'class="size-a5"' in response.content.decode()


# --- counting visits from posters ----------------------------------------------------------------


def qr_count(**lookup) -> int:
    return sum(QrVisit.objects.filter(**lookup).values_list("count", flat=True))


ANDROID = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
# Where a scan made with Zalo's own scanner opens: a real visitor, though the name says Zalo.
ZALO_IN_APP = (
    "Mozilla/5.0 (Linux; Android 12; SM-A125F; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Zalo android/12100605 ZaloLanguage/vi"
)


@pytest.fixture
def phone():
    """A visitor's phone: a browser's User-Agent, cookies kept between requests."""
    return Client(HTTP_USER_AGENT=ANDROID)


def cookies_set(response) -> set[str]:
    """The cookies a page sets besides the CSRF token its add-to-cart form always brings."""
    return set(response.cookies) - {settings.CSRF_COOKIE_NAME}


def qr_url(obj) -> str:
    return f"{obj.get_absolute_url()}?utm_source=qr&utm_medium=poster"


def test_a_scan_counts_once_per_visitor_and_day(phone, product, monkeypatch):
    url = qr_url(product)
    phone.get(url)
    phone.get(url)  # a reload, with the cookie the first visit set
    assert qr_count(product=product) == 1
    phone.get(f"/products/{product.slug}/")  # plain visits never count
    assert qr_count(product=product) == 1

    Client(HTTP_USER_AGENT=ZALO_IN_APP).get(url)
    assert qr_count(product=product) == 2

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(services.timezone, "localdate", lambda: tomorrow)
    phone.get(url)  # yesterday's cookie does not stop today's count
    assert QrVisit.objects.get(product=product, day=tomorrow).count == 1
    assert QrVisit.objects.filter(product=product).count() == 2


def test_a_scan_writes_no_session_only_small_signed_cookies(phone, product):
    """The day's marker, and the stall for a week (an order after it counts as from the poster)."""
    response = phone.get(qr_url(product))
    assert qr_count(product=product) == 1
    assert not Session.objects.exists()
    assert cookies_set(response) == {services.QR_SEEN_COOKIE, services.QR_FROM_COOKIE}
    cookie = response.cookies[services.QR_SEEN_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert 0 < cookie["max-age"] <= 24 * 60 * 60
    assert len(cookie.value) < 200
    week = response.cookies[services.QR_FROM_COOKIE]
    assert week["httponly"] and week["samesite"] == "Lax"
    assert week["max-age"] == 7 * 24 * 60 * 60
    assert len(week.value) < 200


def test_a_forged_cookie_is_ignored(phone, product):
    today = timezone.localdate().isoformat()
    phone.cookies[services.QR_SEEN_COOKIE] = f"{today}:p{product.pk}"  # unsigned
    phone.get(qr_url(product))
    assert qr_count(product=product) == 1


def test_stall_scan_counts_for_the_stall_only(phone, product):
    cooperative = product.cooperative
    phone.get(f"/cooperatives/{cooperative.slug}/?utm_source=qr")
    phone.get(f"/cooperatives/{cooperative.slug}/?utm_source=qr&page=1")
    visit = QrVisit.objects.get()
    assert (visit.cooperative, visit.product, visit.count) == (cooperative, None, 1)
    # The same visitor scanning a product of that stall counts for the product.
    phone.get(f"/products/{product.slug}/?utm_source=qr")
    assert qr_count(product=product) == 1


@pytest.mark.parametrize("page", ["product", "stall"])
def test_head_requests_count_nothing(phone, product, page):
    obj = product if page == "product" else product.cooperative
    response = phone.head(qr_url(obj))
    assert response.status_code == 200
    assert not QrVisit.objects.exists() and not cookies_set(response)


@pytest.mark.parametrize(
    "user_agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Zalo-Preview/1.0)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "AdsBot-Google (+http://www.google.com/adsbot.html)",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0",
        "",
    ],
)
def test_robots_and_link_previews_count_nothing(product, user_agent):
    response = Client(HTTP_USER_AGENT=user_agent).get(qr_url(product))
    assert response.status_code == 200
    assert not QrVisit.objects.exists() and not cookies_set(response)


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (Linux; Android 10; CUBOT P40) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0 Mobile Safari/537.36 Zalo iOS/2.0",
    ],
)
def test_phones_whose_names_look_like_robots_still_count(product, user_agent):
    """A phone model with "bot" in its name (CUBOT) and Zalo's in-app browser are real scans."""
    Client(HTTP_USER_AGENT=user_agent).get(qr_url(product))
    assert QrVisit.objects.get().count == 1


def test_the_stalls_own_people_checking_their_poster_count_nothing(product):
    owner = MembershipFactory(cooperative=product.cooperative).user
    phone = Client(HTTP_USER_AGENT=ANDROID)
    phone.force_login(owner)
    phone.get(qr_url(product))
    phone.get(qr_url(product.cooperative))
    assert not QrVisit.objects.exists()

    # A member of another stall is a visitor here.
    phone.force_login(MembershipFactory().user)
    phone.get(qr_url(product))
    assert qr_count(product=product) == 1


@pytest.mark.parametrize("page", ["product", "stall"])
def test_pages_without_the_qr_parameter_run_no_extra_query_and_set_no_cookie(phone, product, page):
    url = product.get_absolute_url() if page == "product" else product.cooperative.get_absolute_url()

    def queries(query: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = phone.get(url + query)
        assert response.status_code == 200 and not cookies_set(response)
        return len(captured)

    # With the cache cleared, the stall page also sums its products' stars (kept after that).
    assert queries("") == queries("?utm_source=zalo&utm_medium=share") == {"product": 4, "stall": 6}[page]
    assert not QrVisit.objects.exists()


def test_first_visits_racing_for_the_days_row_both_count(product, monkeypatch):
    """Another visitor inserts the day's row between our UPDATE and INSERT: we add to theirs."""
    real_update = QuerySet.update
    raced = []

    def update(queryset, **kwargs):
        if queryset.model is QrVisit and not raced:
            raced.append(True)
            QrVisit.objects.create(
                cooperative=product.cooperative, product=product, day=timezone.localdate(), count=1
            )
            return 0
        return real_update(queryset, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)
    assert services.qr_visit_record(seen="", cooperative_id=product.cooperative_id, product_id=product.pk)
    assert QrVisit.objects.get().count == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_scans_make_one_row():
    product = ProductFactory()

    def scan_once():
        return services.qr_visit_record(seen="", cooperative_id=product.cooperative_id, product_id=product.pk)

    def stall_once():
        return services.qr_visit_record(seen="", cooperative_id=product.cooperative_id)

    outcomes = run_at_once([scan_once] * 6 + [stall_once] * 4)
    assert all(outcomes) and len(outcomes) == 10
    assert QrVisit.objects.get(product=product).count == 6
    assert QrVisit.objects.get(product=None).count == 4


def test_the_marker_stays_small():
    """Scanning a whole market's posters keeps the cookie bounded."""
    marker = ""
    for _ in range(services.QR_SEEN_MAX + 10):
        marker = services.qr_visit_record(seen=marker, cooperative_id=CooperativeFactory().pk)
        assert marker
    assert len(marker.partition(":")[2].split(",")) == services.QR_SEEN_MAX


# --- the producer dashboard ----------------------------------------------------------------------


def test_dashboard_links_posters_and_shows_last_30_days(client):
    stall = make_stall(name="HTX Chè Lũng Phìn")
    hidden = ProductFactory(cooperative=stall.cooperative, is_published=False, name="Chè chưa bán")
    today = timezone.localdate()
    for days_ago, product, count in [
        (0, stall.product, 5),
        (29, stall.product, 2),
        (30, stall.product, 100),
        (3, None, 4),
    ]:
        QrVisit.objects.create(
            cooperative=stall.cooperative,
            product=product,
            day=today - datetime.timedelta(days=days_ago),
            count=count,
        )
    other = make_stall(name="HTX Mật ong Mèo Vạc")
    QrVisit.objects.create(cooperative=other.cooperative, product=other.product, day=today, count=999)
    QrVisit.objects.create(cooperative=other.cooperative, day=today, count=888)
    client.force_login(stall.owner)

    listing = client.get("/dashboard/products/").content.decode()
    assert f"/products/{stall.product.slug}/poster/" in listing
    assert f"/products/{hidden.slug}/poster/" not in listing
    assert "Áp phích QR có khi sản phẩm đang bán." in listing
    assert "Lượt quét mã QR 30 ngày qua: 7" in listing

    home = client.get("/dashboard/").content.decode()
    assert f'href="/cooperatives/{stall.cooperative.slug}/poster/"' in home
    # The English poster for homestays and tourist spots is one tap away, whatever the
    # dashboard's own language.
    assert f'href="/en/cooperatives/{stall.cooperative.slug}/poster/" hreflang="en"' in home
    assert f'href="/en/products/{stall.product.slug}/poster/" hreflang="en"' in listing
    english_dashboard = client.get("/en/dashboard/products/").content.decode()
    assert f'href="/products/{stall.product.slug}/poster/" hreflang="vi"' in english_dashboard
    assert "Lượt quét mã QR 30 ngày qua: 11" in home
    assert "trang gian hàng: 4" in home
    for page in (listing, home):
        assert "999" not in page and "888" not in page and other.cooperative.slug not in page


def test_dashboard_counts_take_one_query(client):
    stall = make_stall()
    client.force_login(stall.owner)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len([q for q in captured if "products_qrvisit" in q["sql"]])

    for _ in range(3):
        product = ProductFactory(cooperative=stall.cooperative)
        QrVisit.objects.create(
            cooperative=stall.cooperative, product=product, day=timezone.localdate(), count=1
        )
    assert queries("/dashboard/products/") == 1
    assert queries("/dashboard/") == 1


def test_unverified_stall_dashboard_explains_instead_of_linking(client):
    """An unverified stall's dashboard explains why there is no poster and links to none."""
    stall = make_stall()
    stall.cooperative.is_verified = False
    stall.cooperative.save()
    client.force_login(stall.owner)
    home = client.get("/dashboard/").content.decode()
    assert "/poster/" not in home
    assert "Áp phích QR có khi gian hàng đã được xác minh." in home
    response = client.get("/dashboard/products/")
    assert response.status_code == 200
    listing = response.content.decode()
    assert f'href="/dashboard/products/{stall.product.pk}/"' in listing  # the product's row is there
    assert "/poster/" not in listing


def test_admin_lists_visits_read_only(admin_client, product):
    QrVisit.objects.create(
        cooperative=product.cooperative, product=product, day=timezone.localdate(), count=3
    )
    response = admin_client.get("/admin/products/qrvisit/")
    assert response.status_code == 200
    assert product.name in response.content.decode()
    assert admin_client.get("/admin/products/qrvisit/add/").status_code == 403


def test_english_poster_marks_vietnamese_text(client):
    product = ProductFactory(name="Chè Shan tuyết", name_en="Shan tuyet tea", story="Câu chuyện.")
    html = client.get(f"/en/products/{product.slug}/poster/").content.decode()
    assert '<h1 class="poster-name">Shan tuyet tea</h1>' in html
    assert '<p class="poster-story" lang="vi">Câu chuyện.</p>' in html
