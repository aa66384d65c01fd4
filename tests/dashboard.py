"""Helpers for producer dashboard tests: a stall with people in every role, and form data."""

from dataclasses import dataclass

from products.models import Category, Cooperative, Membership, Product
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)


@dataclass
class Stall:
    cooperative: Cooperative
    owner: object
    member: object
    helper: object
    product: Product


def make_stall(name: str = "HTX Chè Lũng Phìn", **product_fields) -> Stall:
    """A verified cooperative with an owner, a member, a helper and one product."""
    cooperative = CooperativeFactory(name=name)
    people = {}
    for role in Membership.Role:
        user = UserFactory()
        MembershipFactory(user=user, cooperative=cooperative, role=role)
        people[role.value] = user
    product = ProductFactory(cooperative=cooperative, **product_fields)
    return Stall(cooperative, people["owner"], people["member"], people["helper"], product)


def product_data(category: Category | None = None, **overrides) -> dict:
    """What the add/edit product form posts, with an empty photo formset."""
    data = {
        "name": "Chè Shan tuyết cổ thụ",
        "category": (category or CategoryFactory()).pk,
        "price": "250.000",
        "unit": "gói 200 g",
        "stock": "20",
        "is_published": "on",
        "summary": "Búp chè hái tay.",
        "story": "Cây chè trăm năm tuổi.",
        "origin_province": "08",
        "origin_commune": "xã Lũng Phìn",
        "ethnic_group": "H'Mông",
        "ocop_stars": "",
        "name_en": "",
        "summary_en": "",
        "story_en": "",
        "photo-TOTAL_FORMS": "0",
        "photo-INITIAL_FORMS": "0",
        "photo-MIN_NUM_FORMS": "0",
        "photo-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def photo_formset_data(product: Product, per_photo: dict | None = None) -> dict:
    """Formset rows for a product's existing photos: order 1, 2…, alt text kept, none deleted."""
    images = list(product.images.order_by("position", "id"))
    data = {
        "photo-TOTAL_FORMS": str(len(images)),
        "photo-INITIAL_FORMS": str(len(images)),
        "photo-MIN_NUM_FORMS": "0",
        "photo-MAX_NUM_FORMS": "1000",
    }
    for index, image in enumerate(images):
        data[f"photo-{index}-id"] = str(image.pk)
        data[f"photo-{index}-order"] = str(index + 1)
        data[f"photo-{index}-alt_text"] = image.alt_text
        data.update({f"photo-{index}-{k}": v for k, v in (per_photo or {}).get(image.pk, {}).items()})
    return data


def product_in(cooperative: Cooperative, **fields) -> Product:
    return ProductFactory(cooperative=cooperative, **fields)
