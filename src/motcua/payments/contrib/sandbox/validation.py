"""What the sandbox gateway checks in a payment request (``vnp_Command=pay``) before it offers payment.

The checks and their codes follow VNPay's payment page: the page answers an invalid request with an error
code and never offers to pay it.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.payments.contrib.vnpay import protocol

# VNPay 2.1.0 asks for all of these; vnp_Locale, vnp_OrderType and vnp_BankCode are optional here.
REQUIRED = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_CurrCode",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_ReturnUrl",
    "vnp_CreateDate",
    "vnp_ExpireDate",
    "vnp_IpAddr",
)  # fmt: skip


class PageError:
    """Codes of the payment page's error answer (VNPay-like)."""

    INVALID_DATA = "03"  # Dữ liệu gửi sang không đúng định dạng
    EXPIRED = "15"  # Giao dịch đã quá thời gian chờ thanh toán
    INVALID_SIGNATURE = "70"  # Sai chữ ký
    UNKNOWN_MERCHANT = "71"  # Website/merchant không tồn tại
    DUPLICATE = "94"  # Giao dịch đã tồn tại (vnp_TxnRef already used)

    MESSAGES = {
        INVALID_DATA: _("The payment request is not in the expected format."),
        EXPIRED: _("The time allowed for this payment has run out. Go back to the portal and start again."),
        INVALID_SIGNATURE: _("The payment request is not signed correctly."),
        UNKNOWN_MERCHANT: _("The merchant of this payment request is not known to the gateway."),
        DUPLICATE: _(
            "This order has already been sent to the gateway. Go back to the portal and start again."
        ),
    }


class PayRequestError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.message = PageError.MESSAGES[code]
        self.detail = detail  # which field, for the tester; never a secret


@dataclass(frozen=True)
class PayRequest:
    """A valid payment request: what the gateway shows and records."""

    tmn_code: str
    txn_ref: str
    amount: int  # VND
    order_info: str
    return_url: str
    bank_code: str
    create_date: str
    expire_date: datetime
    locale: str  # "vn" or "en"


def merchant_secret(tmn_code: str) -> str | None:
    """The hash secret of a merchant the sandbox knows (one: the demo merchant of the settings)."""
    if tmn_code and tmn_code == settings.MOTCUA_PAYMENT_SANDBOX_MERCHANT:
        return settings.MOTCUA_PAYMENT_SANDBOX_SECRET
    return None


def check_pay_request(params: dict, *, now: datetime) -> PayRequest:
    """The request of ``params`` (a query's values), checked; raises PayRequestError with VNPay's code."""
    missing = [name for name in REQUIRED if not str(params.get(name, "")).strip()]
    if missing:
        raise PayRequestError(PageError.INVALID_DATA, ", ".join(missing))
    secret = merchant_secret(params["vnp_TmnCode"])
    if secret is None:
        raise PayRequestError(PageError.UNKNOWN_MERCHANT, "vnp_TmnCode")
    if not protocol.verify(params, secret):
        raise PayRequestError(PageError.INVALID_SIGNATURE, "vnp_SecureHash")
    if params["vnp_Version"] != protocol.VERSION:
        raise PayRequestError(PageError.INVALID_DATA, "vnp_Version")
    if params["vnp_Command"] != "pay":
        raise PayRequestError(PageError.INVALID_DATA, "vnp_Command")
    if params["vnp_CurrCode"] != "VND":
        raise PayRequestError(PageError.INVALID_DATA, "vnp_CurrCode")
    amount = protocol.from_vnp_amount(params["vnp_Amount"])
    if not amount:
        raise PayRequestError(PageError.INVALID_DATA, "vnp_Amount")
    txn_ref = params["vnp_TxnRef"]
    if len(txn_ref) > 100:
        raise PayRequestError(PageError.INVALID_DATA, "vnp_TxnRef")
    return_url = params["vnp_ReturnUrl"]
    parts = urlsplit(return_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(return_url) > 1000:
        raise PayRequestError(PageError.INVALID_DATA, "vnp_ReturnUrl")
    if len(params["vnp_OrderInfo"]) > 255:
        raise PayRequestError(PageError.INVALID_DATA, "vnp_OrderInfo")
    try:
        protocol.parse_date(params["vnp_CreateDate"])
        expire_date = protocol.parse_date(params["vnp_ExpireDate"])
    except ValueError:
        raise PayRequestError(PageError.INVALID_DATA, "vnp_CreateDate/vnp_ExpireDate") from None
    if expire_date <= now:
        raise PayRequestError(PageError.EXPIRED, "vnp_ExpireDate")
    return PayRequest(
        tmn_code=params["vnp_TmnCode"],
        txn_ref=txn_ref,
        amount=amount,
        order_info=params["vnp_OrderInfo"],
        return_url=return_url,
        bank_code=str(params.get("vnp_BankCode", ""))[:20],
        create_date=params["vnp_CreateDate"],
        expire_date=expire_date,
        locale="en" if params.get("vnp_Locale") == "en" else "vn",
    )
