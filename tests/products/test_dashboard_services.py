"""Product-side dashboard rules in products.services."""

import pytest
from django.core.exceptions import ValidationError

from products import services
from products.models import Membership, Product
from tests.factories import (
    CooperativeFactory,
    MembershipFactory,
    OrderItemFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_product_with_an_order_line_has_history():
    """An order line pointing at a product counts as history; a fresh product has none."""
    product = ProductFactory()
    assert not services.product_has_history(product=product)
    OrderItemFactory(product=product, cooperative_order__cooperative=product.cooperative)
    assert services.product_has_history(product=product)


def test_delete_or_archive_says_what_it_did():
    """A product without orders is deleted; one with orders is archived and unpublished."""
    fresh, ordered = ProductFactory(), ProductFactory()
    OrderItemFactory(product=ordered, cooperative_order__cooperative=ordered.cooperative)
    assert services.product_delete_or_archive(product=fresh) == "deleted"
    assert services.product_delete_or_archive(product=ordered) == "archived"
    assert not Product.objects.filter(pk=fresh.pk).exists()
    ordered.refresh_from_db()
    assert ordered.is_archived and not ordered.is_published


def test_duplicate_of_a_long_name_still_fits():
    """The "(bản sao)" suffix never makes the name longer than the field allows."""
    product = ProductFactory(name="Chè " + "x" * 146)
    ProductImageFactory(product=product)
    copy = services.product_duplicate(product=product)
    assert len(copy.name) <= 150 and copy.name.endswith("(bản sao)")
    assert copy.images.count() == 1


def test_renumber_closes_gaps_in_photo_positions():
    """Photo positions become 0, 1, 2 in their current order."""
    product = ProductFactory()
    photos = [ProductImageFactory(product=product, position=p) for p in (4, 9, 2)]
    services.product_photos_renumber(product=product)
    assert [(i.pk, i.position) for i in product.images.all()] == [
        (photos[2].pk, 0),
        (photos[0].pk, 1),
        (photos[1].pk, 2),
    ]


def test_adding_someone_twice_is_refused():
    """A person already in the stall cannot be added again."""
    cooperative, user = CooperativeFactory(), UserFactory()
    services.membership_add(cooperative=cooperative, user=user, role=Membership.Role.HELPER)
    with pytest.raises(ValidationError, match="đã ở trong gian hàng"):
        services.membership_add(cooperative=cooperative, user=user, role=Membership.Role.MEMBER)


def test_an_owner_can_go_when_another_owner_stays():
    """With two owners one may be removed; the last one may not."""
    cooperative = CooperativeFactory()
    first = MembershipFactory(cooperative=cooperative, role="owner")
    second = MembershipFactory(cooperative=cooperative, role="owner")
    services.membership_remove(membership=first)
    with pytest.raises(ValidationError, match="chủ gian hàng cuối cùng"):
        services.membership_remove(membership=second)
    assert list(Membership.objects.filter(cooperative=cooperative)) == [second]
