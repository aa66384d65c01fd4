"""The buyer's review form (reached from the order page, so only by the browser that may open the
order) and the stall's reviews in the dashboard. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from orders.access import may_see_order
from orders.choices import Status
from orders.services import order_code_normalize
from products.permissions import ORDER_ROLES, dashboard_view, scoped_object_or_404

from . import selectors, services
from .exceptions import EditWindowClosed, NotDelivered, ReviewRefused
from .forms import ReplyForm, ReviewForm
from .models import EDIT_DAYS, Review


def _see_other(url: str) -> HttpResponseRedirect:
    """Redirect after POST with 303, so a reload never posts again."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _refused(request, *, code: str, message, status: int):
    """A review that cannot be written here, said plainly, with the way back to the order."""
    return render(request, "reviews/refused.html", {"code": code, "message": message}, status=status)


def _order_url(code: str, item_id: int) -> str:
    return f"{reverse('orders:order-detail', args=[code])}#review-item-{item_id}"


def _line_or_refusal(request, code: str, item_id: int):
    """(order line, its review, None) when this browser may review it; else (None, None, answer)."""
    if not may_see_order(request, code):
        return None, None, render(request, "orders/order_elsewhere.html", {"code": code}, status=404)
    item = selectors.order_item_for_buyer(code=code, item_id=item_id)
    if item is None:
        message = _("Không tìm thấy sản phẩm này trong đơn %(code)s. Hãy mở đánh giá từ trang đơn hàng.")
        return None, None, _refused(request, code=code, message=message % {"code": code}, status=404)
    review = selectors.review_of_item(item=item)
    if item.cooperative_order.status != Status.DELIVERED:
        return None, None, _refused(request, code=code, message=NotDelivered().message, status=403)
    if review is not None and not review.is_editable():
        return (
            None,
            None,
            _refused(request, code=code, message=EditWindowClosed(EDIT_DAYS).message, status=403),
        )
    return item, review, None


def _form_for(request, item, review) -> ReviewForm:
    """The form as the buyer left it: their review when there is one, else the default name."""
    initial = {"author_name": services.review_default_name(item=item)}
    if review is not None:
        initial = {"stars": review.stars, "text": review.text, "author_name": review.author_name}
    return ReviewForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial=initial,
        existing_photos=list(review.photos.all()) if review else [],
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def review_form(request, code: str, item_id: int):
    code = order_code_normalize(raw=code)
    item, review, refusal = _line_or_refusal(request, code, item_id)
    if refusal is not None:
        return refusal
    form = _form_for(request, item, review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.review_save(
                item=item,
                stars=data["stars"],
                text=data["text"],
                author_name=data["author_name"],
                photos=form.valid_uploads,
                remove_photo_ids=data["remove_photos"],
            )
        except ReviewRefused as error:
            return _refused(request, code=code, message=error.message, status=error.status)
        thanks = _("Cảm ơn bạn! Đánh giá đã hiện trên trang sản phẩm.")
        messages.success(request, thanks if saved.created else _("Đã lưu đánh giá của bạn."))
        return _see_other(_order_url(code, item.pk))
    context = {"form": form, "item": item, "review": review, "photos": form.existing_photos, "code": code}
    return render(request, "reviews/review_form.html", context, status=400 if form.is_bound else 200)


@dashboard_view()
@require_safe
def dashboard_list(request):
    cooperative = request.membership.cooperative
    show = request.GET.get("show", "")
    show = show if show in selectors.DASHBOARD_FILTERS else ""
    reviews = selectors.dashboard_reviews(cooperative=cooperative, show=show)
    page = Paginator(reviews, selectors.DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "reviews": page.object_list,
        "show": show,
        "counts": selectors.dashboard_review_counts(cooperative=cooperative),
        "may_reply": request.membership.role in ORDER_ROLES,
        "dash_section": "reviews",
        "query_string": {"show": show} if show else {},
    }
    return render(request, "reviews/dashboard/list.html", context)


@dashboard_view(roles=ORDER_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard_reply(request, pk: int):
    review = scoped_object_or_404(request, Review.objects.select_related("product"), pk=pk)
    form = ReplyForm(request.POST if request.method == "POST" else None, initial={"reply": review.reply})
    if request.method == "POST" and form.is_valid():
        services.review_reply(review=review, text=form.cleaned_data["reply"], user=request.user)
        messages.success(request, _("Đã lưu câu trả lời.") if review.reply else _("Đã bỏ câu trả lời."))
        return _see_other(f"{reverse('dashboard-reviews:list')}#review-{review.pk}")
    context = {"form": form, "review": review, "dash_section": "reviews"}
    return render(request, "reviews/dashboard/reply.html", context, status=400 if form.is_bound else 200)
