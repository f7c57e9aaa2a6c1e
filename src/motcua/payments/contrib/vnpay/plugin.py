"""The VNPay merchant adapter: the signed redirect to ``vpcpay.html``, the callbacks read and verified, and
the refund call to the merchant API (``protocol`` holds the signing rules both sides share)."""

import json
import secrets
import urllib.error
import urllib.request

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...base import CallbackFacts, Checkout, Gateway, RefundResult
from . import protocol

ORDER_TYPE = "billpayment"  # VNPay's category of fees and bills
TIMEOUT_SECONDS = 15


class VNPayGateway(Gateway):
    key = "vnpay"
    label = _("VNPay")
    can_refund = True

    # --- where the gateway is --------------------------------------------------------------------------

    def payment_url(self, account) -> str:
        return account.config.get("payment_url", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")

    def api_url(self, account) -> str:
        return account.config.get("api_url", "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction")

    # --- paying -----------------------------------------------------------------------------------------

    def start(self, payment, *, client_ip, return_url, locale, expires_at, description) -> Checkout:
        creds = self.credentials(payment.account)
        params = {
            "vnp_Version": protocol.VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": creds.merchant,
            "vnp_Amount": protocol.to_vnp_amount(payment.amount),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": description,
            "vnp_OrderType": ORDER_TYPE,
            "vnp_Locale": "en" if locale.startswith("en") else "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": protocol.format_date(payment.created_at),
            "vnp_ExpireDate": protocol.format_date(expires_at),
        }
        query = protocol.signed_query(params, creds.secret)
        return Checkout(redirect_url=f"{self.payment_url(payment.account)}?{query}")

    def reference_of(self, params: dict) -> str:
        return str(params.get("vnp_TxnRef", ""))

    def read_callback(self, params: dict, account) -> CallbackFacts:
        creds = self.credentials(account)
        if not protocol.verify(params, creds.secret):
            return CallbackFacts(verified=False, raw=dict(params))
        return CallbackFacts(
            verified=True,
            reference=str(params.get("vnp_TxnRef", "")),
            merchant=str(params.get("vnp_TmnCode", "")),
            amount=protocol.from_vnp_amount(params.get("vnp_Amount", "")),
            success=params.get("vnp_ResponseCode") == protocol.SUCCESS
            and params.get("vnp_TransactionStatus") == protocol.SUCCESS,
            transaction_no=str(params.get("vnp_TransactionNo", ""))[:64],
            bank_code=str(params.get("vnp_BankCode", ""))[:32],
            raw=dict(params),
        )

    # --- refunding --------------------------------------------------------------------------------------

    def refund(self, payment, *, amount, reason, by_name, client_ip, request_id="") -> RefundResult:
        """POST the signed refund request to the account's merchant API and check the signed answer."""
        creds = self.credentials(payment.account)
        now = timezone.now()
        body = {
            # VNPay refuses a request id it has seen ("94"): a repeated try does not refund twice.
            "vnp_RequestId": request_id or secrets.token_hex(16),
            "vnp_Version": protocol.VERSION,
            "vnp_Command": "refund",
            "vnp_TmnCode": creds.merchant,
            "vnp_TransactionType": protocol.FULL_REFUND
            if amount >= payment.amount
            else protocol.PARTIAL_REFUND,
            "vnp_TxnRef": payment.reference,
            "vnp_Amount": protocol.to_vnp_amount(amount),
            "vnp_TransactionNo": payment.transaction_no,
            "vnp_TransactionDate": protocol.format_date(payment.created_at),
            "vnp_CreateBy": (by_name or "motcua")[:250],
            "vnp_CreateDate": protocol.format_date(now),
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_OrderInfo": (reason or "Hoan tien")[:255],
        }
        body["vnp_SecureHash"] = protocol.sign_fields(body, protocol.REFUND_REQUEST_FIELDS, creds.secret)
        # The address is the admin's (an https URL) or the in-site sandbox's, never a caller's.
        request = urllib.request.Request(  # noqa: S310
            self.api_url(payment.account),
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                text = response.read(100_000).decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as exc:
            return RefundResult(accepted=False, message=f"unreachable: {exc}", raw="")
        try:
            answer = json.loads(text)
        except ValueError:
            return RefundResult(accepted=False, message="not JSON", raw=text)
        if not isinstance(answer, dict) or not protocol.verify_fields(
            answer, protocol.REFUND_RESPONSE_FIELDS, creds.secret
        ):
            return RefundResult(accepted=False, message="invalid signature", raw=text)
        code = answer.get("vnp_ResponseCode")
        if code == protocol.DUPLICATE and request_id:
            # This very refund was taken by an earlier try whose answer was lost (its worker died).
            return RefundResult(
                accepted=True, message="duplicate request: refunded by an earlier try", raw=text
            )
        accepted = code == protocol.SUCCESS
        return RefundResult(accepted=accepted, message=str(answer.get("vnp_Message", "")), raw=text)
