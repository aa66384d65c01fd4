"""Bank transfers matched by themselves: a stall's SePay connection, and what each transaction
SePay reports means.

A transaction pays a part only when everything agrees: money in, to the stall's account, with
"CHOPHIEN <code>" of an order that has a part of this stall, still live and unpaid, for exactly
the part's total. It is then marked paid through the state table's `paid` action (an event naming
the SePay id, the buyer told), and the stall is told. Anything else is kept as a transfer for the
owner to look at, with what was expected, and nothing is marked paid.

Every transaction is stored once per stall under SePay's id (a unique constraint), in the same
transaction as its effect, so a replay (SePay retries, a double delivery, two at once) finds the
first row and changes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from products.models import Cooperative

from .. import notifications, sepay, workflow
from ..choices import Status, TransferOutcome
from ..exceptions import InvalidTransition
from ..models import BankTransaction, CooperativeOrder, SepayWebhook
from .status import cooperative_order_mark_paid


@dataclass(frozen=True)
class KeyIssued:
    """A stall's connection after a press of "turn on" or "new key": `key` is the new key, to
    show once, or "" when this press was a repeat of one that already made it."""

    webhook: SepayWebhook
    key: str


def sepay_key_issue(*, cooperative: Cooperative, seen_version: int) -> KeyIssued:
    """Turn SePay on, or replace its key (the old one stops working at once).

    `seen_version` is the key version the owner's page showed: a repeat of the same press finds a
    newer version and makes no second key, so the one the first press showed stays valid.
    """
    key = sepay.api_key_new()
    with transaction.atomic():
        webhook, _created = SepayWebhook.objects.get_or_create(
            cooperative=cooperative, defaults={"token": sepay.url_token_new()}
        )
        updated = SepayWebhook.objects.filter(pk=webhook.pk, key_version=seen_version).update(
            key_digest=sepay.key_digest(key),
            key_version=seen_version + 1,
            is_enabled=True,
            key_changed_at=timezone.now(),
        )
        webhook.refresh_from_db()
    return KeyIssued(webhook=webhook, key=key if updated else "")


def sepay_turn_off(*, cooperative: Cooperative) -> None:
    """SePay's calls are refused from now on (401); the key is forgotten, the address kept."""
    SepayWebhook.objects.filter(cooperative=cooperative).update(is_enabled=False, key_digest="")


def sepay_webhook_for_call(*, token: str, authorization: str) -> SepayWebhook | None:
    """The turned-on connection this call is for, when its key is that connection's; else None."""
    webhook = SepayWebhook.objects.select_related("cooperative").filter(token=token, is_enabled=True).first()
    digest = webhook.key_digest if webhook else ""
    if not sepay.key_matches(header=authorization, digest=digest):
        return None
    return webhook


def bank_transaction_receive(
    *, webhook: SepayWebhook, payload: sepay.Transaction, raw_body: str
) -> BankTransaction:
    """Store one transaction SePay reported and act on it, once per SePay id and stall."""
    cooperative = webhook.cooperative
    with transaction.atomic():
        match = _match(cooperative=cooperative, payload=payload)
        try:
            with transaction.atomic():
                record = BankTransaction.objects.create(
                    cooperative=cooperative, raw_body=raw_body, **_fields(payload), **match
                )
        except IntegrityError:
            # Already received (a retry, or the same call running alongside): nothing more to do.
            return BankTransaction.objects.get(cooperative=cooperative, sepay_id=payload.id)
        if record.outcome == TransferOutcome.PAID:
            _mark_paid(record)
        notifications.transfer_received(record=record)
    return record


def _fields(payload: sepay.Transaction) -> dict:
    return {
        "sepay_id": payload.id,
        "gateway": payload.gateway,
        "transaction_date": payload.transaction_date,
        "account_number": payload.account_number,
        "transfer_type": payload.transfer_type,
        "amount": payload.amount,
        "content": payload.content,
        "code": payload.code,
        "reference_code": payload.reference_code,
    }


def _part_for(*, cooperative: Cooperative, codes: list[str]) -> CooperativeOrder | None:
    """This stall's part of the first order named in the content that has one."""
    if not codes:
        return None
    parts = {
        part.order.code: part
        for part in CooperativeOrder.objects.select_related("order").filter(
            cooperative=cooperative, order__code__in=codes
        )
    }
    return next((parts[code] for code in codes if code in parts), None)


def _match(*, cooperative: Cooperative, payload: sepay.Transaction) -> dict:
    """The outcome, the code and the part (with what it asked for) of one transaction."""
    codes = sepay.order_codes_in(payload.code, payload.content)
    part = _part_for(cooperative=cooperative, codes=codes)
    found = {
        "order_code": part.order.code if part else (codes[0] if codes else ""),
        "cooperative_order": part,
        "expected_amount": part.total if part else None,
    }
    return {**found, "outcome": _outcome(cooperative=cooperative, payload=payload, part=part, codes=codes)}


def _outcome(
    *, cooperative: Cooperative, payload: sepay.Transaction, part: CooperativeOrder | None, codes: list[str]
) -> str:
    if payload.transfer_type != sepay.TRANSFER_IN:
        return TransferOutcome.OUTGOING
    # The account the buyer was told to pay into (the part's snapshot), or the stall's own now.
    accounts = {sepay.account_normal(cooperative.bank_account_number)}
    if part is not None:
        accounts.add(sepay.account_normal(part.bank_account_number))
    accounts.discard("")
    if sepay.account_normal(payload.account_number) not in accounts:
        return TransferOutcome.OTHER_ACCOUNT
    if part is None:
        return TransferOutcome.UNKNOWN_CODE if codes else TransferOutcome.NO_CODE
    if part.status == Status.CANCELLED:
        return TransferOutcome.CANCELLED
    if part.is_paid:
        return TransferOutcome.ALREADY_PAID
    if part.status not in workflow.ACTIONS["paid"].sources_for(part.order.payment_method):
        # The buyer chose to pay the driver: the stall tells the carrier not to collect as well.
        return TransferOutcome.CASH_ON_DELIVERY
    if payload.amount < part.total:
        return TransferOutcome.UNDERPAID
    if payload.amount > part.total:
        return TransferOutcome.OVERPAID
    return TransferOutcome.PAID


def _mark_paid(record: BankTransaction) -> None:
    """The `paid` action, as the stall would take it; someone may have been quicker (a button
    pressed, another transaction): then this one is kept to look at instead."""
    part = record.cooperative_order
    message = _("Chuyển khoản tự động qua SePay, mã giao dịch %(id)s") % {"id": record.sepay_id}
    if record.reference_code:
        message = f"{message} · {record.reference_code}"
    try:
        cooperative_order_mark_paid(cooperative_order=part, actor=None, message=message)
    except InvalidTransition:
        part.refresh_from_db()
        record.outcome = (
            TransferOutcome.CANCELLED
            if part.status == Status.CANCELLED
            else TransferOutcome.ALREADY_PAID
            if part.is_paid
            else TransferOutcome.CASH_ON_DELIVERY
        )
        record.save(update_fields=["outcome"])


def bank_transaction_mark_checked(*, record: BankTransaction, actor: AbstractBaseUser) -> bool:
    """The owner has looked at this transfer; False when it was marked already (a repeat)."""
    updated = BankTransaction.objects.filter(pk=record.pk, checked_at__isnull=True).update(
        checked_at=timezone.now(), checked_by=actor
    )
    return bool(updated)
