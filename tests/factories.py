"""factory_boy factories for every model the tests build. Photos are tiny real JPEGs."""

import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from products.models import Category, Cooperative, Membership, Product, ProductImage


def jpeg_upload(name="photo.jpg", size=(800, 600), colour=(120, 160, 90), exif=None) -> SimpleUploadedFile:
    """A real JPEG file as a browser would upload it."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    if exif is not None:
        image.save(buffer, "JPEG", quality=80, exif=exif)
    else:
        image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"HTX Đặc sản Số {n}")
    province = "08"
    commune = "xã Lũng Phìn"
    ethnic_groups = "H'Mông"
    email = factory.Sequence(lambda n: f"htx{n}@example.vn")
    phone = "0912345678"
    bank_bin = "970436"
    bank_account_number = "0011001234567"
    bank_account_name = "HTX DAC SAN"
    shipping_fee = 30000
    free_shipping_threshold = 500000
    is_verified = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    cooperative = factory.SubFactory(CooperativeFactory)
    role = Membership.Role.OWNER


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Danh mục {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    position = factory.Sequence(lambda n: n)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    cooperative = factory.SubFactory(CooperativeFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Sản phẩm {n}")
    summary = "Một câu giới thiệu."
    story = "Câu chuyện của sản phẩm."
    price = 100000
    unit = "gói 200 g"
    stock = 20
    ethnic_group = "H'Mông"
    origin_province = "08"
    origin_commune = "Lũng Phìn"
    is_published = True


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.LazyFunction(lambda: jpeg_upload(size=(400, 300)))
    alt_text = "Ảnh sản phẩm"
    # After the product's other photos, as the app numbers them (0, 1, 2…): a sequence over the
    # whole run gave positions past the form's 99 once enough photos had been made before.
    position = factory.LazyAttribute(lambda photo: photo.product.images.count())


# --- orders ------------------------------------------------------------------------------------

from orders.models import CooperativeOrder, Order, OrderItem  # noqa: E402


class OrderFactory(factory.django.DjangoModelFactory):
    """A bare order row; use `placed_order()` for one that went through checkout (stock taken)."""

    class Meta:
        model = Order

    code = factory.Sequence(lambda n: f"T{n:07d}".replace("0", "Z").replace("1", "Y"))
    checkout_token = factory.Sequence(lambda n: f"token-{n}")
    full_name = "Nguyễn Thị Lan"
    phone = "0912345678"
    email = "lan@example.vn"
    province = "01"
    commune = "phường Ba Đình"
    street_address = "12 Phố Hàng Bông"
    payment_method = "cod"


class CooperativeOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperativeOrder

    order = factory.SubFactory(OrderFactory)
    cooperative = factory.SubFactory(CooperativeFactory)
    cooperative_name = factory.LazyAttribute(lambda part: part.cooperative.name)
    bank_bin = factory.LazyAttribute(lambda part: part.cooperative.bank_bin)
    bank_account_number = factory.LazyAttribute(lambda part: part.cooperative.bank_account_number)
    bank_account_name = factory.LazyAttribute(lambda part: part.cooperative.bank_account_name)
    market_fee_rate = factory.LazyAttribute(lambda part: part.cooperative.market_fee_rate)
    subtotal = 200000
    shipping_fee = 30000


class OrderItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderItem

    cooperative_order = factory.SubFactory(CooperativeOrderFactory)
    product = factory.SubFactory(
        ProductFactory, cooperative=factory.SelfAttribute("..cooperative_order.cooperative")
    )
    product_name = factory.LazyAttribute(lambda item: item.product.name)
    unit = factory.LazyAttribute(lambda item: item.product.unit)
    unit_price = factory.LazyAttribute(lambda item: item.product.price)
    quantity = 2
    line_total = factory.LazyAttribute(lambda item: item.unit_price * item.quantity)


def buyer(**overrides):
    """Checkout details as order_place takes them (phone already normalised)."""
    from orders.services import Buyer

    values = {
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912345678",
        "email": "lan@example.vn",
        "province": "01",
        "commune": "phường Ba Đình",
        "street_address": "12 Phố Hàng Bông",
        "note": "",
    }
    values.update(overrides)
    return Buyer(**values)


def placed_order(cart: dict, *, payment_method="cod", token=None, **buyer_overrides) -> Order:
    """An order placed through orders.services.order_place: {product: quantity} → Order."""
    import secrets

    from orders.services import order_place

    return order_place(
        cart={product.pk: quantity for product, quantity in cart.items()},
        buyer=buyer(**buyer_overrides),
        payment_method=payment_method,
        checkout_token=token or secrets.token_urlsafe(16),
    )
