"""Phones that asked to be told by Web Push: a stall member's, about new orders; a buyer's, about
the orders they follow. What the browser posts is its PushSubscription as JSON.

Subscribing is idempotent: the endpoint is unique, so the same phone posting again (a double tap,
a lost reply, a new key after the browser renewed it) updates its one row. A phone that had to
subscribe anew (the site's VAPID keys changed) names the subscription it replaces, and what that
one was for moves over, only when it is the same member's or follows the same order.
"""

import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from storefront.lib.webpush import Subscription, endpoint_acceptable, keys_acceptable

from ..exceptions import OrderError
from ..models import Order, PushSubscription

MAX_BODY_BYTES = 4096
# Phones one member, or one order's buyer, may have told at once: a family's or a stall's few
# phones, not a list of made-up addresses for the workers to post to.
MAX_PHONES = 5
DEVICE_LENGTH = PushSubscription._meta.get_field("device").max_length


class PushSubscriptionInvalid(OrderError):
    def __init__(self):
        super().__init__(_("Trình duyệt gửi thông tin đăng ký không hợp lệ. Hãy tải lại trang rồi thử lại."))


class PushTooManyPhones(OrderError):
    def __init__(self):
        super().__init__(
            _("Đã có %(n)s điện thoại nhận thông báo. Hãy tắt báo trên một điện thoại cũ rồi thử lại.")
            % {"n": MAX_PHONES}
        )


def _text(value, limit: int) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise PushSubscriptionInvalid
    return value


def push_subscription_parse(*, raw: bytes, keys: bool = True) -> Subscription:
    """The browser's PushSubscription JSON ({"endpoint", "keys": {"p256dh", "auth"}}), checked;
    with `keys=False` only the endpoint is needed (to unsubscribe)."""
    if len(raw) > MAX_BODY_BYTES:
        raise PushSubscriptionInvalid
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise PushSubscriptionInvalid from None
    if not isinstance(data, dict):
        raise PushSubscriptionInvalid
    endpoint = _text(data.get("endpoint"), PushSubscription._meta.get_field("endpoint").max_length)
    if not endpoint_acceptable(endpoint):
        raise PushSubscriptionInvalid
    if not keys:
        return Subscription(endpoint=endpoint, p256dh="", auth="")
    given = data.get("keys")
    if not isinstance(given, dict):
        raise PushSubscriptionInvalid
    p256dh = _text(given.get("p256dh"), PushSubscription._meta.get_field("p256dh").max_length)
    auth = _text(given.get("auth"), PushSubscription._meta.get_field("auth").max_length)
    if not keys_acceptable(p256dh=p256dh, auth=auth):
        raise PushSubscriptionInvalid
    return Subscription(endpoint=endpoint, p256dh=p256dh, auth=auth)


def _save(subscription: Subscription, device: str, **fields) -> PushSubscription:
    values = {"p256dh": subscription.p256dh, "auth": subscription.auth, "device": device[:DEVICE_LENGTH]}
    values.update(fields)
    try:
        with transaction.atomic():
            row, _created = PushSubscription.objects.update_or_create(
                endpoint=subscription.endpoint, defaults=values
            )
    except IntegrityError:
        # The same phone's second tap created the row first: update that one.
        row = PushSubscription.objects.get(endpoint=subscription.endpoint)
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    return row


def _room_for(phones, endpoint: str) -> None:
    if phones.exclude(endpoint=endpoint).count() >= MAX_PHONES:
        raise PushTooManyPhones


def _replaced(raw: bytes):
    """The phone's earlier subscription this one replaces (`"replaces": endpoint`, sent when the
    site's VAPID keys changed and the browser had to subscribe anew), or None."""
    try:
        endpoint = json.loads(raw).get("replaces")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
    if not isinstance(endpoint, str) or not endpoint:
        return None
    return PushSubscription.objects.filter(endpoint=endpoint).first()


def _move(old: PushSubscription | None, row: PushSubscription) -> None:
    """Whatever else the old subscription was for (the member's stall, orders followed on the
    same phone) goes with the phone to its new one, so no side stops hearing."""
    if old is None or old.pk == row.pk:
        return
    if old.user_id and not row.user_id:
        row.user_id = old.user_id
        row.save(update_fields=["user"])
    row.orders.add(*old.orders.all())
    old.delete()


def push_subscribe_member(*, user, raw: bytes, device: str) -> PushSubscription:
    """This phone tells `user` of new orders of every stall where they handle orders."""
    subscription = push_subscription_parse(raw=raw)
    _room_for(PushSubscription.objects.filter(user=user), subscription.endpoint)
    with transaction.atomic():
        row = _save(subscription, device, user=user)
        old = _replaced(raw)
        _move(old if old is not None and old.user_id == user.pk else None, row)
    return row


def push_unsubscribe_member(*, user, raw: bytes) -> None:
    """This phone no longer tells `user`; it keeps following the orders its buyer opted in on."""
    endpoint = push_subscription_parse(raw=raw, keys=False).endpoint
    PushSubscription.objects.filter(endpoint=endpoint, user=user).update(user=None)
    _forget_unused(endpoint)


def push_subscribe_buyer(*, order: Order, raw: bytes, device: str) -> PushSubscription:
    """This phone is told of the order's status changes."""
    subscription = push_subscription_parse(raw=raw)
    _room_for(order.push_subscriptions.all(), subscription.endpoint)
    with transaction.atomic():
        row = _save(subscription, device)
        row.orders.add(order)
        old = _replaced(raw)
        _move(old if old is not None and old.orders.filter(pk=order.pk).exists() else None, row)
    return row


def push_unsubscribe_buyer(*, order: Order, raw: bytes) -> None:
    endpoint = push_subscription_parse(raw=raw, keys=False).endpoint
    row = PushSubscription.objects.filter(endpoint=endpoint).first()
    if row is not None:
        row.orders.remove(order)
        _forget_unused(endpoint)


def _forget_unused(endpoint: str) -> None:
    PushSubscription.objects.filter(endpoint=endpoint, user=None, orders=None).delete()
