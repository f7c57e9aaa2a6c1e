"""The sandbox gateway's pages and API: thin HTTP around validation, services, merchant_api and statement.

Served only while ``MOTCUA_PAYMENT_SANDBOX`` is on; otherwise every address answers 404.
"""

import io
import json
from datetime import date
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import merchant_api
from .services import Outcome, already_sent, return_address, settle
from .statement import write_statement
from .validation import PageError, PayRequestError, check_pay_request


def sandbox_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.MOTCUA_PAYMENT_SANDBOX:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def format_vnd(amount: int) -> str:
    """1234000 → "1.234.000 ₫" (Vietnamese grouping)."""
    return f"{amount:,}".replace(",", ".") + " ₫"


@sandbox_only
@require_http_methods(["GET", "POST"])
def pay(request):
    """Cổng thanh toán thử nghiệm: the payment page of a signed request (GET), the payer's choice (POST).

    The form posts back to the same address, so the choice is bound to the signed request it was offered for.
    """
    params = request.GET.dict()
    language = "en" if params.get("vnp_Locale") == "en" else "vi"
    with translation.override(language):
        try:
            checked = check_pay_request(params, now=timezone.now())
            if already_sent(checked):
                raise PayRequestError(PageError.DUPLICATE, "vnp_TxnRef")
            if request.method == "POST":
                outcome = request.POST.get("outcome", "")
                if outcome not in Outcome.values:
                    raise PayRequestError(PageError.INVALID_DATA, "outcome")
                result = settle(request=checked, outcome=Outcome(outcome))
                return redirect(return_address(checked.return_url, result))
        except PayRequestError as error:
            context = {"code": error.code, "message": error.message, "detail": error.detail}
            return render(request, "payments_sandbox/error.html", context, status=400)
        context = {
            "request_data": checked,
            "amount": format_vnd(checked.amount),
            "outcomes": Outcome,
            "action": request.get_full_path(),
        }
        return render(request, "payments_sandbox/pay.html", context)


@csrf_exempt
@sandbox_only
@require_POST
def api(request):
    """The merchant API (refund, querydr): signed JSON in, signed JSON out, as VNPay's ``merchant_webapi``."""
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        payload = None
    return JsonResponse(merchant_api.handle(payload))


@sandbox_only
@require_GET
def statement(request):
    """Sao kê: the statement of ``?date=YYYY-MM-DD`` as a CSV file, for reconciliation."""
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return HttpResponseBadRequest("date: expected YYYY-MM-DD", content_type="text/plain; charset=utf-8")
    out = io.StringIO()
    write_statement(day, out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sandbox-statement-{day.isoformat()}.csv"'
    return response
