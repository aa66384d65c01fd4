"""What the producer dashboard and the admin write: products and their photos, stock, stalls'
members, and the visits that come from printed posters. (What every save keeps in sync, however
it is made, is products.derived.)"""

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Max, ProtectedError, RestrictedError, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from storefront.lib.catalogue_cache import (
    catalogue_changed_now_and_at_commit,
    stock_changed_now_and_at_commit,
)
from storefront.lib.renditions import Renditions

from . import images, tasks, uploads
from .models import STARS, Cooperative, Membership, PostMade, Product, ProductImage, QrVisit

# The producer dashboard's rules: listings, photos and who belongs to a cooperative.

DUPLICATE_SUFFIX = _(" (bản sao)")
MAX_PHOTOS_PER_PRODUCT = 12


def _copy_stored_photo(field_file, photo: Renditions) -> tuple[str, Renditions]:
    """Copy a processed photo and its renditions byte for byte (no re-encoding)."""
    storage = field_file.storage

    def copy(name: str) -> str:
        with storage.open(name) as source:
            return storage.save(name, File(source))

    return copy(field_file.name), photo.renamed(copy)


@transaction.atomic
def product_duplicate(*, product: Product) -> Product:
    """A hidden copy of a product with its photos, to list another size of the same thing.

    The copy starts unpublished with no stock, so it never appears half-edited in the market.
    Photo files are copied, not shared: deleting a photo of one must not break the other.
    """
    source_images = list(product.images.all())
    copy = Product.objects.get(pk=product.pk)
    copy.pk = None
    copy._state.adding = True
    copy.slug = ""
    name_max = Product._meta.get_field("name").max_length
    suffix = str(DUPLICATE_SUFFIX)
    copy.name = product.name[: name_max - len(suffix)] + suffix
    copy.stock = 0
    copy.is_published = False
    copy.is_featured = False
    copy.is_archived = False
    copy.save()
    for image in source_images:
        name, photo = _copy_stored_photo(image.image, image.photo)
        ProductImage.objects.create(
            product=copy,
            image=name,
            image_meta=photo.to_meta(),
            alt_text=image.alt_text,
            position=image.position,
        )
    return copy


def product_has_history(*, product: Product) -> bool:
    """True when rows outside the catalogue (order lines) point at the product.

    Found through Django's relation registry rather than by importing the orders app, which
    the products app must never do.
    """
    for relation in Product._meta.related_objects:
        related = relation.related_model
        if related._meta.app_label == Product._meta.app_label or relation.many_to_many:
            continue
        if related._default_manager.filter(**{relation.field.name: product}).exists():
            return True
    return False


def product_archive(*, product: Product) -> Product:
    """Take a product off the market for good while keeping it for its order history."""
    product.is_archived = True
    product.is_published = False
    product.save(update_fields=["is_archived", "is_published", "updated_at"])
    return product


def product_restore(*, product: Product) -> Product:
    """Bring an archived product back, hidden until the producer publishes it again."""
    product.is_archived = False
    product.save(update_fields=["is_archived", "updated_at"])
    return product


def product_delete_or_archive(*, product: Product) -> str:
    """Delete a product nobody ordered; archive one that has orders. Returns what was done.

    Orders keep snapshots of name and price, but the producer and the admin still want to see
    which listing an order came from, so a product with history is archived, never deleted.
    """
    if product_has_history(product=product):
        product_archive(product=product)
        return "archived"
    try:
        with transaction.atomic():
            product.delete()
    except (ProtectedError, RestrictedError):
        product_archive(product=product)
        return "archived"
    return "deleted"


def product_stock_change(*, product: Product, shown: int | None, typed: int) -> int:
    """Apply the producer's stock edit as a change from what their form showed; returns the new stock.

    Orders take stock while a form is open, so writing the typed number back would sell the
    same units twice. Instead the difference (typed - shown) is added to whatever is in the
    database now, never going below 0: an untouched field changes nothing, "10 → 15" adds 5
    to what is left, and typing 0 always means sold out. Without ``shown`` (an old form) the
    typed number is taken as is.
    """
    rows = Product.objects.filter(pk=product.pk)
    if shown is None:
        rows.update(stock=typed, updated_at=timezone.now())
    elif typed != shown:
        rows.update(stock=Greatest(F("stock") + (typed - shown), Value(0)), updated_at=timezone.now())
    stock_changed_now_and_at_commit()
    product.stock = rows.values_list("stock", flat=True).get()
    return product.stock


