"""The gateway-facing addresses: the IPN (``/thanh-toan/<gateway>/ipn/``), which VNPay calls with a GET and
expects ``{"RspCode", "Message"}`` from, and the return address the payer's browser comes back to; and the
VietQR transfer page with its printable slip, which only the payer and the agency's officers see.

Thin: ``services.handle_callback`` decides everything. No login and no CSRF token: the gateway's signature
is what is trusted, and it is checked there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.core.net import client_ip
from motcua.dossiers import selectors as dossier_selectors

from . import registry, rules, services
from .contrib.vietqr.qr import qr_svg
from .models import CallbackKind, PaymentState


def _params(request) -> tuple[dict, str]:
    """The callback's parameters (the last value of each) and its text as received."""
    if request.method == "POST":
        return request.POST.dict() or request.GET.dict(), request.body.decode("utf-8", "replace")
    return request.GET.dict(), request.META.get("QUERY_STRING", "")


def _gateway(key: str) -> str:
    if not registry.known(key):
        raise Http404(_("Unknown payment gateway."))
    return key


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def ipn(request, gateway):
    """Instant payment notification: the gateway says how a payment ended; we answer what we did."""
    params, raw = _params(request)
    result = services.handle_callback(
        _gateway(gateway), params, kind=CallbackKind.IPN, raw=raw, client_ip=client_ip(request),
        method=request.method,
    )  # fmt: skip
    return JsonResponse(result.body)


@never_cache
@require_http_methods(["GET"])
def return_page(request, gateway):
    """The payer back from the gateway: the result applied like the IPN's, then their dossier's page."""
    params, raw = _params(request)
    result = services.handle_callback(
        _gateway(gateway), params, kind=CallbackKind.RETURN, raw=raw, client_ip=client_ip(request),
        method=request.method,
    )  # fmt: skip
    payment = result.payment
    if payment is None or result.code in ("97", "01", "99"):
        messages.error(
            request, _("We could not confirm this payment. If money was taken, contact the agency.")
        )
        return HttpResponseRedirect("/ho-so/")
    if payment.state == PaymentState.PAID or payment.state == PaymentState.REFUNDED:
        messages.success(request, _("Your payment has been received. Thank you."))
    elif result.code == "04":
        messages.error(
            request, _("The amount paid does not match; the agency will check it and contact you.")
        )
    elif payment.state == PaymentState.PENDING:
        messages.info(request, _("Your payment is being confirmed; this page will show it once it is."))
    else:
        messages.warning(request, _("The payment was not made. You can try again."))
    return HttpResponseRedirect(dossier_selectors.applicant_link(payment.dossier))


def _transfer(request, reference):
    """The VietQR payment ``reference`` if ``request.user`` may read it (its payer, the agency's officers)."""
    payment = (
        rules.visible_payments(request.user)
        .filter(reference=(reference or "").strip().upper()[:20], gateway="vietqr")
        .select_related("dossier", "account", "dossier__agency")
        .first()
    )
    if payment is None:
        raise Http404(_("No bank transfer of yours has this reference."))
    plugin = registry.get("vietqr")
    payload = plugin.payload_of(payment)
    return {
        "payment": payment,
        "payload": payload,
        "qr": mark_safe(qr_svg(payload)),
        "bank": plugin.bank_name(payment.account),
        "account_number": payment.account.config.get("account_number", ""),
        "account_name": payment.account.config.get("account_name", ""),
        "dossier_link": dossier_selectors.applicant_link(payment.dossier),
        # An expired QR is not shown: its amount may have been superseded by a new payment's.
        "payable": payment.state == PaymentState.PENDING,
    }


@never_cache
@login_required
@require_http_methods(["GET"])
def vietqr_page(request, reference):
    """Chuyển khoản: the QR to scan, the account and the reference to type, and how the payment is seen."""
    return render(request, "payments/vietqr.html", _transfer(request, reference))


@never_cache
@login_required
@require_http_methods(["GET"])
def vietqr_slip(request, reference):
    """Phiếu thanh toán: the same, on one printable page (the browser prints it or saves it as PDF)."""
    return render(request, "payments/vietqr_slip.html", _transfer(request, reference))
