"""Refunds (hoàn tiền): recorded here, in the caller's transaction, and sent through the gateway where it
has a refund call, by a task after the commit (an outside system is never called inside a transaction).

A dossier that is refused (3) or stopped (8) after being paid gets what it paid refunded
(``refund_dossier``, run by the listener on ``dossiers.signals.dossier_moved``).
"""

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.core import tasks

from .. import registry, rules
from ..models import CallbackKind, Charge, ChargeState, Payment, PaymentCallback, PaymentState
from .errors import PaymentRefused


@transaction.atomic
def refund(payment: Payment, *, by, reason: str, amount: int | None = None) -> Payment:
    """Hoàn tiền: give back ``amount`` (by default all that is left) of a paid payment. ``by``: a finance
    officer of the receiving agency, or None when Motcua itself refunds (a refused dossier, paid twice)."""
    payment = Payment.objects.select_for_update().select_related("dossier", "account").get(pk=payment.pk)
    if by is not None and not rules.allowed(rules.REFUND, payment.dossier, by):
        raise PermissionDenied(_("Only a finance officer of the agency may refund a payment."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the payment is refunded.")]})
    left = payment.amount - payment.refunded_amount
    if payment.state != PaymentState.PAID or left <= 0:
        raise PaymentRefused(_("Only a paid payment can be refunded."))
    amount = left if amount is None else int(amount)
    if not 0 < amount <= left:
        raise ValidationError({"amount": [_("A refund is more than nothing and at most what was paid.")]})
    now = timezone.now()
    payment.refunded_amount += amount
    payment.refunded_at = now
    payment.refund_reason = f"{payment.refund_reason}\n{reason}".strip()
    if payment.refunded_amount == payment.amount:
        payment.state = PaymentState.REFUNDED
        Charge.objects.filter(payment=payment, state=ChargeState.PAID).update(state=ChargeState.REFUNDED)
    plugin = registry.get(payment.gateway) if registry.known(payment.gateway) else None
    payment.refund_status = "sent" if plugin is not None and plugin.can_refund else ""
    payment.save(update_fields=["refunded_amount", "refunded_at", "refund_reason", "state", "refund_status"])
    audit.record(
        "payment.refunded", actor=by, target=payment.dossier, target_label=payment.dossier.code,
        payment=payment.reference, amount=amount, reason=reason,
    )  # fmt: skip
    if payment.refund_status == "sent":
        by_name = by.get_full_name() or by.get_username() if by is not None else "motcua"
        # The refund's own key: the payment and what it has been refunded in all after this refund.
        request_id = f"{payment.reference}R{payment.refunded_amount}"
        tasks.enqueue(send_refund, payment.pk, amount, reason, by_name, request_id=request_id)
    return payment


@shared_task(name="motcua.payments.send_refund")
def send_refund(
    payment_id: int, amount: int, reason: str, by_name: str = "motcua", request_id: str = ""
) -> str:
    """Ask the gateway to refund, and keep its answer verbatim (``PaymentCallback`` of kind refund).

    Run again after its worker died (acks_late), it asks again with the same ``request_id``, which the
    gateway answers as a duplicate instead of refunding twice."""
    payment = Payment.objects.select_related("account").get(pk=payment_id)
    result = registry.get(payment.gateway).refund(
        payment, amount=amount, reason=reason, by_name=by_name, client_ip="127.0.0.1", request_id=request_id
    )
    PaymentCallback.objects.create(
        gateway=payment.gateway, kind=CallbackKind.REFUND, method="POST", raw=result.raw, payment=payment,
        verified=bool(result.raw) and result.message != "invalid signature",
        answer="00" if result.accepted else "99", note=result.message[:1000],
    )  # fmt: skip
    status = "confirmed" if result.accepted else "failed"
    Payment.objects.filter(pk=payment.pk).update(refund_status=status)
    return status


@transaction.atomic
def refund_dossier(dossier, *, by, reason: str) -> list[Payment]:
    """A dossier that ends without its result: what it paid is refunded, what it owes is cancelled and
    its pending payments expire."""
    Charge.objects.filter(dossier=dossier, state=ChargeState.OWED).update(state=ChargeState.CANCELLED)
    Payment.objects.filter(dossier=dossier, state=PaymentState.PENDING).update(state=PaymentState.EXPIRED)
    done = []
    for payment in Payment.objects.filter(dossier=dossier, state=PaymentState.PAID).order_by("pk"):
        if payment.refunded_amount < payment.amount:
            done.append(refund(payment, by=None, reason=reason))
    if done:
        audit.record(
            "payment.dossier_refunded", actor=by, target=dossier, target_label=dossier.code,
            payments=[p.reference for p in done],
        )  # fmt: skip
    return done