@transaction.atomic
def product_quick_update(
    *, product: Product, price: int, stock: int, is_published: bool, stock_shown: int | None = None
) -> "ProductSaved":
    """Set price, stock and published state from the listing row, without the full form.

    Stock changes by the difference from ``stock_shown`` (see ``product_stock_change``). Raises
    ProductGone when the product was deleted meanwhile.
    """
    _lock(product)
    product.price = price
    product.is_published = is_published
    product.save(update_fields=["price", "is_published", "updated_at"])
    moved = product_stock_change(product=product, shown=stock_shown, typed=stock) != stock
    return ProductSaved(product=product, created=False, stock_moved=moved)


@dataclass(frozen=True)
class PhotoEdit:
    """What the form says about one of the product's photos: its description, place or removal."""

    image_id: int
    alt_text: str
    position: int
    delete: bool = False


@dataclass(frozen=True)
class ProductSaved:
    product: Product
    created: bool
    # A repeated submit of an add form that already made this product: nothing new was made.
    repeated: bool = False
    # Orders took stock while the form was open, so the stock is not the number typed.
    stock_moved: bool = False
    # New photos beyond MAX_PHOTOS_PER_PRODUCT (two forms adding photos at once).
    photos_left_out: int = 0

    @property
    def stock_moved_message(self) -> str:
        """Why the stock is not the number typed, for the person who typed it."""
        return _(
            "Trong lúc bạn sửa, %(name)s có người đặt mua nên kho bây giờ là %(stock)d "
            "(đã tính phần bạn thay đổi)."
        ) % {"name": self.product.name, "stock": self.product.stock}


class ProductGone(Exception):
    """The product was deleted (by someone else, a moment ago) while its form was being sent."""


# What a save writes besides the form's own fields: what derived.product_prepare computes, the
# time, and the edit token.
_ALWAYS_SAVED = (
    "slug",
    "search_name",
    "search_text",
    "search_exact",
    "updated_at",
    "last_edit_token",
    "last_edit_stock",
)


def product_save(
    *,
    product: Product,
    cooperative: Cooperative,
    fields: Collection[str],
    stock_shown: int | None,
    stock_typed: int,
    photo_edits: Sequence[PhotoEdit] = (),
    new_photos: Sequence[uploads.PendingPhoto] = (),
    dropped_photos: Sequence[uploads.PendingPhoto] = (),
    form_token: str = "",
) -> ProductSaved:
    """Save a product from a form (the dashboard's or the admin's) with its photos, in one
    transaction: all of it or none of it.

    `product` carries the form's cleaned values of `fields` (only those are written, so a change
    someone else made to another field meanwhile, an archive say, stands); `form_token` is the
    one-time token of the form as it was drawn. A new product joins `cooperative`, and a token that
    already made a product returns that product instead of a copy. An existing product's row is
    locked first, so two submits of the same edit (a double tap, two tabs) run one after the other:
    the stock changes by what the person changed (``product_stock_change``), and the same form sent
    again changes it only by what it says beyond the first submit; photo rows change by UPDATE and
    DELETE only (a photo the other submit removed is never written back); a new photo the product
    already has (the same file sent again) is not attached twice, and none beyond
    MAX_PHOTOS_PER_PRODUCT. Pending upload files go once the transaction commits.
    Raises ProductGone when the product was deleted meanwhile.
    """
    with transaction.atomic():
        for photo in dropped_photos:
            uploads.pending_discard(photo)
        if product._state.adding:
            saved = _product_create(product=product, cooperative=cooperative, add_form_token=form_token)
            if saved.repeated:
                for photo in new_photos:
                    uploads.pending_discard(photo)
                return saved
        else:
            saved = _product_update(
                product=product,
                fields=fields,
                stock_shown=stock_shown,
                stock_typed=stock_typed,
                form_token=form_token,
            )
        left_out = _photos_apply(product=saved.product, edits=photo_edits, new_photos=new_photos)
    return replace(saved, photos_left_out=left_out)


