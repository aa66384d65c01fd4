"""What a row's save keeps in sync, however it is saved (dashboard, admin, scripts): slugs, folded
search text, cleaned photos and their renditions, and the files a replaced photo leaves behind.

The models call these from `save()`. This module never imports the models (it works on the
instance it is given and its class), so the models need nothing from `services`, and the import
graph stays one-way: services → models → derived.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import models

from storefront.lib.catalogue_cache import catalogue_changed_now_and_at_commit
from storefront.lib.renditions import Renditions
from storefront.lib.text import search_text, vi_slugify
from storefront.lib.vietnam import PROVINCE_NAMES

from . import images

NAV_CACHE_KEY = "nav-categories-v1"
# The cooperative fields that products copy into their own search text.
PRODUCT_SEARCH_FIELDS = ("name", "name_en", "ethnic_groups")


def unique_slug(*, instance: models.Model, source: str, fallback: str) -> str:
    """A slug from Vietnamese text, made unique with -2, -3… and never changed once set."""
    if instance.slug:
        return instance.slug
    model = type(instance)
    max_length = model._meta.get_field("slug").max_length
    base = vi_slugify(source)[: max_length - 8].strip("-") or fallback
    taken = set(
        model.objects.filter(slug__startswith=base).exclude(pk=instance.pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def nav_categories_forget() -> None:
    """The header's category list is cached (products.selectors); a category save drops it."""
    cache.delete(NAV_CACHE_KEY)


def photo_prepare(*, instance: models.Model, field: str, meta_field: str) -> None:
    """Clean a newly assigned photo and make its renditions before the row is written; the files
    of the photo it replaces (or that was cleared) go once the save commits."""
    field_file = getattr(instance, field)
    is_new = bool(field_file) and not getattr(field_file, "_committed", True)
    if instance.pk and (is_new or (not field_file and getattr(instance, meta_field))):
        previous = type(instance).objects.filter(pk=instance.pk).values_list(field, meta_field).first()
        if previous and previous[0] and previous[0] != field_file.name:
            images.delete_files_on_commit(field_file.storage, Renditions.of(previous[1]).names(previous[0]))
    if is_new and instance.pk and getattr(instance, "upload_digest", ""):
        # The fingerprint named the file being replaced (an admin inline swapping the photo).
        instance.upload_digest = ""
    if not field_file:
        setattr(instance, meta_field, {})
    elif is_new:
        images.prepare_field(instance, field, meta_field)


def category_prepare(*, category: models.Model) -> None:
    category.slug = unique_slug(instance=category, source=category.name, fallback="danh-muc")


def category_after_save(*, category: models.Model) -> None:
    """The header's list changes at once; the products' search text is rebuilt by a job that
    products.signals queues after the commit."""
    nav_categories_forget()


def cooperative_prepare(*, cooperative: models.Model) -> bool:
    """Fill the slug and search text, tidy the bank details, and process new logo and cover photos.

    Returns whether its products' search text must be rebuilt after the save (products.signals
    queues the job): only when a field they copy changed, so editing bank details or a fee does not
    rewrite every product.
    """
    previous = (
        type(cooperative).objects.filter(pk=cooperative.pk).values_list(*PRODUCT_SEARCH_FIELDS).first()
        if cooperative.pk
        else None
    )
    products_stale = previous is not None and previous != tuple(
        getattr(cooperative, field) for field in PRODUCT_SEARCH_FIELDS
    )
    cooperative.slug = unique_slug(instance=cooperative, source=cooperative.name, fallback="hop-tac-xa")
    cooperative.search_text = search_text(
        cooperative.name,
        cooperative.name_en,
        cooperative.summary,
        cooperative.summary_en,
        cooperative.commune,
        cooperative.ethnic_groups,
        PROVINCE_NAMES.get(cooperative.province, ""),
        cooperative.phone,
        cooperative.email,
    )
    cooperative.bank_account_name = " ".join(cooperative.bank_account_name.upper().split())
    cooperative.bank_account_number = "".join(cooperative.bank_account_number.split())
    photo_prepare(instance=cooperative, field="logo", meta_field="logo_meta")
    photo_prepare(instance=cooperative, field="cover", meta_field="cover_meta")
    return products_stale


def product_search_parts(*, product: models.Model) -> tuple[str, ...]:
    """The texts a product is found by, in order (also read by migrations, on historical rows)."""
    coop = product.cooperative
    category = product.category if product.category_id else None
    return (
        product.name,
        product.name_en,
        product.summary,
        product.summary_en,
        product.story,
        product.story_en,
        product.unit,
        product.unit_en,
        product.ethnic_group,
        product.origin_commune,
        PROVINCE_NAMES.get(product.origin_province, ""),
        coop.name,
        coop.name_en,
        coop.ethnic_groups,
        category.name if category else "",
        category.name_en if category else "",
    )


def product_prepare(*, product: models.Model) -> None:
    product.slug = unique_slug(instance=product, source=product.name, fallback="san-pham")
    product.build_search_fields()


def product_search_refresh(*, products: Iterable[models.Model]) -> int:
    """Recompute folded search fields for many products in one UPDATE batch."""
    batch = []
    for product in products:
        product.build_search_fields()
        batch.append(product)
    if batch:
        type(batch[0]).objects.bulk_update(
            batch, ["search_name", "search_text", "search_marks", "search_exact"], batch_size=500
        )
        catalogue_changed_now_and_at_commit()
    return len(batch)
