"""Rules for cooperatives, categories and products that must hold however a row is saved."""

from django.db import models

from storefront.text import search_text, vi_slugify
from storefront.vietnam import PROVINCE_NAMES

from . import images


def unique_slug(instance: models.Model, source: str, *, fallback: str) -> str:
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


def category_prepare(category) -> None:
    category.slug = unique_slug(category, category.name, fallback="danh-muc")


def category_after_save(category) -> None:
    from .selectors import category_nav_forget

    category_nav_forget()
    product_search_refresh(category.products.select_related("category", "cooperative"))


def cooperative_prepare(cooperative) -> None:
    """Fill the slug and search text, and process newly uploaded logo and cover photos."""
    cooperative.slug = unique_slug(cooperative, cooperative.name, fallback="hop-tac-xa")
    cooperative.search_text = search_text(
        cooperative.name,
        cooperative.summary,
        cooperative.commune,
        cooperative.ethnic_groups,
        PROVINCE_NAMES.get(cooperative.province, ""),
        cooperative.phone,
        cooperative.email,
    )
    cooperative.bank_account_name = " ".join(cooperative.bank_account_name.upper().split())
    cooperative.bank_account_number = "".join(cooperative.bank_account_number.split())
    images.prepare_field(cooperative, "logo", "logo_meta")
    images.prepare_field(cooperative, "cover", "cover_meta")


def cooperative_after_save(cooperative) -> None:
    """Products carry the cooperative's name and peoples in their search text: refresh them."""
    product_search_refresh(cooperative.products.select_related("category", "cooperative"))


def product_prepare(product) -> None:
    product.slug = unique_slug(product, product.name, fallback="san-pham")
    product.build_search_fields()


def product_search_refresh(products) -> int:
    """Recompute folded search fields for many products in one UPDATE batch."""
    batch = []
    for product in products:
        product.build_search_fields()
        batch.append(product)
    if batch:
        type(batch[0]).objects.bulk_update(
            batch, ["search_name", "search_text", "search_exact"], batch_size=500
        )
    return len(batch)
