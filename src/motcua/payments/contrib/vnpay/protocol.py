"""The VNPay payment protocol (cổng thanh toán VNPay, version 2.1.0), both sides of it.

A merchant redirects the payer to the gateway with ``vnp_*`` parameters signed by ``vnp_SecureHash``: an
HMAC-SHA512, keyed with the merchant's hash secret, of the parameters sorted by name and URL-encoded as
``name=value`` pairs joined by ``&`` (``vnp_SecureHash`` and ``vnp_SecureHashType`` themselves left out).
The gateway sends the payer back to ``vnp_ReturnUrl`` and calls the merchant's IPN address with the result,
signed the same way; the merchant answers the IPN with ``{"RspCode", "Message"}``.

Both the merchant adapter (``contrib.vnpay``) and the sandbox gateway (``contrib.sandbox``), which plays the
gateway's part, sign and verify with these functions, so the sandbox exercises the real adapter code.
"""

import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

VERSION = "2.1.0"
VND_FACTOR = 100  # vnp_Amount is the amount in VND times 100
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # vnp_CreateDate and vnp_ExpireDate are GMT+7
DATE_FORMAT = "%Y%m%d%H%M%S"
SIGNATURE_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")

# vnp_ResponseCode / vnp_TransactionStatus: "00" is success; "24" the payer cancelled.
SUCCESS = "00"
DUPLICATE = "94"  # merchant API: a request id already seen (Yêu cầu bị trùng lặp)
CANCELLED = "24"


class IpnAnswer:
    """What the merchant answers an IPN (``RspCode``)."""

    CONFIRMED = "00"  # Confirm Success
    NOT_FOUND = "01"  # Order not found
    ALREADY_CONFIRMED = "02"  # Order already confirmed: a repeat changes nothing
    INVALID_AMOUNT = "04"  # Invalid amount
    INVALID_SIGNATURE = "97"  # Invalid signature
    OTHER_ERROR = "99"  # Unknown error

    MESSAGES = {
        CONFIRMED: "Confirm Success",
        NOT_FOUND: "Order not found",
        ALREADY_CONFIRMED: "Order already confirmed",
        INVALID_AMOUNT: "Invalid amount",
        INVALID_SIGNATURE: "Invalid signature",
        OTHER_ERROR: "Unknown error",
    }

    @classmethod
    def body(cls, code: str) -> dict:
        return {"RspCode": code, "Message": cls.MESSAGES[code]}


def signed_text(params: dict) -> str:
    """The text VNPay signs: every ``vnp_`` parameter but the signature, sorted, URL-encoded, ``&``-joined."""
    pairs = sorted(
        (str(k), str(v))
        for k, v in params.items()
        if str(k).startswith("vnp_") and k not in SIGNATURE_FIELDS and v not in (None, "")
    )
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in pairs)


def sign(params: dict, secret: str) -> str:
    """``vnp_SecureHash`` of ``params`` (hex, lower case)."""
    return hmac.new(secret.encode(), signed_text(params).encode(), hashlib.sha512).hexdigest()


def verify(params: dict, secret: str) -> bool:
    """Whether ``params`` carry a ``vnp_SecureHash`` made with ``secret`` (compared in constant time)."""
    given = str(params.get("vnp_SecureHash", ""))
    return bool(given) and hmac.compare_digest(given.lower(), sign(params, secret))


def signed_query(params: dict, secret: str) -> str:
    """The query string of a signed request: the signed text with its ``vnp_SecureHash`` appended."""
    return f"{signed_text(params)}&vnp_SecureHash={sign(params, secret)}"


def format_date(moment: datetime) -> str:
    return moment.astimezone(TIMEZONE).strftime(DATE_FORMAT)


def parse_date(text: str) -> datetime:
    """A ``yyyyMMddHHmmss`` GMT+7 date; raises ValueError when malformed."""
    return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=TIMEZONE)


def to_vnp_amount(amount_vnd: int) -> str:
    return str(int(amount_vnd) * VND_FACTOR)


def from_vnp_amount(text: str) -> int | None:
    """The VND amount of a ``vnp_Amount``; None when it is not a whole number of đồng."""
    try:
        value = int(str(text))
    except ValueError:
        return None
    if value < 0 or value % VND_FACTOR:
        return None
    return value // VND_FACTOR


# --- the merchant API (querydr, refund): JSON posted to the gateway's API address --------------------------
# Its requests and answers are signed over fixed fields joined by "|", in this order.
REFUND_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
    "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate",
    "vnp_IpAddr", "vnp_OrderInfo",
)  # fmt: skip
REFUND_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
    "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
    "vnp_TransactionStatus", "vnp_OrderInfo",
)  # fmt: skip
FULL_REFUND = "02"  # vnp_TransactionType of a refund of the whole amount; "03" is a partial refund
PARTIAL_REFUND = "03"


def sign_fields(values: dict, fields: tuple[str, ...], secret: str) -> str:
    """``vnp_SecureHash`` of a merchant-API message: HMAC-SHA512 of ``fields``' values joined by ``|``."""
    text = "|".join(str(values.get(name, "")) for name in fields)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


def verify_fields(values: dict, fields: tuple[str, ...], secret: str) -> bool:
    given = str(values.get("vnp_SecureHash", ""))
    return bool(given) and hmac.compare_digest(given.lower(), sign_fields(values, fields, secret))


# querydr (truy vấn kết quả giao dịch), as VNPay's merchant-API documentation signs it. The answer's
# promotion fields are part of the signed text even when empty (the sandbox never grants promotions).
QUERYDR_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
    "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)  # fmt: skip
QUERYDR_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
    "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
    "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
)  # fmt: skip
PAYMENT = "01"  # vnp_TransactionType of a payment, in querydr answers
