"""What the sandbox gateway does with a payment: records the payer's choice, signs the result, calls the IPN.

Writes of the gateway's own ledger only; the portal's payments change through the real merchant adapter when
the IPN and the return reach it.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils import timezone

from motcua.core.tasks import enqueue
from motcua.payments.contrib.vnpay import protocol

from .models import IpnDelivery, SandboxTransaction, TransactionStatus
from .validation import PageError, PayRequest, PayRequestError

BANK_CODE = "NCB"  # the bank VNPay's own sandbox pays with
CARD_TYPE = "ATM"
FAILED = "51"  # vnp_ResponseCode: the account has not enough money
TRANSACTION_ERROR = "02"  # vnp_TransactionStatus of a failed or cancelled payment


class Outcome(TextChoices):
    """What the tester chooses on the payment page."""

    SUCCESS = "success", "Pay successfully"
    FAILURE = "failure", "Payment fails"
    CANCEL = "cancel", "Cancel"


_RESULTS = {
    # outcome: (vnp_ResponseCode, vnp_TransactionStatus, our status)
    Outcome.SUCCESS: (protocol.SUCCESS, protocol.SUCCESS, TransactionStatus.SUCCESS),
    Outcome.FAILURE: (FAILED, TRANSACTION_ERROR, TransactionStatus.FAILED),
    Outcome.CANCEL: (protocol.CANCELLED, TRANSACTION_ERROR, TransactionStatus.CANCELLED),
}


def new_transaction_no() -> str:
    """A fresh 8-digit gateway transaction number (vnp_TransactionNo)."""
    while True:
        number = str(10_000_000 + secrets.randbelow(90_000_000))
        if not SandboxTransaction.objects.filter(transaction_no=number).exists():
            return number


def already_sent(request: PayRequest) -> bool:
    return SandboxTransaction.objects.filter(tmn_code=request.tmn_code, txn_ref=request.txn_ref).exists()


@transaction.atomic
def settle(*, request: PayRequest, outcome: Outcome, now: datetime | None = None) -> dict:
    """Thanh toán thử nghiệm: record the payer's ``outcome`` of a checked request, once per merchant and
    ``vnp_TxnRef`` (a repeat raises PayRequestError DUPLICATE), queue the IPN to the merchant after the
    commit, and return the signed result parameters the browser takes to ``vnp_ReturnUrl``."""
    now = now or timezone.now()
    response_code, transaction_status, status = _RESULTS[Outcome(outcome)]
    if already_sent(request):
        raise PayRequestError(PageError.DUPLICATE, "vnp_TxnRef")
    number = new_transaction_no()
    paid = status == TransactionStatus.SUCCESS
    try:
        with transaction.atomic():
            record = SandboxTransaction.objects.create(
                transaction_no=number,
                tmn_code=request.tmn_code,
                txn_ref=request.txn_ref,
                amount=request.amount,
                order_info=request.order_info,
                return_url=request.return_url,
                bank_code=request.bank_code or BANK_CODE,
                bank_tran_no=f"VNP{number}" if paid else "",
                card_type=CARD_TYPE if paid else "",
                response_code=response_code,
                status=status,
                create_date=request.create_date,
                pay_date=now,
            )
    except IntegrityError:  # the same order sent twice at the same moment
        raise PayRequestError(PageError.DUPLICATE, "vnp_TxnRef") from None
    params = result_params(record, transaction_status=transaction_status)
    delivery = IpnDelivery.objects.create(
        transaction=record, url=settings.MOTCUA_PAYMENT_SANDBOX_IPN_URL, params=params
    )
    from .tasks import deliver_ipn  # the task module imports this one

    enqueue(deliver_ipn, delivery.pk)
    return params


def result_params(record: SandboxTransaction, *, transaction_status: str) -> dict:
    """The signed ``vnp_*`` result of a transaction, as VNPay sends it to the return URL and the IPN."""
    params = {
        "vnp_Amount": protocol.to_vnp_amount(record.amount),
        "vnp_BankCode": record.bank_code,
        "vnp_BankTranNo": record.bank_tran_no,
        "vnp_CardType": record.card_type,
        "vnp_OrderInfo": record.order_info,
        "vnp_PayDate": protocol.format_date(record.pay_date),
        "vnp_ResponseCode": record.response_code,
        "vnp_TmnCode": record.tmn_code,
        "vnp_TransactionNo": record.transaction_no,
        "vnp_TransactionStatus": transaction_status,
        "vnp_TxnRef": record.txn_ref,
    }
    # Empty values are not signed (protocol.signed_text) and VNPay leaves them out: so do we.
    params = {name: value for name, value in params.items() if value}
    params["vnp_SecureHash"] = protocol.sign(params, settings.MOTCUA_PAYMENT_SANDBOX_SECRET)
    return params


def return_address(return_url: str, params: dict) -> str:
    """``vnp_ReturnUrl`` with the signed result in its query, as VNPay redirects the payer."""
    query = protocol.signed_text(params) + "&vnp_SecureHash=" + params["vnp_SecureHash"]
    return f"{return_url}{'&' if '?' in return_url else '?'}{query}"


@transaction.atomic
def resend_ipn(*, txn_ref: str, tmn_code: str | None = None) -> IpnDelivery:
    """Gửi lại IPN: call the merchant's IPN address again with the same signed result (a tester checking
    that a repeated IPN changes nothing, answered 02); raises SandboxTransaction.DoesNotExist."""
    record = SandboxTransaction.objects.get(
        tmn_code=tmn_code or settings.MOTCUA_PAYMENT_SANDBOX_MERCHANT, txn_ref=txn_ref
    )
    first = record.ipns.order_by("created_at", "id").first()
    delivery = IpnDelivery.objects.create(
        transaction=record, url=settings.MOTCUA_PAYMENT_SANDBOX_IPN_URL, params=first.params
    )
    from .tasks import deliver_ipn

    enqueue(deliver_ipn, delivery.pk)
    return delivery