def _lock(product: Product) -> dict:
    """Lock the product's row for this transaction; ProductGone when it is no longer there."""
    row = (
        Product.objects.select_for_update().filter(pk=product.pk).values("last_edit_token", "last_edit_stock")
    )
    locked = row.first()
    if locked is None:
        raise ProductGone
    return locked


def _product_update(
    *, product: Product, fields: Collection[str], stock_shown: int | None, stock_typed: int, form_token: str
) -> ProductSaved:
    locked = _lock(product)
    if form_token and form_token == locked["last_edit_token"]:
        # This very form was saved already: only what it says beyond that first submit is new.
        stock_shown = locked["last_edit_stock"]
    product.last_edit_token = form_token or locked["last_edit_token"]
    product.last_edit_stock = stock_typed
    product.save(update_fields=[name for name in {*fields, *_ALWAYS_SAVED} if name != "stock"])
    product_stock_change(product=product, shown=stock_shown, typed=stock_typed)
    return ProductSaved(product=product, created=False, stock_moved=product.stock != stock_typed)


def _product_create(*, product: Product, cooperative: Cooperative, add_form_token: str) -> ProductSaved:
    first = _made_by(add_form_token=add_form_token)
    if first is not None:
        return ProductSaved(product=first, created=False, repeated=True)
    product.cooperative = cooperative
    product.add_form_token = add_form_token
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        # The same form's other submit committed first (PostgreSQL waits on the unique index).
        first = _made_by(add_form_token=add_form_token)
        if first is None:
            raise
        return ProductSaved(product=first, created=False, repeated=True)
    return ProductSaved(product=product, created=True)


def _made_by(*, add_form_token: str) -> Product | None:
    """The product an add form already made, whichever of the person's stalls they were on."""
    if not add_form_token:
        return None
    return Product.objects.filter(add_form_token=add_form_token).first()


def _photos_apply(*, product: Product, edits: Sequence[PhotoEdit], new_photos: Sequence) -> int:
    """Apply the photo rows and attach new photos; returns how many new ones found no room."""
    own = ProductImage.objects.filter(product=product)
    removed = [edit.image_id for edit in edits if edit.delete]
    if removed:
        own.filter(pk__in=removed).delete()
    for edit in edits:
        if not edit.delete:
            own.filter(pk=edit.image_id).update(alt_text=edit.alt_text, position=edit.position)
    known = set(own.exclude(upload_digest="").values_list("upload_digest", flat=True))
    last = own.aggregate(last=Max("position"))["last"]
    position = -1 if last is None else last
    room = MAX_PHOTOS_PER_PRODUCT - own.count()
    left_out = 0
    for photo in new_photos:
        uploads.pending_discard(photo)
        if photo.digest and photo.digest in known:
            continue
        if room <= 0:
            left_out += 1
            continue
        try:
            file = uploads.pending_open(photo)
        except FileNotFoundError:
            # Used and removed by the other submit of the same form.
            continue
        position += 1
        with file:
            # Cleaned already when it arrived: stored as the master now, renditions by a job.
            field = ProductImage._meta.get_field("image")
            name = field.generate_filename(None, f"{Path(file.name).stem[:60] or 'photo'}.webp")
            master = images.master_store(field.storage, name, file)
        image = ProductImage.objects.create(
            product=product,
            image=master.master,
            image_meta=master.to_meta(),
            position=position,
            upload_digest=photo.digest,
        )
        transaction.on_commit(partial(tasks.photo_renditions, image.pk), robust=True)
        known.add(photo.digest)
        room -= 1
    product_photos_renumber(product=product)
    return left_out


