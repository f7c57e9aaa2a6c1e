"""The merchant side of the in-site sandbox gateway: the VNPay adapter pointed at Motcua's own sandbox
routes (``payments_sandbox:pay`` and ``payments_sandbox:api``), with its documented demo merchant code and
secret (``MOTCUA_PAYMENT_SANDBOX_MERCHANT``, ``MOTCUA_PAYMENT_SANDBOX_SECRET``) unless the account names
its own. The whole payment journey so runs offline through the real adapter code."""

import os

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ...base import Credentials
from .plugin import VNPayGateway


def absolute(path: str) -> str:
    """``path`` on the site's public address when one is set (the gateway calls it from outside)."""
    base = (getattr(settings, "MOTCUA_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else path


class SandboxGateway(VNPayGateway):
    key = "sandbox"
    label = _("Sandbox gateway (test payments)")
    default_credentials = True

    def credentials(self, account) -> Credentials:
        own = account.merchant_code if account is not None else ""
        merchant = own or settings.MOTCUA_PAYMENT_SANDBOX_MERCHANT
        secret = ""
        if account is not None and account.secret_env:
            secret = os.environ.get(account.secret_env, "")
        return Credentials(merchant=merchant, secret=secret or settings.MOTCUA_PAYMENT_SANDBOX_SECRET)

    def payment_url(self, account) -> str:
        return account.config.get("payment_url") or absolute(reverse("payments_sandbox:pay"))

    def api_url(self, account) -> str:
        return account.config.get("api_url") or absolute(reverse("payments_sandbox:api"))
