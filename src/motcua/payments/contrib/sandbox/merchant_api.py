"""The gateway's merchant API (``vnp_Command`` refund and querydr): a signed JSON request, a signed answer.

Requests are signed over ``protocol.REFUND_REQUEST_FIELDS`` / ``QUERYDR_REQUEST_FIELDS`` and answers over
the matching ``*_RESPONSE_FIELDS``, with ``protocol.sign_fields``. Refusals carry VNPay's response codes.
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction

from motcua.payments.contrib.vnpay import protocol

from .models import SandboxRefund, SandboxTransaction, TransactionStatus
from .validation import merchant_secret


class ApiCode:
    """``vnp_ResponseCode`` of the merchant API (VNPay's codes)."""

    SUCCESS = "00"
    INVALID_MERCHANT = "02"  # Merchant không hợp lệ
    INVALID_DATA = "03"  # Dữ liệu gửi sang không đúng định dạng
    FULL_AFTER_PARTIAL = "04"  # Không cho phép hoàn trả toàn phần sau khi hoàn trả một phần
    NOT_FOUND = "91"  # Không tìm thấy giao dịch
    INVALID_AMOUNT = "93"  # Số tiền hoàn trả không hợp lệ
    DUPLICATE = "94"  # Yêu cầu bị trùng lặp
    NOT_REFUNDABLE = "95"  # Giao dịch không thành công bên VNPAY: từ chối hoàn trả
    INVALID_SIGNATURE = "97"  # Chữ ký không hợp lệ
    OTHER_ERROR = "99"

    MESSAGES = {
        SUCCESS: "Success",
        INVALID_MERCHANT: "Invalid merchant",
        INVALID_DATA: "Invalid data format",
        FULL_AFTER_PARTIAL: "A full refund is not allowed after a partial refund",
        NOT_FOUND: "Transaction not found",
        INVALID_AMOUNT: "Invalid refund amount",
        DUPLICATE: "Duplicate request",
        NOT_REFUNDABLE: "The transaction was not successful; refund refused",
        INVALID_SIGNATURE: "Invalid signature",
        OTHER_ERROR: "Unknown error",
    }


_COMMON = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_CreateDate")
_REQUIRED = {
    "refund": (*_COMMON, "vnp_TransactionType", "vnp_Amount", "vnp_TransactionDate", "vnp_CreateBy"),
    "querydr": (*_COMMON, "vnp_TransactionDate"),
}
# vnp_TransactionStatus in querydr answers: 00 success, 01 not finished, 02 failed or cancelled.
_QUERY_STATUS = {
    TransactionStatus.PENDING: "01",
    TransactionStatus.FAILED: "02",
    TransactionStatus.CANCELLED: "02",
}


def handle(payload) -> dict:
    """The signed answer to one merchant-API request (any JSON value; never raises on bad input)."""
    if not isinstance(payload, dict):
        return _answer({}, ApiCode.INVALID_DATA)
    command = payload.get("vnp_Command")
    secret = merchant_secret(str(payload.get("vnp_TmnCode", "")))
    if command not in _REQUIRED:
        return _answer(payload, ApiCode.INVALID_DATA)
    if secret is None:
        return _answer(payload, ApiCode.INVALID_MERCHANT)
    fields = protocol.REFUND_REQUEST_FIELDS if command == "refund" else protocol.QUERYDR_REQUEST_FIELDS
    if not protocol.verify_fields(payload, fields, secret):
        return _answer(payload, ApiCode.INVALID_SIGNATURE)
    if not _well_formed(payload, command):
        return _answer(payload, ApiCode.INVALID_DATA)
    record = SandboxTransaction.objects.filter(
        tmn_code=payload["vnp_TmnCode"], txn_ref=str(payload["vnp_TxnRef"])
    ).first()
    if record is None:
        return _answer(payload, ApiCode.NOT_FOUND)
    if command == "querydr":
        return _answer(payload, ApiCode.SUCCESS, record=record)
    return refund(payload=payload, record=record)


def _well_formed(payload: dict, command: str) -> bool:
    if any(not str(payload.get(name, "")).strip() for name in _REQUIRED[command]):
        return False
    if payload["vnp_Version"] != protocol.VERSION or len(str(payload["vnp_RequestId"])) > 32:
        return False
    try:
        protocol.parse_date(str(payload["vnp_CreateDate"]))
        protocol.parse_date(str(payload["vnp_TransactionDate"]))
    except ValueError:
        return False
    if command == "refund":
        if payload["vnp_TransactionType"] not in (protocol.FULL_REFUND, protocol.PARTIAL_REFUND):
            return False
        if not protocol.from_vnp_amount(str(payload["vnp_Amount"])):
            return False
    return True


def refund(*, payload: dict, record: SandboxTransaction) -> dict:
    """Hoàn tiền: refund part or all of a successful transaction, once per ``vnp_RequestId``."""
    amount = protocol.from_vnp_amount(str(payload["vnp_Amount"]))
    full = payload["vnp_TransactionType"] == protocol.FULL_REFUND
    with transaction.atomic():
        record = SandboxTransaction.objects.select_for_update().get(pk=record.pk)
        if SandboxRefund.objects.filter(
            tmn_code=record.tmn_code, request_id=payload["vnp_RequestId"]
        ).exists():
            return _answer(payload, ApiCode.DUPLICATE, record=record)
        if not record.refundable:
            return _answer(payload, ApiCode.NOT_REFUNDABLE, record=record)
        if full and record.refunded_amount:
            return _answer(payload, ApiCode.FULL_AFTER_PARTIAL, record=record)
        if amount > record.refundable or (full and amount != record.amount):
            return _answer(payload, ApiCode.INVALID_AMOUNT, record=record)
        try:
            with transaction.atomic():
                SandboxRefund.objects.create(
                    transaction=record,
                    request_id=str(payload["vnp_RequestId"]),
                    tmn_code=record.tmn_code,
                    transaction_type=payload["vnp_TransactionType"],
                    amount=amount,
                    created_by=str(payload["vnp_CreateBy"])[:250],
                )
        except IntegrityError:
            return _answer(payload, ApiCode.DUPLICATE, record=record)
        record.refunded_amount += amount
        record.status = (
            TransactionStatus.REFUNDED
            if record.refunded_amount == record.amount
            else TransactionStatus.PARTIALLY_REFUNDED
        )
        record.save(update_fields=["refunded_amount", "status"])
    return _answer(payload, ApiCode.SUCCESS, record=record, refunded=amount)


def _answer(payload: dict, code: str, *, record=None, refunded: int | None = None) -> dict:
    command = payload.get("vnp_Command") if payload.get("vnp_Command") in _REQUIRED else ""
    body = {
        "vnp_ResponseId": secrets.token_hex(16),
        "vnp_Command": command,
        "vnp_ResponseCode": code,
        "vnp_Message": ApiCode.MESSAGES[code],
        "vnp_TmnCode": str(payload.get("vnp_TmnCode", "")),
        "vnp_TxnRef": str(payload.get("vnp_TxnRef", "")),
        "vnp_Amount": "",
        "vnp_BankCode": "",
        "vnp_PayDate": "",
        "vnp_TransactionNo": "",
        "vnp_TransactionType": "",
        "vnp_TransactionStatus": "",
        "vnp_OrderInfo": str(payload.get("vnp_OrderInfo", "")),
    }
    if record is not None:
        body.update(
            vnp_BankCode=record.bank_code,
            vnp_PayDate=protocol.format_date(record.pay_date) if record.pay_date else "",
            vnp_TransactionNo=record.transaction_no,
            vnp_OrderInfo=record.order_info,
        )
        if command == "querydr":
            body.update(
                vnp_Amount=protocol.to_vnp_amount(record.amount),
                vnp_TransactionType=_query_type(record),
                vnp_TransactionStatus=_QUERY_STATUS.get(record.status, protocol.SUCCESS),
            )
        else:
            body.update(
                vnp_Amount=protocol.to_vnp_amount(refunded if refunded is not None else record.amount),
                vnp_TransactionType=str(payload.get("vnp_TransactionType", "")),
                vnp_TransactionStatus=_QUERY_STATUS.get(record.status, protocol.SUCCESS),
            )
    if command == "querydr":
        body.update(vnp_PromotionCode="", vnp_PromotionAmount="")
        fields = protocol.QUERYDR_RESPONSE_FIELDS
    else:
        fields = protocol.REFUND_RESPONSE_FIELDS
    body["vnp_SecureHash"] = protocol.sign_fields(body, fields, settings.MOTCUA_PAYMENT_SANDBOX_SECRET)
    return body


def _query_type(record: SandboxTransaction) -> str:
    if record.status == TransactionStatus.REFUNDED:
        return protocol.FULL_REFUND
    if record.status == TransactionStatus.PARTIALLY_REFUNDED:
        return protocol.PARTIAL_REFUND
    return protocol.PAYMENT