def product_photos_renumber(*, product: Product) -> None:
    """Positions 0, 1, 2… in the current order, so "first photo" is always position 0."""
    changed = []
    for index, image in enumerate(product.images.order_by("position", "id")):
        if image.position != index:
            image.position = index
            changed.append(image)
    if changed:
        ProductImage.objects.bulk_update(changed, ["position"])


def membership_add(*, cooperative: Cooperative, user: AbstractBaseUser, role: str) -> Membership:
    """Let an existing account work on the cooperative as a member or a helper."""
    if role not in (Membership.Role.MEMBER, Membership.Role.HELPER):
        raise ValidationError(_("Chỉ có thể thêm thành viên hoặc người hỗ trợ."), code="role")
    if Membership.objects.filter(cooperative=cooperative, user=user).exists():
        raise ValidationError(_("Người này đã ở trong gian hàng."), code="exists")
    try:
        with transaction.atomic():
            return Membership.objects.create(cooperative=cooperative, user=user, role=role)
    except IntegrityError:
        raise ValidationError(_("Người này đã ở trong gian hàng."), code="exists") from None


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove someone from a cooperative; the last owner stays, or nobody could manage it."""
    owners = list(
        Membership.objects.select_for_update()
        .filter(cooperative_id=membership.cooperative_id, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )
    if membership.role == Membership.Role.OWNER and owners == [membership.pk]:
        raise ValidationError(
            _("Không thể xoá chủ gian hàng cuối cùng. Nhờ quản trị chợ thêm chủ mới trước."),
            code="last_owner",
        )
    membership.delete()


# The visitor's marker of what a poster visit already counted today, in a small signed cookie
# rather than the database session: a scan must not write a session row.
QR_SEEN_COOKIE = "qr_seen"
QR_SEEN_SALT = "products.qr_seen"
# A visitor who scans a whole market table's posters stays well under this; the cookie stays small.
QR_SEEN_MAX = 50
# Things that follow a poster's link without anyone having scanned it, by their User-Agent: chat
# apps' and Facebook's link previews, search crawlers, scripts, headless browsers. Only those
# that say so; Zalo's in-app browser (where a scan from Zalo opens) is a real visitor. Robots
# write "bot" before "/", "-", ";" or ")" (Googlebot/2.1, AdsBot-Google, like TwitterBot): a bare
# "bot" would also catch phones such as the CUBOT P40. WhatsApp's own user agent is only its link
# preview: its links open in the phone's browser.
QR_NOT_A_SCAN = re.compile(
    r"bot[/\-;)]|bot$|crawler|spider|facebookexternalhit|facebot|whatsapp|preview|curl|wget"
    r"|python-requests|headlesschrome",
    re.I,
)


def qr_visitor_is_robot(*, user_agent: str) -> bool:
    return not user_agent or QR_NOT_A_SCAN.search(user_agent) is not None


def qr_visit_counts(*, user_agent: str, member_of: Callable[[], set[int]], cooperative_id: int) -> bool:
    """Whether a page opened from a poster's QR code is a buyer's scan: not a robot, and not one
    of the stall's own people checking their poster. `member_of` returns the ids of the visitor's
    cooperatives; it is called only for a visitor who may count, so robots cost no query."""
    if qr_visitor_is_robot(user_agent=user_agent):
        return False
    return cooperative_id not in member_of()


def qr_seen_max_age() -> int:
    """Seconds until local midnight: the marker is for today's counts only."""
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return max(60, int((midnight - now).total_seconds()))


def qr_visit_record(*, seen: str, cooperative_id: int, product_id: int | None = None) -> str | None:
    """Count a visit that came from a poster's QR code: once per visitor, object and day.

    `seen` is the visitor's marker ("" without one): the day and what it already counted that
    day, e.g. "2026-03-04:p12,c3". Returns the marker to give back to the visitor, or None when
    this visit was already counted (a reload, a second scan the same day).

    One conditional UPDATE … count + 1, and an INSERT for the day's first visit; when two first
    visits race, the unique constraint refuses the second INSERT and it falls back to the UPDATE.
    """
    today = timezone.localdate()
    marker = f"p{product_id}" if product_id else f"c{cooperative_id}"
    day, _colon, ids = seen.partition(":")
    counted = ids.split(",") if day == today.isoformat() and ids else []
    if marker in counted:
        return None
    rows = QrVisit.objects.filter(cooperative_id=cooperative_id, product_id=product_id, day=today)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                QrVisit.objects.create(
                    cooperative_id=cooperative_id, product_id=product_id, day=today, count=1
                )
        except IntegrityError:
            rows.update(count=F("count") + 1)
    return f"{today.isoformat()}:{','.join([*counted, marker][-QR_SEEN_MAX:])}"


