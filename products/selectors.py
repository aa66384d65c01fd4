"""Read-side queries shared by pages. Query counts do not grow with the number of rows shown."""

import hashlib
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.utils import timezone

from storefront.lib.catalogue_cache import remembered
from storefront.lib.renditions import Renditions
from storefront.lib.text import fold
from storefront.lib.vietnam import PROVINCE_NAMES

from .derived import NAV_CACHE_KEY
from .models import STARS, Category, Cooperative, PostMade, Product, ProductImage, QrVisit, Ratings
from .search import corrected_query, filter_and_rank, search_plan, search_tiers

SORTS = {
    "newest": ("-created_at", "-id"),
    "price_asc": ("price", "id"),
    "price_desc": ("-price", "-id"),
}
# The dashboard shows poster visits over this many days, today included.
QR_COUNT_DAYS = 30
# A search stops counting past this many matches; the page then says "more than 1.000".
SEARCH_COUNT_CAP = 1000
# From this many matches a search page walks the date index rather than sorting every match.
WALK_FROM = 300


def category_list_for_nav() -> list[Category]:
    categories = cache.get(NAV_CACHE_KEY)
    if categories is None:
        categories = list(Category.objects.all())
        cache.set(NAV_CACHE_KEY, categories, 300)
    return categories


def _with_cards(queryset):
    """What a product card needs: its stall, its category and its photos, in two queries."""
    return queryset.select_related("cooperative", "category").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
    )


def product_public_base() -> QuerySet[Product]:
    return Product.objects.public()


def product_list_public(
    *,
    q: str = "",
    category: Category | None = None,
    province: str = "",
    people: str = "",
    sort: str = "newest",
) -> tuple["QuerySet[Product] | SearchResults", bool]:
    """The catalogue: public products, filtered, searched and sorted. Returns (queryset, ranked)."""
    queryset = product_public_base()
    if category is not None:
        queryset = queryset.filter(category=category)
    if province:
        queryset = queryset.filter(origin_province=province)
    if people:
        queryset = queryset.filter(ethnic_group=people)
    ranked = filter_and_rank(queryset, q) if q else None
    # The same search asked again (a common word, a shared link) is answered from the cache until
    # the catalogue changes: matching a common word costs more than the rest of the page.
    remember_as = "|".join([q, category.slug if category else "", province, people, sort]) if q else ""
    corrected = corrected_query(search_plan(queryset, q)) if ranked is not None else ""
    if ranked is not None and sort not in ("price_asc", "price_desc"):
        # Many matches: walk the date index tier by tier and stop early; few: rank them at once.
        walk = filter_and_rank(queryset, q, walk=True)
        tiers = search_tiers(queryset, q)
        return SearchResults(
            ranked, tiers=tiers, walk=walk, remember_as=remember_as, corrected=corrected
        ), True
    if ranked is not None:
        return SearchResults(
            ranked.order_by(*SORTS[sort]), remember_as=remember_as, corrected=corrected
        ), False
    # The catalogue too counts only up to the cap: COUNT(*) of 100,000 rows costs more than the page.
    # The count (not the order) is kept until the catalogue changes, like a stall's.
    count_as = "|".join(["catalogue", category.slug if category else "", province, people])
    return SearchResults(queryset.order_by(*SORTS.get(sort, SORTS["newest"])), count_as=count_as), False


