"""A gateway's word on a payment (its IPN, or the payer's return): verified, recorded verbatim, applied once.

Checks in the gateway's order (VNPay's IPN answers, ``protocol.IpnAnswer``): the signature (97, written to
the security log), the merchant and the reference (01), the amount (04: left unpaid, the agency's finance
officers alerted), then the state: a payment already moved answers 02 and changes nothing, so the same
notification a hundred times, or the notification and the return in either order, move it once. The
dossier's row and then the payment's are locked (``select_for_update``) for the decision, so concurrent
callbacks wait for each other instead of paying twice. Anything unexpected answers 99 and changes nothing.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import OfficerRole, User
from motcua.audit import services as audit
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.notifications import services as notifications

from .. import registry, selectors
from ..contrib.vnpay.protocol import IpnAnswer
from ..models import CallbackKind, Charge, ChargeState, GatewayAccount, Payment, PaymentCallback, PaymentState
from ..signals import payment_paid

logger = logging.getLogger("motcua.payments")
security_log = logging.getLogger("motcua.security")


@dataclass(frozen=True)
class CallbackResult:
    """The answer to give the gateway (``code``, an ``IpnAnswer`` code) and the payment it was about."""

    code: str
    payment: Payment | None = None

    @property
    def body(self) -> dict:
        return IpnAnswer.body(self.code)


def handle_callback(
    gateway: str, params: dict, *, kind: str, raw: str, client_ip: str | None, method: str = "GET"
) -> CallbackResult:
    """Apply what gateway ``gateway`` says in ``params`` (``kind``: ``ipn`` or ``return``); ``raw`` is the
    query string or body as received, kept verbatim whatever it says."""
    record = PaymentCallback.objects.create(
        gateway=gateway[:32], kind=CallbackKind(kind), method=method[:8], raw=raw, remote_ip=client_ip or None
    )
    verified, note = False, ""
    try:
        with transaction.atomic():
            code, payment, verified, note = _apply(gateway, params, kind=kind, client_ip=client_ip)
    except Exception:  # any surprise answers 99: the gateway retries, nothing was changed
        logger.exception("payment callback %s failed", record.pk)
        code, payment, note = IpnAnswer.OTHER_ERROR, None, "error"
    PaymentCallback.objects.filter(pk=record.pk).update(
        verified=verified, answer=code, payment=payment, note=note[:1000]
    )
    return CallbackResult(code=code, payment=payment)


def _apply(gateway: str, params: dict, *, kind: str, client_ip):
    """``(answer code, payment, verified, note)``; runs in one transaction."""
    plugin = registry.get(gateway)
    reference = plugin.reference_of(params)
    payment = (
        Payment.objects.filter(gateway=gateway, reference=reference).select_related("account").first()
        if reference
        else None
    )
    facts, account = _verified(plugin, params, payment)
    if facts is None:
        security_log.warning(
            "security event=payment_signature_invalid gateway=%s reference=%s ip=%s",
            gateway, reference[:40], client_ip or "-",
        )  # fmt: skip
        audit.record(
            "payment.callback_refused", ip=client_ip, target=payment, target_label=reference[:40],
            gateway=gateway, kind=kind, reason="signature",
        )  # fmt: skip
        return IpnAnswer.INVALID_SIGNATURE, payment, False, "invalid signature"
    if payment is None:
        return IpnAnswer.NOT_FOUND, None, True, "unknown reference"
    if facts.merchant != plugin.credentials(account).merchant:
        return IpnAnswer.NOT_FOUND, payment, True, "another merchant"
    code, payment, note = apply_facts(payment, facts, gateway=gateway, client_ip=client_ip)
    return code, payment, True, note


def apply_facts(payment: Payment, facts, *, gateway: str, client_ip) -> tuple[str, Payment, str]:
    """Apply verified ``facts`` (``base.CallbackFacts``) about ``payment``: ``(answer code, payment, note)``.

    The one place a gateway's word (a callback, a bank statement's row) moves a payment; call it inside a
    transaction. The dossier and then the payment are locked; a wrong amount leaves it unpaid (04, the
    finance officers alerted once); a payment already moved changes nothing (02)."""
    Dossier.objects.select_for_update(of=("self",)).get(pk=payment.dossier_id)
    payment = Payment.objects.select_for_update().select_related("dossier", "account").get(pk=payment.pk)
    if facts.amount != payment.amount:
        _amount_mismatch(payment, facts, client_ip=client_ip)
        return IpnAnswer.INVALID_AMOUNT, payment, f"amount {facts.amount} != {payment.amount}"
    movable = payment.state == PaymentState.PENDING or (
        payment.state == PaymentState.EXPIRED and facts.success  # money taken after all: honoured
    )
    if not movable:
        return IpnAnswer.ALREADY_CONFIRMED, payment, f"already {payment.state}"
    now = timezone.now()
    payment.transaction_no = facts.transaction_no
    payment.bank_code = facts.bank_code
    if facts.success:
        payment.state, payment.paid_at = PaymentState.PAID, now
        payment.save(update_fields=["state", "paid_at", "transaction_no", "bank_code"])
        audit.record(
            "payment.paid", ip=client_ip, target=payment.dossier, target_label=payment.dossier.code,
            payment=payment.reference, amount=payment.amount, gateway=gateway,
            transaction_no=facts.transaction_no,
        )  # fmt: skip
        _settle(payment)
    else:
        payment.state, payment.failed_at = PaymentState.FAILED, now
        payment.save(update_fields=["state", "failed_at", "transaction_no", "bank_code"])
        audit.record(
            "payment.failed", ip=client_ip, target=payment.dossier, target_label=payment.dossier.code,
            payment=payment.reference, amount=payment.amount, gateway=gateway,
            response=str(facts.raw.get("vnp_ResponseCode", ""))[:8],
        )  # fmt: skip
    return IpnAnswer.CONFIRMED, payment, payment.state


def _verified(plugin, params, payment):
    """The callback's facts and the account whose secret signed them; ``(None, None)`` if none did. The
    payment's own account when the reference is ours, else every account of the gateway (to tell an
    unknown reference, 01, from a forgery, 97)."""
    if payment is not None:
        candidates = [payment.account]
    else:
        candidates = list(GatewayAccount.objects.filter(gateway=plugin.key, is_active=True))
        if plugin.default_credentials:
            candidates.append(None)
    for account in candidates:
        facts = plugin.read_callback(params, account)
        if facts.verified:
            return facts, account
    return None, None


def _settle(payment: Payment) -> None:
    """A paid payment settles the charges it covers that are still owed; what others settled meanwhile
    (paid twice, through two gateways or a superseded attempt) is refunded. A dossier waiting for a
    requested payment goes on once nothing requested is owed."""
    from .refunds import refund

    now = timezone.now()
    surplus = 0
    for charge in Charge.objects.select_for_update().filter(attempts=payment).order_by("pk"):
        if charge.state == ChargeState.OWED:
            charge.state, charge.paid_at, charge.payment = ChargeState.PAID, now, payment
            charge.save(update_fields=["state", "paid_at", "payment"])
        else:
            surplus += charge.amount
    payment_paid.send(sender=Payment, payment=payment)
    if surplus:
        refund(payment, by=None, amount=min(surplus, payment.amount), reason=_("Paid twice: refunded."))
    after_settled(
        payment.dossier,
        by=payment.payer,
        note=_("Paid online: %(reference)s") % {"reference": payment.reference},
    )


def after_settled(dossier: Dossier, *, by, note: str) -> None:
    """Once a charge is paid or waived: a dossier waiting for payment (6) goes on when nothing requested
    is owed any more (``dossiers.services.payment_received``: back to processing, the clock resumed)."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.status == DossierStatus.PAYMENT_REQUESTED and not selectors.requested_still_owed(dossier):
        dossier_services.payment_received(dossier, by=by, note=note)