# An order placed within a week of scanning a stall's poster counts as coming from that poster
# (the sales page's share of orders from QR posters). The stalls scanned lately go in a signed
# cookie, for the same reason as QR_SEEN_COOKIE; checkout reads it (orders.views.checkout).
QR_FROM_COOKIE = "qr_from"
QR_FROM_SALT = "products.qr_from"
QR_FROM_DAYS = 7
QR_FROM_MAX = 20


def qr_from_scans(*, scanned: str, now: int) -> list[tuple[int, int]]:
    """(stall, scan time) from the cookie's value ("12.1767225600,5.1767139200", epoch seconds,
    the latest first) for the scans of the last QR_FROM_DAYS days before `now`.

    Each stall keeps its own time: the cookie is signed anew at every scan, so its signature's
    age says only when the latest one was. An entry without a time (the format before), malformed
    or in the future counts for nothing."""
    window = timedelta(days=QR_FROM_DAYS).total_seconds()
    scans = []
    for entry in scanned.split(","):
        pk, _dot, at = entry.partition(".")
        if pk.isascii() and pk.isdigit() and at.isascii() and at.isdigit() and 0 <= now - int(at) <= window:
            scans.append((int(pk), int(at)))
    return scans[:QR_FROM_MAX]


def qr_from_ids(*, scanned: str, now: int) -> list[int]:
    """The stalls whose posters the visitor scanned in the last QR_FROM_DAYS days, the latest first."""
    return [pk for pk, _at in qr_from_scans(scanned=scanned, now=now)]


def qr_from_add(*, scanned: str, cooperative_id: int, now: int) -> str:
    """The cookie's new value after a scan of this stall's (or one of its products') poster at `now`."""
    others = [(pk, at) for pk, at in qr_from_scans(scanned=scanned, now=now) if pk != cooperative_id]
    return ",".join(f"{pk}.{at}" for pk, at in [(cooperative_id, now), *others][:QR_FROM_MAX])


# What buyers said about a product, in numbers (the reviews themselves belong to the reviews app).


def product_lock(*, product_id: int) -> None:
    """Hold the product's row until the transaction ends (PostgreSQL; SQLite's IMMEDIATE
    transactions already run writers one at a time), so two reviews saved at once recount the
    stars one after the other and neither count is lost."""
    list(Product.objects.select_for_update().filter(pk=product_id).values_list("pk", flat=True))


def product_ratings_set(*, product_id: int, spread: Mapping[int, int]) -> None:
    """Store how many visible reviews gave each number of stars ({5: 12, 4: 3, …}; missing = 0).

    One UPDATE, no save(): the search text and timestamps stay as they are. Pages showing the
    average are kept for visitors, so the catalogue's version changes now and at the commit.
    """
    Product.objects.filter(pk=product_id).update(
        **{f"stars_{n}": max(0, int(spread.get(n, 0))) for n in STARS}
    )
    catalogue_changed_now_and_at_commit()


def post_made_record(
    *, cooperative_id: int, product_id: int | None, shape: str, channel: str, token: str
) -> bool:
    """Count a post made with the post kit, once per tap: `token` names the tap, so the same submit
    sent again (a double tap, a retry on 3G) finds its row. Returns whether this call counted it."""
    try:
        with transaction.atomic():
            _row, created = PostMade.objects.get_or_create(
                token=token,
                defaults={
                    "cooperative_id": cooperative_id,
                    "product_id": product_id,
                    "shape": shape,
                    "channel": channel,
                },
            )
    except IntegrityError:
        # The same token raced in from a second request: that one counted it.
        return False
    return created
