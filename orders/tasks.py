"""Background jobs that deliver what orders.notifications decided to tell: one job per message.

One message per job, so a retry after a failure (the mail server is down) resends only the message
that failed; each sent message is recorded as a Notice under its key, so a job that runs again
(a retry after a lost reply) does not send it twice. A job that keeps failing ends listed in the
admin (storefront.jobs).
"""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from huey.contrib.djhuey import db_task

from products.permissions import ORDER_ROLES
from storefront.lib.jobs import retry_options
from storefront.lib.links import absolute_url
from storefront.lib.money import vnd
from storefront.lib.phones import phone_display
from storefront.lib.webpush import PushGone, PushRefused, Subscription, push_enabled, push_send

from .choices import EventKind, TransferOutcome
from .models import BankTransaction, CooperativeOrder, Notice, Order, PushSubscription

logger = logging.getLogger(__name__)

EMAIL = "email"
PUSH = "push"
# Cooperatives work in Vietnamese whatever language the buyer used.
PRODUCER_LANGUAGE = "vi"

# What a mail says, by notice: its template, its subject (translated when it is written) and who
# reads it ("buyer" in the order's language, "stall" in Vietnamese).
MAILS = {
    "placed_buyer": ("orders/email/order_placed_buyer.txt", "Chợ Phiên: đã nhận đơn %(code)s", "buyer"),
    "placed_stall": ("orders/email/order_placed_cooperative.txt", "Chợ Phiên: đơn mới %(code)s", "stall"),
    "cancelled_buyer": ("orders/email/order_cancelled_buyer.txt", "Chợ Phiên: đã huỷ đơn %(code)s", "buyer"),
    "cancelled_stall": (
        "orders/email/order_cancelled_cooperative.txt",
        "Chợ Phiên: người mua đã huỷ đơn %(code)s",
        "stall",
    ),
    "changed_buyer": ("orders/email/part_changed_buyer.txt", "", "buyer"),
}
# Push notices told to a stall's members (the others go to a buyer who follows the order).
STALL_PUSHES = {"placed_stall", "cancelled_stall", "paid_stall"}
# Marked for the translators; looked up in the reader's language when the mail is written.
_SUBJECTS = [
    translation.gettext_noop("Chợ Phiên: đã nhận đơn %(code)s"),
    translation.gettext_noop("Chợ Phiên: đơn mới %(code)s"),
    translation.gettext_noop("Chợ Phiên: đã huỷ đơn %(code)s"),
    translation.gettext_noop("Chợ Phiên: người mua đã huỷ đơn %(code)s"),
]


def notice_key(*, notice: str, order_id: int, part_id: int | None = None, kind: str = "") -> str:
    return ":".join(str(piece) for piece in (notice, order_id, part_id or "", kind))


def _track_url(order: Order) -> str:
    """The buyer's link opens the order page in the language they ordered in (/en/… for English)."""
    with translation.override(order.language):
        return absolute_url(f"{reverse('orders:order-track')}?code={order.code}")


def _record(*, key: str, order: Order, channel: str, recipient: str, subject: str) -> None:
    try:
        with transaction.atomic():
            Notice.objects.create(
                key=key, order=order, channel=channel, recipient=recipient[:254], subject=subject[:200]
            )
    except IntegrityError:
        pass  # the same job ran twice at once: the message is recorded already


def _part_subject(part: CooperativeOrder, kind: str) -> str:
    subjects = {
        EventKind.CONFIRMED: gettext("Chợ Phiên: %(coop)s đã xác nhận đơn %(code)s"),
        EventKind.SHIPPED: gettext("Chợ Phiên: %(coop)s đã gửi hàng đơn %(code)s"),
        EventKind.DELIVERED: gettext("Chợ Phiên: đơn %(code)s đã giao xong"),
        EventKind.PAID: gettext("Chợ Phiên: %(coop)s đã nhận tiền đơn %(code)s"),
        EventKind.CANCELLED: gettext("Chợ Phiên: %(coop)s đã huỷ phần đơn %(code)s"),
    }
    return subjects[kind] % {"coop": part.display_cooperative_name, "code": part.order.code}


