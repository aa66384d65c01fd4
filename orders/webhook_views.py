"""Endpoints that machines call. SePay posts each bank transaction of a stall's account here.

Answers are JSON and quick: the transaction is stored and matched in one short database
transaction, and whatever tells people (mail, later push) is queued as jobs after the commit.
Called by SePay, not a browser, so there is no CSRF token: the stall's key is the proof.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import sepay, services


@csrf_exempt
@require_POST
def sepay_webhook(request, token: str):
    """One SePay transaction: 401 without the stall's key, 400 for a body that is not one,
    otherwise {"success": true}, for a replay too (it changes nothing)."""
    webhook = services.sepay_webhook_for_call(
        token=token, authorization=request.headers.get("Authorization", "")
    )
    if webhook is None:
        return JsonResponse({"success": False, "error": _("Khoá API không đúng.")}, status=401)
    try:
        payload = sepay.transaction_from_body(request.body)
    except RequestDataTooBig:
        return JsonResponse({"success": False, "error": _("Nội dung quá lớn.")}, status=400)
    except sepay.BodyError as error:
        return JsonResponse({"success": False, "error": str(error)}, status=400)
    services.bank_transaction_receive(webhook=webhook, payload=payload, raw_body=request.body.decode("utf-8"))
    return JsonResponse({"success": True})
