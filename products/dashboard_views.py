"""The producer dashboard, product side: listings, photos, the cooperative's profile and members.

Views stay thin: `permissions.dashboard_view` scopes each one to the cooperative being worked
on, forms parse input, `services` apply the rules. Every change is a POST.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from storefront.lib.links import safe_next

from . import selectors, services, uploads
from .forms import (
    CooperativeProfileForm,
    MembershipAddForm,
    OnePhotoForm,
    ProductPageForms,
    QuickUpdateForm,
)
from .models import Membership, Product
from .permissions import (
    OWNER_ROLES,
    choose_cooperative,
    dashboard_view,
    scoped_object_or_404,
    user_memberships,
)

PAGE_SIZE = 20
# The one-time tokens of the product forms this browser saved lately (see _remember_saved_form).
SAVED_FORMS_KEY = "product_forms_saved"
SAVED_FORMS_KEPT = 30


@login_required
@require_http_methods(["GET", "POST"])
def choose(request):
    """Pick which cooperative to work on, for people who belong to several."""
    memberships = user_memberships(request.user)
    if not memberships:
        return render(request, "dashboard/no_cooperative.html", status=403)
    if request.method == "POST":
        try:
            cooperative_id = int(request.POST.get("cooperative", ""))
        except ValueError:
            return HttpResponseBadRequest()
        membership = choose_cooperative(request, cooperative_id)
        messages.success(
            request, _("Bạn đang làm việc với %(name)s.") % {"name": membership.cooperative.name}
        )
        return redirect(safe_next(request, reverse("dashboard:home")))
    return render(
        request,
        "dashboard/choose.html",
        {"memberships": memberships, "next": safe_next(request, "")},
    )


def _listing_state(request, *, bound: bool) -> tuple[str, QueryDict]:
    """Where the list returns to and the filter and page it shows. After a quick-edit mistake the
    list is drawn at the row's POST URL, so they come from the posted `next`, never that URL."""
    list_url = reverse("dashboard:product-list")
    if not bound:
        return request.get_full_path(), request.GET
    back = safe_next(request, list_url)
    if urlsplit(back).path != list_url:
        back = list_url
    return back, QueryDict(urlsplit(back).query)


def _listing(request, *, bound_form=None, bound_pk=None, status=200):
    """The product list, with a quick-edit form on each row (the one that failed as it was typed)."""
    back, params = _listing_state(request, bound=bound_form is not None)
    cooperative = request.membership.cooperative
    current = params.get("show", "") if params.get("show", "") in selectors.DASHBOARD_FILTERS else ""
    products = selectors.dashboard_products(cooperative=cooperative, show=current)
    page = Paginator(products, PAGE_SIZE).get_page(params.get("page"))
    shown = [p.pk for p in page]
    qr_visits = selectors.qr_visit_totals(cooperative=cooperative, product_ids=shown)
    posts_made = selectors.post_made_totals(cooperative=cooperative, product_ids=shown)
    rows = []
    for product in page.object_list:
        product.qr_visits_30 = qr_visits.get(product.pk, 0)
        product.posts_made_30 = posts_made.get(product.pk, 0)
        form = bound_form if product.pk == bound_pk else QuickUpdateForm.for_product(product)
        rows.append((product, form))
    return render(
        request,
        "dashboard/product_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "show": current,
            "counts": selectors.dashboard_product_counts(cooperative=cooperative),
            "query_string": {"show": current} if current else {},
            "list_url": reverse("dashboard:product-list"),
            "back": back,
            "dash_section": "products",
        },
        status=status,
    )


@dashboard_view()
def product_list(request):
    return _listing(request)


@dashboard_view()
@require_POST
def product_quick_update(request, pk: int):
    """Save one row of the listing; on a mistake show the list again with the row as typed."""
    product = scoped_object_or_404(request, Product.objects.select_related("cooperative", "category"), pk=pk)
    form = QuickUpdateForm(request.POST, prefix=f"p{product.pk}")
    if not form.is_valid():
        messages.error(request, _("Chưa lưu %(name)s: hãy sửa ô được đánh dấu.") % {"name": product.name})
        return _listing(request, bound_form=form, bound_pk=product.pk, status=400)
    try:
        saved = services.product_quick_update(product=product, **form.cleaned_data)
    except services.ProductGone:
        raise Http404 from None
    messages.success(request, _("Đã lưu %(name)s.") % {"name": product.name})
    if saved.stock_moved:
        messages.info(request, saved.stock_moved_message)
    return redirect(safe_next(request, reverse("dashboard:product-list")) + f"#product-{product.pk}")


