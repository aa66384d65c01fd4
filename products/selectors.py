"""Read-side queries shared by pages. Query counts do not grow with the number of rows shown."""

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, prefetch_related_objects

from storefront.text import fold
from storefront.vietnam import PROVINCE_NAMES

from .models import Category, Cooperative, Product, ProductImage
from .search import filter_and_rank

NAV_CACHE_KEY = "nav-categories-v1"
SORTS = {
    "newest": ("-created_at", "-id"),
    "price_asc": ("price", "id"),
    "price_desc": ("-price", "-id"),
}


def category_list_for_nav() -> list[Category]:
    categories = cache.get(NAV_CACHE_KEY)
    if categories is None:
        categories = list(Category.objects.all())
        cache.set(NAV_CACHE_KEY, categories, 300)
    return categories


def category_nav_forget() -> None:
    cache.delete(NAV_CACHE_KEY)


def _with_cards(queryset):
    """What a product card needs: its stall, its category and its photos, in two queries."""
    return queryset.select_related("cooperative", "category").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
    )


def product_public_base():
    return Product.objects.public()


def product_list_public(
    *,
    q: str = "",
    category: Category | None = None,
    province: str = "",
    people: str = "",
    sort: str = "newest",
):
    """The catalogue: public products, filtered, searched and sorted. Returns (queryset, ranked)."""
    queryset = product_public_base()
    if category is not None:
        queryset = queryset.filter(category=category)
    if province:
        queryset = queryset.filter(origin_province=province)
    if people:
        queryset = queryset.filter(ethnic_group=people)
    ranked = filter_and_rank(queryset, q) if q else None
    if ranked is not None and sort not in ("price_asc", "price_desc"):
        return _with_cards(ranked), True
    if ranked is not None:
        queryset = ranked
    return _with_cards(queryset.order_by(*SORTS.get(sort, SORTS["newest"]))), False


def product_facets() -> dict:
    """Provinces and peoples that have public products, for the catalogue's filters."""
    base = product_public_base()
    provinces = sorted(set(base.values_list("origin_province", flat=True).distinct()))
    # Sorted on the folded name: code-point order would put "Ê Đê" after every other people.
    peoples = sorted((p for p in set(base.values_list("ethnic_group", flat=True).distinct()) if p), key=fold)
    return {
        "provinces": [(code, PROVINCE_NAMES.get(code, code)) for code in provinces],
        "peoples": peoples,
    }


def product_featured(*, limit: int = 8) -> list[Product]:
    """Featured products first, topped up with the newest so the home page is never bare."""
    return list(_with_cards(product_public_base().order_by("-is_featured", "-created_at", "-id"))[:limit])


def product_page_public(slug: str, *, more: int = 4) -> tuple[Product, list[Product]]:
    """A public product and a few more from its stall, with the photos of all of them.

    The photos come in one query for the product and its neighbours together, so the page runs
    the same queries whether the stall has other products or not (an empty prefetch is skipped).
    Raises Product.DoesNotExist for a missing or hidden product.
    """
    public = product_public_base().select_related("cooperative", "category")
    product = public.get(slug=slug)
    others = list(public.filter(cooperative_id=product.cooperative_id).exclude(pk=product.pk)[:more])
    prefetch_related_objects(
        [product, *others], Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
    )
    return product, others


def cooperative_list_public():
    return Cooperative.objects.verified().annotate(
        product_count=Count(
            "products",
            filter=Q(products__is_published=True, products__is_archived=False),
        )
    )


def cooperative_detail_public(slug: str) -> Cooperative:
    return Cooperative.objects.verified().get(slug=slug)


def cooperative_products_public(cooperative: Cooperative):
    return _with_cards(product_public_base().filter(cooperative=cooperative))