def _amount_mismatch(payment: Payment, facts, *, client_ip) -> None:
    """A wrong amount is left unpaid; the agency's finance officers hear of it once per payment."""
    audit.record(
        "payment.amount_mismatch", ip=client_ip, target=payment.dossier, target_label=payment.dossier.code,
        payment=payment.reference, expected=payment.amount, reported=facts.amount,
    )  # fmt: skip
    # Decided on the locked row, in this transaction: a callback's own answer is written only after it
    # commits, so concurrent callbacks cannot see each other's (bench/payments.py found officers told twice).
    if payment.amount_mismatch_at is not None:
        return
    payment.amount_mismatch_at = timezone.now()
    payment.save(update_fields=["amount_mismatch_at"])
    officers = User.objects.filter(
        memberships__agency_id=payment.dossier.agency_id,
        memberships__role=OfficerRole.FINANCE,
        is_active=True,
    ).distinct()
    for officer in officers:
        notifications.notify(
            topic="payment.amount_mismatch",
            template="payment_amount_mismatch",
            context={
                "reference": payment.reference, "code": payment.dossier.code, "gateway": payment.gateway,
                "expected": payment.amount, "reported": facts.amount if facts.amount is not None else "?",
            },
            recipient=officer,
            subject=payment.dossier,
            link=reverse("backoffice:dossier", kwargs={"reference": payment.dossier.code}),
        )  # fmt: skip
