from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from storefront.lib.links import set_canonical_query
from storefront.lib.page_cache import kept_for_visitors, not_kept
from storefront.lib.vietnam import PROVINCE_NAMES

from . import posters, selectors, services
from .models import Cooperative, Product
from .permissions import user_memberships

PAGE_SIZE = 12
MAX_QUERY_LENGTH = 200


# Control characters become spaces: nobody types them, and PostgreSQL refuses NUL in text.
_CONTROL_TO_SPACE = dict.fromkeys([*range(32), 127], " ")


def _clean_param(request, name: str, max_length: int = 100) -> str:
    return " ".join(request.GET.get(name, "").translate(_CONTROL_TO_SPACE).split())[:max_length]


def _count_poster_visit(request, response, cooperative_id: int, product_id: int | None = None) -> None:
    """Count a scan of a poster's QR code; the day's marker goes back in a small signed cookie
    (and the stall in a week-long one: `posters.remember_scan`). Only a GET with utm_source=qr
    reads or writes anything, so other visits keep their query budget and get no cookie. Robots
    and the stall's own people do not count; base.html has already read request.user."""
    if request.GET.get("utm_source") != "qr":
        return
    # Never kept, whatever the method: a HEAD kept here would answer the next scans unseen.
    not_kept(request)
    if request.method != "GET":
        return
    if not services.qr_visit_counts(
        user_agent=request.headers.get("User-Agent", ""),
        member_of=lambda: {m.cooperative_id for m in user_memberships(request.user)},
        cooperative_id=cooperative_id,
    ):
        return
    seen = request.get_signed_cookie(services.QR_SEEN_COOKIE, default="", salt=services.QR_SEEN_SALT)
    marker = services.qr_visit_record(seen=seen, cooperative_id=cooperative_id, product_id=product_id)
    if marker is not None:
        response.set_signed_cookie(
            services.QR_SEEN_COOKIE,
            marker,
            salt=services.QR_SEEN_SALT,
            max_age=services.qr_seen_max_age(),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    posters.remember_scan(request, response, cooperative_id=cooperative_id)


def _catalogue_filters(request, categories) -> dict:
    """The catalogue's query string, cleaned: unknown values fall back to "no filter"."""
    sort = _clean_param(request, "sort", 20)
    category_slug = _clean_param(request, "category")
    province = _clean_param(request, "province", 2)
    return {
        "q": _clean_param(request, "q", MAX_QUERY_LENGTH),
        "category": next((c for c in categories if c.slug == category_slug), None),
        "province": province if province in PROVINCE_NAMES else "",
        "people": _clean_param(request, "people"),
        "sort": sort if sort in selectors.SORTS else "",
    }


@kept_for_visitors
def product_list(request):
    categories = selectors.category_list_for_nav()
    filters = _catalogue_filters(request, categories)
    products, ranked = selectors.product_list_public(**{**filters, "sort": filters["sort"] or "newest"})
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    facets = selectors.product_facets()
    if filters["people"] not in facets["peoples"]:
        filters["people"] = ""
    params = {**filters, "category": filters["category"].slug if filters["category"] else ""}
    set_canonical_query(request, {**params, "sort": "", "page": page.number})
    return render(
        request,
        "products/product_list.html",
        {
            **filters,
            "page_obj": page,
            "products": page.object_list,
            "ranked": ranked,
            "corrected": getattr(products, "corrected", ""),
            # A search stops counting at the cap: say "more than 1.000" rather than a wrong figure.
            "more_than": selectors.SEARCH_COUNT_CAP if getattr(products, "is_capped", False) else None,
            "categories": categories,
            "facets": facets,
            "query_string": {k: v for k, v in params.items() if v},
        },
    )


@kept_for_visitors
def product_detail(request, slug: str):
    try:
        product, more = selectors.product_page_public(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    response = render(
        request,
        "products/product_detail.html",
        {"product": product, "images": list(product.images.all()), "more": more},
    )
    _count_poster_visit(request, response, product.cooperative_id, product.pk)
    return response


@kept_for_visitors
def cooperative_list(request):
    return render(
        request, "products/cooperative_list.html", {"cooperatives": selectors.cooperative_list_public()}
    )


@kept_for_visitors
def cooperative_detail(request, slug: str):
    try:
        cooperative = selectors.cooperative_detail_public(slug=slug)
    except Cooperative.DoesNotExist:
        raise Http404 from None
    page = Paginator(selectors.cooperative_products_public(cooperative=cooperative), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    set_canonical_query(request, {"page": page.number})
    response = render(
        request,
        "products/cooperative_detail.html",
        {"cooperative": cooperative, "page_obj": page, "products": page.object_list},
    )
    _count_poster_visit(request, response, cooperative.pk)
    return response
