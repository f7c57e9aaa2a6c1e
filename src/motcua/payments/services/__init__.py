"""Writes of payments: the only code that moves money, one module per subject.

- ``charges``: what a dossier owes (``add_charge``; ``request_charge``, an officer asking for a payment);
- ``checkout``: a payment transaction opened over what is owed, and the payer sent to the gateway;
- ``callbacks``: a gateway's notification (IPN) or the payer's return, verified, recorded and applied once;
- ``refunds``: a refund recorded and sent through the gateway; refused and stopped dossiers refunded;
- ``expiry``: pending payments past their time;
- ``statements``: a VietQR account's bank statement imported, its credits settling payments as callbacks do;
- ``reconcile``: a gateway's statement of a day compared with our records (reading only).

Errors: ValidationError for bad input (400), ``PaymentRefused`` for the wrong moment (409),
PermissionDenied for the wrong person (403/404).
"""

from .callbacks import CallbackResult, handle_callback
from .charges import add_charge, request_charge, waive_charge
from .checkout import open_checkout
from .errors import PaymentRefused
from .expiry import expire_stale_payments
from .refunds import refund, refund_dossier, send_refund

__all__ = [
    "CallbackResult",
    "PaymentRefused",
    "add_charge",
    "expire_stale_payments",
    "handle_callback",
    "open_checkout",
    "refund",
    "refund_dossier",
    "request_charge",
    "send_refund",
    "waive_charge",
]
