"""What a shared link previews with (Open Graph and Twitter tags) and the share row's links
(the `share` template tags wrap these).

Only names and sizes stored on the rows are read here: the share renditions were made when each
photo was saved (products/images.py), so rendering never opens or resizes an image, and nothing
here runs a query (a stall uses the products its page already loaded).

Pages without a photo of their own preview with static/img/share-default.jpg (1200×630), drawn
once with Pillow by scripts/make_share_default.py and committed.
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from storefront.lib.links import absolute_url
from storefront.lib.money import vnd
from storefront.lib.phones import zalo_url
from storefront.lib.renditions import Renditions

DEFAULT_IMAGE = "img/share-default.jpg"
DEFAULT_IMAGE_SIZE = (1200, 630)
# Facebook cuts a preview's description after about two lines on a phone.
DESCRIPTION_LENGTH = 200
LOCALES = {"vi": "vi_VN", "en": "en_US"}
# How many product or stall names a list page's description names before "and more".
LIST_NAMES = 3
# Zalo documents only a JavaScript share plugin (tied to an Official Account); this link is the
# plain form that Vietnamese sites use and that works without any script.
ZALO_SHARE = "https://sp.zalo.me/share_inline"
FACEBOOK_SHARE = "https://www.facebook.com/sharer/sharer.php"


def _absolute(url: str) -> str:
    # A storage on a CDN or S3 already answers with a full URL.
    return url if url.startswith(("https://", "http://")) else absolute_url(url)


def _image(photo: Renditions, alt: str) -> dict | None:
    share = photo.share
    if share is None:
        return None
    return {
        "url": _absolute(default_storage.url(share.name)),
        "width": share.width,
        "height": share.height,
        "alt": alt,
    }


def _default_image() -> dict:
    width, height = DEFAULT_IMAGE_SIZE
    return {
        "url": _absolute(static(DEFAULT_IMAGE)),
        "width": width,
        "height": height,
        "alt": _("Chợ Phiên — đặc sản từ các hợp tác xã vùng cao"),
    }


def _description(*texts: str) -> str:
    text = next((" ".join(t.split()) for t in texts if t and t.strip()), "")
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def _common(title: str, description: str, image: dict | None) -> dict:
    language = (get_language() or "vi").split("-")[0]
    current = LOCALES.get(language, LOCALES["vi"])
    return {
        "site_name": _("Chợ Phiên"),
        "title": title,
        "description": description,
        "image": image or _default_image(),
        "locale": current,
        "locale_alternates": [code for code in LOCALES.values() if code != current],
    }


def product_share(product, images) -> dict:
    """A product previews with its first photo, else its stall's cover, else the site's picture."""
    first = images[0] if images else None
    name = product.display_name
    image = _image(first.photo, first.alt) if first else None
    image = image or _image(product.cooperative.cover_photo, product.cooperative.display_name)
    # Chat apps show the title and description but not the product:price tags: the price leads.
    price = f"{vnd(product.price)} / {product.display_unit}"
    text = _description(product.display_summary, product.display_story)
    description = Truncator(f"{price} · {text}" if text else price).chars(DESCRIPTION_LENGTH)
    return {
        **_common(name, description, image),
        # Plain digits: crawlers read "120000", not the page's "120.000".
        "price": str(int(product.price)),
        "currency": "VND",
        "availability": "in stock" if product.stock > 0 else "out of stock",
    }


def cooperative_share(cooperative, products=()) -> dict:
    """A stall previews with its cover, else the first photo of the products on its page."""
    name = cooperative.display_name
    image = _image(cooperative.cover_photo, name)
    if image is None:
        for product in products or ():
            photos = list(product.images.all())  # prefetched with the page's products
            if photos and (image := _image(photos[0].photo, photos[0].alt)):
                break
    return _common(name, _description(cooperative.display_summary, cooperative.display_story), image)


def _first_product_image(products) -> dict | None:
    for product in products or ():
        photos = list(product.images.all())  # prefetched with the page's products
        if photos and (image := _image(photos[0].photo, photos[0].alt or product.display_name)):
            return image
    return None


def _names(items, more: str) -> str:
    """ "Chè Shan tuyết, Mật ong bạc hà, Khăn piêu và …": what a preview shows of a list page."""
    names = [item.display_name for item in list(items or ())[:LIST_NAMES]]
    return _("%(names)s và %(more)s") % {"names": ", ".join(names), "more": more} if names else ""


def catalogue_share(category=None, q: str = "", products=()) -> dict:
    """A catalogue page (all products, a category, a search) previews with the first photo among
    its products and their names; a category or search link shared in a chat says what it holds."""
    if q:
        title = _("Tìm “%(q)s” trên Chợ Phiên") % {"q": q}
        names = _names(products, _("nhiều đặc sản khác"))
        lead = _("Kết quả cho “%(q)s”: %(names)s") % {"q": q, "names": names}
        fallback = _("Tìm đặc sản từ các hợp tác xã vùng cao trên Chợ Phiên.")
    elif category is not None:
        title = category.display_name
        lead = _names(products, _("nhiều %(category)s khác") % {"category": category.display_name.lower()})
        fallback = _("%(category)s từ các hợp tác xã vùng cao.") % {"category": category.display_name}
    else:
        title = _("Tất cả sản phẩm")
        lead = _names(products, _("nhiều đặc sản khác từ các hợp tác xã vùng cao"))
        fallback = home_share()["description"]
    has_products = bool(products)
    return _common(title, _description(lead if has_products else fallback), _first_product_image(products))


def cooperative_list_share(cooperatives=()) -> dict:
    """The list of stalls previews with the first stall cover and the first stalls' names."""
    image = next(
        (found for stall in cooperatives or () if (found := _image(stall.cover_photo, stall.display_name))),
        None,
    )
    lead = _names(cooperatives, _("các hợp tác xã vùng cao khác, tự làm và tự giao hàng"))
    return _common(_("Các gian hàng trên Chợ Phiên"), _description(lead, home_share()["description"]), image)


def home_share() -> dict:
    return _common(
        _("Chợ Phiên — đặc sản từ các hợp tác xã vùng cao"),
        _("Mua chè, mật ong, thổ cẩm, gạo, gia vị trực tiếp từ các hợp tác xã đồng bào dân tộc vùng cao."),
        None,
    )


def _tagged(url: str, source: str) -> str:
    return f"{url}?{urlencode({'utm_source': source, 'utm_medium': 'share'})}"


def share_links(shared) -> dict:
    """Links for the share row of a product or a stall, in the page's language.

    The Zalo chat link needs the stall's mobile number; a number that is not a valid mobile
    (typed before numbers were checked) gets no link rather than a broken one.
    """
    url = absolute_url(shared.get_absolute_url())
    cooperative = getattr(shared, "cooperative", shared)
    try:
        chat = zalo_url(cooperative.phone) if cooperative.phone else ""
    except ValidationError:
        chat = ""
    return {
        "url": url,
        "title": shared.display_name,
        "zalo": f"{ZALO_SHARE}?{urlencode({'url': _tagged(url, 'zalo')})}",
        "facebook": f"{FACEBOOK_SHARE}?{urlencode({'u': _tagged(url, 'facebook')})}",
        "chat": chat,
    }
