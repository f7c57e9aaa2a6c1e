"""What a payment gateway plug-in must do (in the way of Open Forms' payment plug-ins).

A plug-in starts a payment (a redirect address for the payer, and/or a QR payload), reads a gateway's
callback into verified facts, and may refund. It knows the gateway's protocol and nothing of dossiers:
``payments.services`` decides what the facts mean.
"""

import os
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Checkout:
    """How the payer pays: follow ``redirect_url``, or scan ``qr`` (a payload) in a banking app."""

    redirect_url: str = ""
    qr: str | None = None


@dataclass(frozen=True)
class CallbackFacts:
    """What a callback says, once its signature is checked. ``verified`` False: nothing else is believed."""

    verified: bool
    reference: str = ""
    merchant: str = ""
    amount: int | None = None  # VND; None when the callback's amount is malformed
    success: bool = False
    transaction_no: str = ""
    bank_code: str = ""
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    """The gateway's answer to a refund: accepted or not, with its words and the raw answer."""

    accepted: bool
    message: str = ""
    raw: str = ""


@dataclass(frozen=True)
class Credentials:
    merchant: str
    secret: str


class Gateway:
    """A payment gateway plug-in. Subclasses set ``key`` and ``label`` and implement ``start`` and
    ``read_callback``; a gateway with a refund call sets ``can_refund`` and implements ``refund``."""

    key: str = ""
    label = ""
    can_refund = False
    # Whether the gateway signs with credentials of its own when no account row matches (the sandbox).
    default_credentials = False

    def credentials(self, account) -> Credentials:
        """The merchant code and hash secret of ``account``; the secret from the variable it names."""
        secret = os.environ.get(account.secret_env, "") if account.secret_env else ""
        if not secret:
            raise ImproperlyConfigured(
                f"Payment account {account.pk}: set the environment variable {account.secret_env or '?'} "
                "to the merchant's hash secret."
            )
        return Credentials(merchant=account.merchant_code, secret=secret)

    def expiry_minutes(self) -> int:
        """How long a payment through this gateway may stay pending before it expires."""
        from django.conf import settings

        return settings.MOTCUA_PAYMENT_EXPIRY_MINUTES

    def validate_config(self, account) -> dict[str, str]:
        """Errors in ``account``'s settings for this gateway, by form field (the admin shows them)."""
        return {}

    def start(
        self, payment, *, client_ip: str, return_url: str, locale: str, expires_at: datetime, description: str
    ) -> Checkout:
        raise NotImplementedError

    def read_callback(self, params: dict, account) -> CallbackFacts:
        raise NotImplementedError

    def reference_of(self, params: dict) -> str:
        """Our payment reference in a callback, before anything is verified (to find the account)."""
        raise NotImplementedError

    def refund(
        self, payment, *, amount: int, reason: str, by_name: str, client_ip: str, request_id: str = ""
    ) -> RefundResult:
        """Ask the gateway to refund ``amount``. ``request_id`` is the refund's own key, the same at every
        try: sent as the gateway's idempotency key, so that a try repeated after an unknown outcome (a
        worker killed before it recorded the answer) does not refund twice."""
        raise NotImplementedError