class SearchResults:
    """Search results as the paginator uses them, cheap even when a word matches 30,000 products.

    count() stops at SEARCH_COUNT_CAP + 1, so the pager offers the pages up to the cap (and says
    "more than"): counting every match was a third of the time of a common-word search. With
    `tiers` (the ranking as disjoint conditions, best first), a page reads each tier newest first,
    which the date index serves, until it has enough rows, instead of ranking every match. Rows
    come last, only the page's, with what the cards need. `count_as` keeps only the count until
    the catalogue changes (a listing whose rows an index already serves in order).
    """

    def __init__(
        self,
        queryset,
        *,
        tiers=None,
        walk=None,
        remember_as: str = "",
        count_as: str = "",
        corrected: str = "",
    ):
        self.queryset = queryset
        # The query as searched when a typo was corrected, for the page to say so.
        self.corrected = corrected
        self.tiers = tiers
        # The same matches written for the walk (search._Fts5Member on SQLite).
        self.walk = walk if walk is not None else queryset
        # Set for searches: their count and page ids are kept until the catalogue changes.
        self.remember_as = hashlib.sha256(remember_as.encode()).hexdigest()[:32] if remember_as else ""
        self.count_as = hashlib.sha256(count_as.encode()).hexdigest()[:32] if count_as else ""
        self._count = None

    def _remembered(self, what: str, compute):
        return remembered(f"search:{self.remember_as}:{what}", compute) if self.remember_as else compute()

    def count(self) -> int:
        if self._count is None:
            if self.count_as:
                self._count = remembered(f"listing-count:{self.count_as}", self._capped_count)
            else:
                self._count = self._remembered("count", self._capped_count)
        return self._count

    def _capped_count(self) -> int:
        return self.queryset.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count() > SEARCH_COUNT_CAP

    def __len__(self) -> int:
        return self.count()

    def _ids(self, index: slice) -> list[int]:
        # Below a few hundred matches, ranking them all at once is the cheaper plan.
        few = self.count() <= WALK_FROM
        if few or not self.tiers or index.stop is None or index.step is not None:
            return list(self.queryset.values_list("pk", flat=True)[index])
        ids = []
        for tier in self.tiers:
            rows = self.walk.filter(tier).order_by(*SORTS["newest"]).values_list("pk", flat=True)
            ids += rows[: index.stop - len(ids)]
            if len(ids) >= index.stop:
                break
        return ids[index]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if not self.tiers and not self.remember_as:
            # Ordered by an index already: the page's rows in one query.
            return list(_with_cards(self.queryset)[index])
        ids = self._remembered(f"ids:{index.start}:{index.stop}:{index.step}", lambda: self._ids(index))
        if not ids:
            return []
        found = {p.pk: p for p in _with_cards(Product.objects.filter(pk__in=ids))}
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self):
        return iter(self[:])


def product_facets() -> dict:
    """Provinces and peoples that have public products, for the catalogue's filters (kept until
    the catalogue changes: two DISTINCT scans of every public product are not worth a page view)."""
    return remembered("facets", _product_facets)


def _product_facets() -> dict:
    # order_by(): the model's default ordering would make DISTINCT pairs of (value, date, id).
    base = product_public_base().order_by()
    provinces = sorted(base.values_list("origin_province", flat=True).distinct())
    # Sorted on the folded name: code-point order would put "Ê Đê" after every other people.
    peoples = sorted((p for p in base.values_list("ethnic_group", flat=True).distinct() if p), key=fold)
    return {
        "provinces": [(code, PROVINCE_NAMES.get(code, code)) for code in provinces],
        "peoples": peoples,
    }


def product_featured(*, limit: int = 8) -> list[Product]:
    """Featured products first, topped up with the newest so the home page is never bare."""
    return list(_with_cards(product_public_base().order_by("-is_featured", "-created_at", "-id"))[:limit])


def product_page_public(*, slug: str, more: int = 4) -> tuple[Product, list[Product]]:
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


def product_with_photos_public(*, slug: str) -> Product:
    """A public product with its stall and its photos in order; raises Product.DoesNotExist."""
    return (
        product_public_base()
        .select_related("cooperative")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
        .get(slug=slug)
    )


def cooperative_list_public() -> list[Cooperative]:
    """Verified stalls with how many products they sell (those counts kept until the catalogue
    changes: counting every stall's products is the costliest part of the page)."""
    stalls = list(Cooperative.objects.verified())
    counts = remembered("stall-counts", _stall_product_counts)
    for stall in stalls:
        stall.product_count = counts.get(stall.pk, 0)
    return stalls


def _stall_product_counts() -> dict[int, int]:
    rows = product_public_base().order_by().values("cooperative_id").annotate(n=Count("pk"))
    return {row["cooperative_id"]: row["n"] for row in rows}


def cooperative_detail_public(*, slug: str) -> Cooperative:
    """A verified stall, with `ratings` summed over its public products' star counts. The sums
    are kept until the catalogue changes (every review does): summing a stall of 12,000 products
    took 40 ms a page at 100,000. Raises Cooperative.DoesNotExist."""
    stall = Cooperative.objects.verified().get(slug=slug)
    stall.ratings = Ratings.of(remembered(f"stall-stars:{stall.pk}", lambda: _stall_star_sums(stall.pk)))
    return stall


def _stall_star_sums(cooperative_id: int) -> dict[int, int]:
    sums = {f"stars_{n}": Sum(f"stars_{n}", default=0) for n in STARS}
    row = product_public_base().filter(cooperative_id=cooperative_id).order_by().aggregate(**sums)
    return {n: row[f"stars_{n}"] for n in STARS}


def cooperative_products_public(*, cooperative: Cooperative) -> "SearchResults":
    """A stall's public products, newest first, counted only up to the cap like the catalogue (the
    count kept until the catalogue changes: counting a 12,000-product stall cost 8 ms a view)."""
    return SearchResults(
        product_public_base().filter(cooperative=cooperative).order_by(*SORTS["newest"]),
        count_as=f"stall:{cooperative.pk}",
    )


