"""Read-side queries for reviews: the product page's, the order page's and the dashboard's.
Each runs the same few queries whatever the number of reviews, photos or lines shown."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from orders.models import Order, OrderItem
from products.models import Cooperative, Product

from .models import Review, ReviewPhoto

PAGE_SIZE = 5
DASHBOARD_PAGE_SIZE = 10
DASHBOARD_FILTERS = {"": {}, "unanswered": {"reply": ""}, "hidden": {"is_hidden": True}}


def _photos() -> Prefetch:
    return Prefetch("photos", queryset=ReviewPhoto.objects.order_by("position", "id"))


def product_reviews_page(*, product: Product, page: str | int | None) -> Page | None:
    """A page of a product's visible reviews, newest first, with their photos (three queries:
    the count, the rows, the photos); None, with no query, when the product has no review.
    A page number that is not one (`abc`, `-1`, `999`) gets the nearest page that exists."""
    if not product.rating_count:
        return None
    reviews = Review.objects.visible().filter(product=product).prefetch_related(_photos())
    return Paginator(reviews, PAGE_SIZE).get_page(page)


def reviews_for_order(*, order: Order) -> dict[int, Review]:
    """The order's reviews by order line id, in one query (hidden ones too: their buyer sees them)."""
    reviews = Review.objects.filter(order_item__cooperative_order__order=order)
    return {review.order_item_id: review for review in reviews}


def order_item_for_buyer(*, code: str, item_id: int) -> OrderItem | None:
    """A line of the order with that code, with its part, order and product; None when the line
    is not in that order (a forged or mistyped address)."""
    return (
        OrderItem.objects.select_related("cooperative_order__order", "product")
        .filter(pk=item_id, cooperative_order__order__code=code)
        .first()
    )


def review_of_item(*, item: OrderItem) -> Review | None:
    return Review.objects.filter(order_item=item).prefetch_related(_photos()).first()


def dashboard_reviews(*, cooperative: Cooperative, show: str = "") -> QuerySet[Review]:
    """A stall's reviews for its dashboard, newest first, hidden ones too (marked), with photos."""
    return (
        Review.objects.filter(cooperative=cooperative, **DASHBOARD_FILTERS.get(show, {}))
        .select_related("product")
        .prefetch_related(_photos())
        .order_by("-created_at", "-id")
    )


def dashboard_review_counts(*, cooperative: Cooperative) -> dict:
    return Review.objects.filter(cooperative=cooperative).aggregate(
        total=Count("pk"),
        unanswered=Count("pk", filter=Q(reply="")),
        hidden=Count("pk", filter=Q(is_hidden=True)),
    )
