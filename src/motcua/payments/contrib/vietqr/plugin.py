"""The VietQR gateway: a bank transfer (chuyển khoản NAPAS 247) to the agency's own account, asked by a QR.

There is no gateway server: ``start`` builds the EMVCo payload (the amount, our reference in field 62/08)
and sends the payer to our page that shows it (``payments:vietqr``). Nothing calls back; the payment stays
pending until the account's bank statement that shows the credit is imported
(``payments.services.statements``), so it expires after days, not minutes (``MOTCUA_VIETQR_EXPIRY_MINUTES``).

An account's ``config``: ``bank_bin`` (the bank's 6-digit NAPAS BIN), ``account_number``, ``account_name``
(as the bank holds it, shown to the payer) and optionally ``bank_name``.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ...base import CallbackFacts, Checkout, Credentials, Gateway
from . import payload

# The banks most agencies collect at, by NAPAS BIN (an account's ``bank_name`` names any other).
BANKS = {
    "970436": "Vietcombank",
    "970418": "BIDV",
    "970415": "VietinBank",
    "970405": "Agribank",
    "970407": "Techcombank",
    "970422": "MB Bank",
    "970416": "ACB",
    "970403": "Sacombank",
    "970432": "VPBank",
    "970423": "TPBank",
    "970441": "VIB",
    "970443": "SHB",
}
_ACCOUNT_NAME = re.compile(r"[A-Z0-9 .,&()/-]{2,70}")


class VietQRGateway(Gateway):
    key = "vietqr"
    label = _("Bank transfer (VietQR)")

    def expiry_minutes(self) -> int:
        return settings.MOTCUA_VIETQR_EXPIRY_MINUTES

    def credentials(self, account) -> Credentials:
        """No secret: the bank statement, imported by a finance officer, is what is trusted."""
        return Credentials(merchant=str(account.config.get("account_number", "")), secret="")

    def validate_config(self, account) -> dict[str, str]:
        config = account.config if isinstance(account.config, dict) else {}
        errors = {}
        if not re.fullmatch(r"[0-9]{6}", str(config.get("bank_bin", ""))):
            errors["config"] = _(
                "“bank_bin” must be the bank's 6-digit NAPAS BIN (e.g. 970436 for Vietcombank)."
            )
        elif not re.fullmatch(r"[0-9A-Za-z]{1,19}", str(config.get("account_number", ""))):
            errors["config"] = _("“account_number” must be the account number: 1 to 19 letters or digits.")
        elif not _ACCOUNT_NAME.fullmatch(str(config.get("account_name", ""))):
            errors["config"] = _(
                "“account_name” must be the account holder's name as the bank holds it: capital letters "
                "without accents, 2 to 70 characters."
            )
        return errors

    @staticmethod
    def bank_name(account) -> str:
        config = account.config
        return str(
            config.get("bank_name") or BANKS.get(str(config.get("bank_bin", "")), config.get("bank_bin", ""))
        )

    @staticmethod
    def payload_of(payment) -> str:
        config = payment.account.config
        return payload.build(
            bank_bin=str(config.get("bank_bin", "")),
            account=str(config.get("account_number", "")),
            amount=payment.amount,
            reference=payment.reference,
        )

    def start(self, payment, *, client_ip, return_url, locale, expires_at, description) -> Checkout:
        path = reverse("payments:vietqr", kwargs={"reference": payment.reference})
        base = (getattr(settings, "MOTCUA_PUBLIC_URL", "") or "").rstrip("/")
        return Checkout(redirect_url=f"{base}{path}", qr=self.payload_of(payment))

    def reference_of(self, params: dict) -> str:
        return ""  # nobody calls back: a call claiming to be VietQR's is refused as unsigned

    def read_callback(self, params: dict, account) -> CallbackFacts:
        return CallbackFacts(verified=False, raw=dict(params))