# The producer's product list, by the filter chosen at its top.
DASHBOARD_FILTERS = {
    "": Q(is_archived=False),
    "published": Q(is_archived=False, is_published=True),
    "hidden": Q(is_archived=False, is_published=False),
    "low": Q(is_archived=False, stock__lte=Product.LOW_STOCK),
    "archived": Q(is_archived=True),
}


def dashboard_products(*, cooperative: Cooperative, show: str = "") -> QuerySet[Product]:
    """A cooperative's products for its dashboard list (all of them, hidden and archived too),
    last changed first, with what a row shows."""
    return (
        Product.objects.filter(cooperative=cooperative)
        .filter(DASHBOARD_FILTERS[show])
        .select_related("category")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
        .order_by("-updated_at", "-id")
    )


def dashboard_product_counts(*, cooperative: Cooperative) -> dict:
    return Product.objects.filter(cooperative=cooperative).aggregate(
        active=Count("pk", filter=Q(is_archived=False)), archived=Count("pk", filter=Q(is_archived=True))
    )


def qr_visit_totals(
    *, cooperative: Cooperative, product_ids: Iterable[int] = (), days: int = QR_COUNT_DAYS
) -> dict:
    """Poster visits over the last `days` days, in one grouped query.

    Returns {"total": all of the stall's, "stall": the stall page's, product id: that product's}
    for the given products; missing keys mean no visit.
    """
    since = timezone.localdate() - timedelta(days=days - 1)
    rows = (
        QrVisit.objects.filter(cooperative=cooperative, day__gte=since)
        .values("product_id")
        .annotate(visits=Sum("count"))
        .order_by()
    )
    return _per_product_totals(rows, "visits", product_ids)


def _per_product_totals(rows, counted: str, product_ids: Iterable[int]) -> dict:
    """{"total": every row's, "stall": the stall's own (no product), product id: that product's}
    from rows grouped by product_id, for the products asked about."""
    wanted = set(product_ids)
    totals = {"total": 0, "stall": 0}
    for row in rows:
        totals["total"] += row[counted]
        if row["product_id"] is None:
            totals["stall"] = row[counted]
        elif row["product_id"] in wanted:
            totals[row["product_id"]] = row[counted]
    return totals


# A draft kept on the phone lives at most this long, so only products made this recently can
# be the one a kept add-form draft was for.
DRAFT_DAYS = 7


def product_form_saved_tokens(*, cooperative: Cooperative, product: Product | None) -> list[str]:
    """The one-time tokens of product forms that were saved, for the form page's draft on the
    phone: a draft typed in one of these forms went through, so it is not offered back."""
    if product is not None:
        return [product.last_edit_token] if product.last_edit_token else []
    since = timezone.now() - timedelta(days=DRAFT_DAYS)
    made = Product.objects.filter(cooperative=cooperative, created_at__gte=since).exclude(add_form_token="")
    return list(made.order_by("-created_at").values_list("add_form_token", flat=True)[:50])


def post_products() -> QuerySet[Product]:
    """Products with what their post shows: the stall, the category and the photos in order."""
    return Product.objects.select_related("cooperative", "category").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
    )


def product_is_public(*, product: Product) -> bool:
    """The ProductQuerySet.public() rule for a product already read, with its stall."""
    return product.is_published and not product.is_archived and product.cooperative.is_verified


def stall_post_facts(*, cooperative: Cooperative) -> tuple[int, Renditions | None]:
    """(public product count, the photo the stall's post shows): its cover, else its logo, else
    the first photo of its newest public product that has one."""
    public = Product.objects.public().filter(cooperative=cooperative)
    photo = cooperative.cover_photo or cooperative.logo_photo
    if not photo:
        image = (
            ProductImage.objects.filter(product__in=public)
            .order_by("-product__created_at", "-product_id", "position", "id")
            .first()
        )
        photo = image.photo if image else None
    return public.count(), photo or None


def post_made_totals(
    *, cooperative: Cooperative, product_ids: Iterable[int] = (), days: int = QR_COUNT_DAYS
) -> dict:
    """Posts made with the post kit over the last `days` days, in one grouped query; the same shape
    as qr_visit_totals: {"total": all of the stall's, "stall": the stall post's, product id: that
    product's} for the given products; missing keys mean none."""
    first_day = timezone.localdate() - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first_day, time.min))
    rows = (
        PostMade.objects.filter(cooperative=cooperative, created_at__gte=since)
        .values("product_id")
        .annotate(posts=Count("pk"))
        .order_by()
    )
    return _per_product_totals(rows, "posts", product_ids)