@db_task(**retry_options())
def mail_notice(notice: str, order_id: int, part_id: int | None = None, kind: str = "") -> None:
    """Write and send one mail about an order, once."""
    key = notice_key(notice=notice, order_id=order_id, part_id=part_id, kind=kind)
    if Notice.objects.filter(key=key).exists():
        return
    template, subject, reader = MAILS[notice]
    order = Order.objects.prefetch_related(
        "cooperative_orders__items", "cooperative_orders__cooperative"
    ).get(pk=order_id)
    parts = list(order.cooperative_orders.all())
    part = next((p for p in parts if p.pk == part_id), None)
    to = order.email if reader == "buyer" else part.cooperative.email
    if not to:
        return
    with translation.override(order.language if reader == "buyer" else PRODUCER_LANGUAGE):
        context = {
            "order": order,
            "parts": parts,
            "part": part,
            "kind": kind,
            "track_url": _track_url(order),
            "dashboard_url": absolute_url(reverse("dashboard:home")),
        }
        subject = (
            _part_subject(part, kind)
            if notice == "changed_buyer"
            else gettext(subject) % {"code": order.code}
        )
        body = render_to_string(template, context)
    send_mail(subject, body, None, [to], fail_silently=False)
    _record(key=key, order=order, channel=EMAIL, recipient=to, subject=subject)


def _stall_push(notice: str, part: CooperativeOrder) -> dict:
    """What a stall member's phone shows: the order in one line, tapping opens it in the dashboard."""
    lines = len(part.items.all())
    titles = {
        "placed_stall": gettext("Đơn mới %(code)s · %(count)s · %(total)s"),
        "cancelled_stall": gettext("Người mua đã huỷ đơn %(code)s · %(count)s · %(total)s"),
        "paid_stall": gettext("Đã nhận tiền đơn %(code)s · %(count)s · %(total)s"),
    }
    count = ngettext("%(n)s sản phẩm", "%(n)s sản phẩm", lines) % {"n": lines}
    return {
        "title": titles[notice] % {"code": part.order.code, "count": count, "total": vnd(part.total)},
        "body": part.cooperative_name,
        "url": reverse("dashboard-orders:detail", args=[part.pk]),
    }


def _buyer_push(part: CooperativeOrder, kind: str) -> dict:
    """What a buyer's phone shows about their part of an order; tapping opens the order page."""
    order = part.order
    titles = {
        EventKind.CONFIRMED: gettext("%(coop)s đã xác nhận đơn %(code)s"),
        EventKind.SHIPPED: gettext("%(coop)s đã gửi hàng đơn %(code)s"),
        EventKind.DELIVERED: gettext("Đơn %(code)s đã giao xong"),
        EventKind.PAID: gettext("%(coop)s đã nhận tiền đơn %(code)s"),
        EventKind.CANCELLED: gettext("%(coop)s đã huỷ phần đơn %(code)s"),
    }
    bodies = {
        EventKind.CONFIRMED: gettext("Gian hàng đang chuẩn bị gửi."),
        EventKind.SHIPPED: part.shipment.summary() or gettext("Hàng đang trên đường đến bạn."),
        EventKind.DELIVERED: gettext("Chúc bạn dùng ngon, dùng bền!"),
        EventKind.PAID: vnd(part.total),
        EventKind.CANCELLED: part.cancel_reason,
    }
    return {
        "title": titles[kind] % {"coop": part.display_cooperative_name, "code": order.code},
        "body": bodies[kind],
        "url": order.get_absolute_url(),
    }


def _still_wanted(row: PushSubscription, notice: str, part: CooperativeOrder | None, order: Order) -> bool:
    """The phone still wants this message: its member still handles this stall's orders, or its
    buyer still follows the order (either may have changed since the job was queued)."""
    if notice in STALL_PUSHES:
        return (
            row.user is not None
            and row.user.memberships.filter(cooperative_id=part.cooperative_id, role__in=ORDER_ROLES).exists()
        )
    return row.orders.filter(pk=order.pk).exists()


