"""The post kit's dashboard pages: a ready post for a product or for the stall, its pictures, the
download (which counts the post) and the count of a post handed to the phone's share sheet.

Every member of the stall may use them, helpers included: making posts is listing work. Products
are looked up through the user's own memberships, so another stall's product answers 404.
"""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from storefront.lib.tokens import token_new

from . import postkit, selectors, services, tasks
from .forms import PostMadeForm
from .models import PostMade, Product
from .permissions import dashboard_view, scoped_object_or_404

NOT_COUNTED = gettext_lazy("Không ghi nhận được lượt đăng này. Hãy tải lại trang rồi thử lại.")


def _product(request, pk: int) -> Product:
    return scoped_object_or_404(request, selectors.post_products(), pk=pk)


def _ready(subject: postkit.Subject) -> bool:
    """Whether the pictures are stored; if not, they are asked for (at once where jobs run
    in-process, as in tests and `make run` without a worker)."""
    if postkit.images_ready(subject):
        return True
    tasks.post_images_queue(subject)
    return postkit.images_ready(subject)


def _shapes(subject: postkit.Subject, url_name: str, args: list) -> list[dict]:
    """Each picture with its size, its preview's and file's addresses and its download form."""
    shapes = []
    for shape, (height, _panel) in postkit.SHAPES.items():
        file_url = f"{url_name}-file"
        shapes.append(
            {
                "shape": shape,
                "width": postkit.WIDTH,
                "height": height,
                "preview": reverse(file_url, args=[*args, subject.file_name(shape, preview=True)]),
                "full": reverse(file_url, args=[*args, subject.file_name(shape)]),
                "download": reverse(f"{url_name}-download", args=[*args, shape]),
                "filename": subject.download_name(shape),
                "token": token_new(),
            }
        )
    return shapes


def _kit(request, subject: postkit.Subject, *, public: bool, url_name: str, args: list):
    """The kit: both pictures (or a wait while the job draws them), the captions, the count."""
    ready = public and _ready(subject)
    counted = selectors.post_made_totals(cooperative=request.membership.cooperative, product_ids=[subject.pk])
    return render(
        request,
        "dashboard/post_kit.html",
        {
            "subject": subject,
            "public": public,
            "ready": ready,
            "shapes": _shapes(subject, url_name, args),
            "captions": [(channel, postkit.caption(subject, channel)) for channel in postkit.CHANNELS],
            "posts_made": counted.get(subject.pk if subject.kind == "product" else "stall", 0),
            "made_url": reverse(f"{url_name}-made", args=args),
            "dash_section": "products" if subject.kind == "product" else "",
        },
    )


def _file(subject_folder: str, name: str) -> FileResponse:
    if not postkit.FILE_NAME.fullmatch(name):
        raise Http404
    try:
        stored = default_storage.open(f"{subject_folder}/{name}")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stored, content_type="image/webp" if name.endswith(".webp") else "image/jpeg")


def _download(request, subject: postkit.Subject, shape: str, *, kit_url: str):
    """Count the post and hand over the picture; a picture being redrawn (the product changed since
    the page was drawn) sends the producer back to the kit to wait for it."""
    if shape not in postkit.SHAPES:
        raise Http404
    form = PostMadeForm(
        {"token": request.POST.get("token", ""), "shape": shape, "channel": PostMade.Channel.DOWNLOAD}
    )
    if not form.is_valid():
        return HttpResponseBadRequest(NOT_COUNTED)
    try:
        stored = default_storage.open(f"{subject.folder}/{subject.file_name(shape)}")
    except FileNotFoundError:
        tasks.post_images_queue(subject)
        messages.info(request, _("Thông tin vừa đổi nên ảnh đang được làm lại. Chờ vài giây rồi tải lại."))
        return redirect(kit_url)
    services.post_made_record(
        cooperative_id=subject.cooperative_id,
        product_id=subject.pk if subject.kind == "product" else None,
        **form.cleaned_data,
    )
    return FileResponse(
        stored, as_attachment=True, filename=subject.download_name(shape), content_type="image/jpeg"
    )


def _shared(request, subject: postkit.Subject):
    form = PostMadeForm(request.POST)
    if not form.is_valid() or form.cleaned_data["channel"] == PostMade.Channel.DOWNLOAD:
        return HttpResponseBadRequest(NOT_COUNTED)
    services.post_made_record(
        cooperative_id=subject.cooperative_id,
        product_id=subject.pk if subject.kind == "product" else None,
        **form.cleaned_data,
    )
    return HttpResponse(status=204)


@dashboard_view()
@require_safe
def product_post(request, pk: int):
    product = _product(request, pk)
    return _kit(
        request,
        postkit.product_post(product),
        public=selectors.product_is_public(product=product),
        url_name="dashboard:product-post",
        args=[product.pk],
    )


@dashboard_view()
@require_safe
def product_post_file(request, pk: int, name: str):
    product = scoped_object_or_404(request, Product.objects.all(), pk=pk)
    return _file(postkit.folder("product", product.pk), name)


@dashboard_view()
@require_POST
def product_post_download(request, pk: int, shape: str):
    product = _product(request, pk)
    return _download(
        request, postkit.product_post(product), shape, kit_url=reverse("dashboard:product-post", args=[pk])
    )


@dashboard_view()
@require_POST
def product_post_made(request, pk: int):
    return _shared(request, postkit.product_post(_product(request, pk)))


@dashboard_view()
@require_safe
def stall_post(request):
    cooperative = request.membership.cooperative
    return _kit(
        request,
        postkit.stall_post(cooperative),
        public=cooperative.is_verified,
        url_name="dashboard:stall-post",
        args=[],
    )


@dashboard_view()
@require_safe
def stall_post_file(request, name: str):
    return _file(postkit.folder("stall", request.membership.cooperative_id), name)


@dashboard_view()
@require_POST
def stall_post_download(request, shape: str):
    subject = postkit.stall_post(request.membership.cooperative)
    return _download(request, subject, shape, kit_url=reverse("dashboard:stall-post"))


@dashboard_view()
@require_POST
def stall_post_made(request):
    return _shared(request, postkit.stall_post(request.membership.cooperative))