def _product_form_page(request, product: Product | None):
    """Add or edit a product with its photos in one form."""
    cooperative = request.membership.cooperative
    bound = {"data": request.POST, "files": request.FILES} if request.method == "POST" else {}
    page = ProductPageForms(product=product, cooperative=cooperative, user_id=request.user.pk, **bound)
    if not page.valid:
        if page.pending:
            messages.info(request, _("Ảnh bạn đã chọn được giữ lại, không cần chọn lại."))
        saved_tokens = selectors.product_form_saved_tokens(cooperative=cooperative, product=product)
        saved_tokens += request.session.get(SAVED_FORMS_KEY, [])
        return render(
            request,
            "dashboard/product_form.html",
            {
                "product": product,
                **page.context(),
                "has_errors": bool(bound),
                "saved_tokens": " ".join(saved_tokens),
                "max_photos": services.MAX_PHOTOS_PER_PRODUCT,
                "dash_section": "products",
            },
            status=400 if bound else 200,
        )
    try:
        saved = services.product_save(cooperative=cooperative, **page.saved_as())
    except services.ProductGone:
        raise Http404 from None
    _say_saved(request, saved, unit_en_cleared=page.form.unit_en_cleared)
    _remember_saved_form(request, page.form.cleaned_data["form_token"])
    if saved.repeated:
        return redirect("dashboard:product-edit", pk=saved.product.pk)
    return redirect("dashboard:product-list")


@dashboard_view()
@require_POST
def photo_upload(request):
    """One photo of the add/edit form, sent by the page's script as soon as it is chosen: checked
    and cleaned like the form's own photos and kept as a pending upload, whose token the form is
    then submitted with. The same photo sent again (a retry) answers the same pending photo."""
    form = OnePhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": form.error_text()}, status=400)
    photo = uploads.pending_save(
        form.cleaned_data["photo"], user_id=request.user.pk, cooperative_id=request.membership.cooperative_id
    )
    return JsonResponse({"token": photo.token, "preview": photo.preview_url, "name": photo.original_name})


def _remember_saved_form(request, token: str) -> None:
    """This browser's saved forms, for its drafts on the phone: a product's row keeps only its
    last edit's token and none once deleted, so a draft saved before another edit, or of a
    product since deleted, would otherwise be offered back as unsaved."""
    if token:
        saved = [*request.session.get(SAVED_FORMS_KEY, []), token]
        request.session[SAVED_FORMS_KEY] = saved[-SAVED_FORMS_KEPT:]


def _say_saved(request, saved: services.ProductSaved, *, unit_en_cleared: bool) -> None:
    name = saved.product.name
    if saved.repeated:
        messages.info(
            request,
            _(
                "%(name)s đã được thêm ở lần bấm trước, đây là sản phẩm đó: không có bản sao nào. "
                "Nếu bạn vừa sửa gì thêm, hãy sửa lại ở đây."
            )
            % {"name": name},
        )
        return
    if saved.created:
        messages.success(request, _("Đã thêm %(name)s.") % {"name": name})
    else:
        messages.success(request, _("Đã lưu %(name)s.") % {"name": name})
    if saved.stock_moved:
        messages.info(request, saved.stock_moved_message)
    if saved.photos_left_out:
        messages.warning(
            request,
            _("Mỗi sản phẩm có tối đa %(max)s ảnh: %(extra)s ảnh cuối chưa được thêm.")
            % {"max": services.MAX_PHOTOS_PER_PRODUCT, "extra": saved.photos_left_out},
        )
    if unit_en_cleared:
        messages.warning(
            request,
            _(
                "Bạn đã đổi đơn vị bán nên đơn vị tiếng Anh cũ đã được xoá. "
                "Hãy nhập đơn vị mới bằng tiếng Anh trong phần Tiếng Anh nếu muốn."
            ),
        )