@db_task(**retry_options())
def push_notice(
    notice: str, order_id: int, subscription_id: int, part_id: int | None = None, kind: str = ""
) -> None:
    """Send one push message about an order to one phone, once.

    A phone that is gone (404/410) is forgotten; a message refused for good is logged and dropped;
    a push service that is down or slow raises, so the job is retried (storefront.lib.jobs)."""
    message_key = notice_key(notice=notice, order_id=order_id, part_id=part_id, kind=kind)
    key = f"{message_key}:{PUSH}{subscription_id}"
    row = PushSubscription.objects.select_related("user").filter(pk=subscription_id).first()
    if row is None or not push_enabled() or Notice.objects.filter(key=key).exists():
        return
    order = Order.objects.get(pk=order_id)
    part = (
        CooperativeOrder.objects.select_related("order").prefetch_related("items").get(pk=part_id)
        if part_id
        else None
    )
    if not _still_wanted(row, notice, part, order):
        return
    stall = notice in STALL_PUSHES
    with translation.override(PRODUCER_LANGUAGE if stall else order.language):
        # Its url is a path: the service worker opens it on its own site, whatever SITE_URL says.
        message = _stall_push(notice, part) if stall else _buyer_push(part, kind)
        message.update(tag=order.code, lang=translation.get_language())
    subscription = Subscription(endpoint=row.endpoint, p256dh=row.p256dh, auth=row.auth)
    try:
        push_send(subscription=subscription, message=message)
    except PushGone:
        # Nothing will ever reach it again: forget the phone, not the order or its other notices.
        logger.info("Push subscription %s is gone; removed", row.pk)
        row.delete()
        return
    except PushRefused as error:
        logger.error("Push %s to subscription %s refused for good: %s", key, row.pk, error)
        return
    recipient = row.user.get_username() if stall else gettext("điện thoại người mua")
    _record(key=key, order=order, channel=PUSH, recipient=recipient, subject=message["title"])


@db_task(**retry_options())
def mail_transfer_notice(transaction_id: int, buyer_channels: tuple[str, ...] | None = None) -> None:
    """Tell the stall, once, what a transfer SePay reported for one of its parts came to, and for
    a part it paid, which of `buyer_channels` told the buyer, or whom to call when none did
    (None, from a job queued before the channels were passed: nothing said of the buyer)."""
    record = BankTransaction.objects.select_related("cooperative", "cooperative_order__order").get(
        pk=transaction_id
    )
    part = record.cooperative_order
    to = record.cooperative.email
    key = notice_key(notice="transfer_stall", order_id=part.order_id, part_id=part.pk, kind=str(record.pk))
    if not to or Notice.objects.filter(key=key).exists():
        return
    with translation.override(PRODUCER_LANGUAGE):
        values = {"code": part.order.code, "amount": vnd(record.amount)}
        if record.outcome == TransferOutcome.PAID:
            subject = gettext("Chợ Phiên: đã nhận %(amount)s cho đơn %(code)s") % values
        else:
            subject = gettext("Chợ Phiên: chuyển khoản cần xem, đơn %(code)s") % values
        body = render_to_string(
            "orders/email/transfer_cooperative.txt",
            {
                "record": record,
                "part": part,
                "order": part.order,
                "buyer_reach_known": buyer_channels is not None,
                "told_by_email": EMAIL in (buyer_channels or ()),
                "told_by_push": PUSH in (buyer_channels or ()),
                "buyer_phone": phone_display(part.order.phone),
                "transfers_url": absolute_url(reverse("dashboard-orders:transfers")),
                "part_url": absolute_url(reverse("dashboard-orders:detail", args=[part.pk])),
            },
        )
    send_mail(subject, body, None, [to], fail_silently=False)
    try:
        with transaction.atomic():
            Notice.objects.create(
                key=key, order_id=part.order_id, channel=EMAIL, recipient=to, subject=subject[:200]
            )
    except IntegrityError:
        pass  # the same job ran twice at once: the message is recorded already
