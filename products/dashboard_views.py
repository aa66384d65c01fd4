"""The producer dashboard, product side: listings, photos, the cooperative's profile and members.

Views stay thin: `permissions.dashboard_view` scopes each one to the cooperative being worked
on, forms parse input, `services` apply the rules. Every change is a POST.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from storefront.lib.links import safe_next

from . import selectors, services, uploads
from .forms import (
    CooperativeProfileForm,
    MembershipAddForm,
    PhotoFormSet,
    PhotoUploadForm,
    ProductForm,
    QuickUpdateForm,
)
from .models import Membership, Product, ProductImage
from .permissions import (
    OWNER_ROLES,
    choose_cooperative,
    dashboard_view,
    scoped_object_or_404,
    user_memberships,
)

PAGE_SIZE = 20
MAX_PENDING = services.MAX_PHOTOS_PER_PRODUCT
FILTERS = {
    "": lambda qs: qs.filter(is_archived=False),
    "published": lambda qs: qs.filter(is_archived=False, is_published=True),
    "hidden": lambda qs: qs.filter(is_archived=False, is_published=False),
    "low": lambda qs: qs.filter(is_archived=False, stock__lte=Product.LOW_STOCK),
    "archived": lambda qs: qs.filter(is_archived=True),
}


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


def _cooperative_products(request):
    return Product.objects.filter(cooperative=request.membership.cooperative)


def _listing(request, *, bound_form=None, bound_pk=None, status=200):
    """The product list. After a quick-edit mistake it is drawn at the row's POST URL, so the
    filter, the page and the way back come from the posted `next`, never from that URL."""
    list_url = reverse("dashboard:product-list")
    if bound_form is None:
        back, params = request.get_full_path(), request.GET
    else:
        back = safe_next(request, list_url)
        if urlsplit(back).path != list_url:
            back = list_url
        params = QueryDict(urlsplit(back).query)
    current = params.get("show", "")
    if current not in FILTERS:
        current = ""
    base = _cooperative_products(request)
    products = (
        FILTERS[current](base)
        .select_related("category")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
        .order_by("-updated_at", "-id")
    )
    page = Paginator(products, PAGE_SIZE).get_page(params.get("page"))
    qr_visits = selectors.qr_visit_totals(
        request.membership.cooperative, product_ids=[p.pk for p in page.object_list]
    )
    rows = []
    for product in page.object_list:
        product.qr_visits_30 = qr_visits.get(product.pk, 0)
        if bound_form is not None and product.pk == bound_pk:
            form = bound_form
        else:
            form = QuickUpdateForm(
                initial={
                    "price": product.price,
                    "stock": product.stock,
                    "stock_shown": product.stock,
                    "is_published": product.is_published,
                },
                prefix=f"p{product.pk}",
            )
        rows.append((product, form))
    counts = base.aggregate(
        active=Count("pk", filter=Q(is_archived=False)), archived=Count("pk", filter=Q(is_archived=True))
    )
    return render(
        request,
        "dashboard/product_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "show": current,
            "counts": counts,
            "query_string": {"show": current} if current else {},
            "list_url": list_url,
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
    services.product_quick_update(product=product, **form.cleaned_data)
    messages.success(request, _("Đã lưu %(name)s.") % {"name": product.name})
    _say_if_stock_moved(request, product, typed=form.cleaned_data["stock"])
    return redirect(safe_next(request, reverse("dashboard:product-list")) + f"#product-{product.pk}")


def _say_if_stock_moved(request, product: Product, *, typed: int) -> None:
    """Orders came in while the form was open: say why the stock is not the number typed."""
    if product.stock != typed:
        messages.info(
            request,
            _(
                "Trong lúc bạn sửa, %(name)s có người đặt mua nên kho bây giờ là %(stock)d "
                "(đã tính phần bạn thay đổi)."
            )
            % {"name": product.name, "stock": product.stock},
        )


def _pending_from_post(request) -> list[uploads.PendingPhoto]:
    """Photos kept from the previous submit, minus those the producer chose to drop."""
    dropped = set(request.POST.getlist("pending_remove"))
    kept = []
    for token in request.POST.getlist("pending")[:MAX_PENDING]:
        photo = uploads.pending_load(token, user_id=request.user.pk)
        if photo is None:
            continue
        if token in dropped:
            uploads.pending_discard(photo)
        else:
            kept.append(photo)
    return kept


def _product_form_page(request, product: Product | None):
    """Add or edit a product with its photos in one form.

    Valid photos are kept as pending uploads as soon as they arrive, so an error anywhere in the
    form never makes the producer pick and send them again.
    """
    cooperative = request.membership.cooperative
    photos_qs = product.images.order_by("position", "id") if product else ProductImage.objects.none()
    if request.method != "POST":
        return render(
            request,
            "dashboard/product_form.html",
            {
                "product": product,
                "form": ProductForm(instance=product, cooperative=cooperative),
                "photo_form": PhotoUploadForm(),
                "formset": PhotoFormSet(queryset=photos_qs, prefix="photo"),
                "pending": [],
                "dash_section": "products",
            },
        )

    form = ProductForm(request.POST, instance=product, cooperative=cooperative)
    formset = PhotoFormSet(request.POST, queryset=photos_qs, prefix="photo")
    pending = _pending_from_post(request)
    formset_valid = formset.is_valid()
    kept_existing = len(photos_qs) - (len(formset.deleted_forms) if formset_valid else 0)
    photo_form = PhotoUploadForm(request.POST, request.FILES, existing=kept_existing + len(pending))
    photos_valid = photo_form.is_valid()
    for upload in photo_form.valid_uploads:
        pending.append(uploads.pending_save(upload, user_id=request.user.pk))
    if not (form.is_valid() and formset_valid and photos_valid):
        if pending:
            messages.info(request, _("Ảnh bạn đã chọn được giữ lại, không cần chọn lại."))
        return render(
            request,
            "dashboard/product_form.html",
            {
                "product": product,
                "form": form,
                "photo_form": photo_form,
                "formset": formset,
                "pending": pending,
                "has_errors": True,
                "dash_section": "products",
            },
            status=400,
        )

    with transaction.atomic():
        saved = form.save()
        formset.save()
        files = [uploads.pending_open(photo) for photo in pending]
        try:
            services.product_photos_add(product=saved, uploads=files)
        finally:
            for file in files:
                file.close()
        services.product_photos_renumber(product=saved)
    for photo in pending:
        uploads.pending_discard(photo)
    if product is None:
        messages.success(request, _("Đã thêm %(name)s.") % {"name": saved.name})
    else:
        messages.success(request, _("Đã lưu %(name)s.") % {"name": saved.name})
        _say_if_stock_moved(request, saved, typed=form.cleaned_data["stock"])
        if form.unit_en_cleared:
            messages.warning(
                request,
                _(
                    "Bạn đã đổi đơn vị bán nên đơn vị tiếng Anh cũ đã được xoá. "
                    "Hãy nhập đơn vị mới bằng tiếng Anh trong phần Tiếng Anh nếu muốn."
                ),
            )
    return redirect("dashboard:product-list")


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