@dashboard_view()
@require_http_methods(["GET", "POST"])
def product_create(request):
    return _product_form_page(request, None)


@dashboard_view()
@require_http_methods(["GET", "POST"])
def product_edit(request, pk: int):
    product = scoped_object_or_404(request, Product.objects.select_related("cooperative", "category"), pk=pk)
    return _product_form_page(request, product)


@dashboard_view()
@require_POST
def product_duplicate(request, pk: int):
    product = scoped_object_or_404(request, Product.objects.all(), pk=pk)
    copy = services.product_duplicate(product=product)
    messages.success(
        request,
        _("Đã tạo bản sao (đang ẩn, kho 0). Hãy sửa tên, đơn vị và giá cho cỡ mới rồi bật bán."),
    )
    return redirect("dashboard:product-edit", pk=copy.pk)


@dashboard_view()
@require_http_methods(["GET", "POST"])
def product_delete(request, pk: int):
    """Ask first; then delete, or archive when the product has orders."""
    product = scoped_object_or_404(request, Product.objects.all(), pk=pk)
    has_history = services.product_has_history(product=product)
    if request.method == "POST":
        name = product.name
        outcome = services.product_delete_or_archive(product=product)
        if outcome == "archived":
            messages.success(
                request, _("%(name)s đã có đơn hàng nên được lưu trữ thay vì xoá.") % {"name": name}
            )
        else:
            messages.success(request, _("Đã xoá %(name)s.") % {"name": name})
        return redirect("dashboard:product-list")
    return render(
        request,
        "dashboard/product_delete.html",
        {"product": product, "has_history": has_history, "dash_section": "products"},
    )


@dashboard_view()
@require_POST
def product_restore(request, pk: int):
    product = scoped_object_or_404(request, Product.objects.select_related("cooperative", "category"), pk=pk)
    services.product_restore(product=product)
    messages.success(
        request,
        _("Đã đưa %(name)s trở lại danh sách (đang ẩn, bật bán khi sẵn sàng).") % {"name": product.name},
    )
    return redirect("dashboard:product-list")


@dashboard_view(roles=OWNER_ROLES)
@require_http_methods(["GET", "POST"])
def cooperative_profile(request):
    """The owner's page for the stall's story, contact, bank account and shipping fees."""
    cooperative = request.membership.cooperative
    if request.method == "POST":
        form = CooperativeProfileForm(request.POST, request.FILES, instance=cooperative)
        if form.is_valid():
            form.save()
            messages.success(request, _("Đã lưu thông tin gian hàng."))
            return redirect("dashboard:profile")
        return render(
            request, "dashboard/profile.html", {"form": form, "dash_section": "profile"}, status=400
        )
    return render(
        request,
        "dashboard/profile.html",
        {"form": CooperativeProfileForm(instance=cooperative), "dash_section": "profile"},
    )


def _members_page(request, form, status=200):
    members = list(
        Membership.objects.filter(cooperative=request.membership.cooperative)
        .select_related("user")
        .order_by("role", "user__username")
    )
    owner_count = sum(1 for m in members if m.role == Membership.Role.OWNER)
    return render(
        request,
        "dashboard/members.html",
        {"members": members, "owner_count": owner_count, "form": form, "dash_section": "members"},
        status=status,
    )


@dashboard_view(roles=OWNER_ROLES)
@require_http_methods(["GET", "POST"])
def members(request):
    """Who works on this stall; the owner adds existing accounts as members or helpers."""
    if request.method != "POST":
        return _members_page(request, MembershipAddForm())
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(
                cooperative=request.membership.cooperative, user=form.user, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            form.add_error("identifier", error)
        else:
            messages.success(request, _("Đã thêm %(user)s.") % {"user": form.user.get_username()})
            return redirect("dashboard:members")
    return _members_page(request, form, status=400)


@dashboard_view(roles=OWNER_ROLES)
@require_POST
def member_remove(request, pk: int):
    membership = scoped_object_or_404(request, Membership.objects.select_related("user"), pk=pk)
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Đã bỏ %(user)s khỏi gian hàng.") % {"user": membership.user.get_username()}
        )
        if membership.user_id == request.user.pk:
            return redirect("dashboard:home")
    return redirect("dashboard:members")
