"""Pending payments past their time (``expires_at``, the gateway's vnp_ExpireDate) expire: the payer opens a
new checkout. Run by ``manage.py expire_payments`` or the beat task ``motcua.payments.expire``."""

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from motcua.audit import services as audit

from ..models import Payment, PaymentState


@transaction.atomic
def expire_stale_payments(now: datetime) -> int:
    """Expire every payment still pending at ``now`` past its ``expires_at``; returns how many."""
    stale = list(
        Payment.objects.select_for_update()
        .filter(state=PaymentState.PENDING, expires_at__lte=now)
        .values_list("pk", "reference")
    )
    if not stale:
        return 0
    Payment.objects.filter(pk__in=[pk for pk, _ in stale], state=PaymentState.PENDING).update(
        state=PaymentState.EXPIRED
    )
    audit.record("payment.expired", references=[reference for _, reference in stale][:500], count=len(stale))
    return len(stale)


@shared_task(name="motcua.payments.expire")
def expire() -> int:
    return expire_stale_payments(timezone.now())
