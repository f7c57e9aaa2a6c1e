"""Writes of payments: the only code that moves money, one module per subject.

- ``charges``: what a dossier owes (``add_charge``; ``request_charge``, an officer asking for a payment);
- ``checkout``: a payment transaction opened over what is owed, and the payer sent to the gateway;
- ``callbacks``: a gateway's notification (IPN) or the payer's return, verified, recorded and applied once;
- ``refunds``: a refund recorded and sent through the gateway; refused and stopped dossiers refunded;
- ``expiry``: pending payments past their time;
- ``receipts``: the e-receipt of a paid payment (a task, after commit);
- ``accounts``: agencies' merchant accounts, which decide whether they take fees online (service level 4).
- ``statements``: a VietQR account's bank statement imported, its credits settling payments as callbacks do;
- ``reconcile``: a gateway's statement of a day compared with our records (reading only).

Errors: ValidationError for bad input (400), ``PaymentRefused`` for the wrong moment (409),
PermissionDenied for the wrong person (403/404).
"""

from .accounts import delete_gateway_account, save_gateway_account, set_gateway_active, sync_online_payment
from .callbacks import CallbackResult, handle_callback
from .charges import add_charge, request_charge, waive_charge
from .checkout import open_checkout
from .errors import PaymentRefused
from .expiry import expire_stale_payments
from .receipts import issue_receipt
from .refunds import refund, refund_dossier, send_refund

__all__ = [
    "CallbackResult",
    "PaymentRefused",
    "add_charge",
    "delete_gateway_account",
    "expire_stale_payments",
    "handle_callback",
    "issue_receipt",
    "open_checkout",
    "refund",
    "refund_dossier",
    "request_charge",
    "save_gateway_account",
    "send_refund",
    "set_gateway_active",
    "sync_online_payment",
    "waive_charge",
]
