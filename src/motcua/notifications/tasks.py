"""Sending the outbox: one task per delivery, retried with growing waits, and a sweep for what is due.

``send_delivery`` is queued by ``services.notify`` after the caller's commit and re-queued with a countdown
after each failure. Queues lose tasks (a restart, a timer of the in-process runner), so the database is
the truth: ``send_due_deliveries`` (Celery beat every minute; ``manage.py send_notifications`` from cron)
dispatches every pending delivery whose time has come.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from motcua.core.tasks import enqueue

from . import selectors, sending
from .models import Delivery, DeliveryAttempt, DeliveryStatus

logger = logging.getLogger(__name__)

# The wait after the 1st, 2nd, … failed attempt; the last one repeats if MOTCUA_NOTIFY_MAX_ATTEMPTS is larger.
BACKOFF_SECONDS = (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600)
DEFAULT_MAX_ATTEMPTS = 5
# A claim older than this is from a worker that died while sending; longer than any SMTP timeout.
DEFAULT_CLAIM_SECONDS = 600
# The sweep leaves alone what has been due for less than this: its own task is normally still on its way,
# and queueing it again each minute would only pile duplicates onto a busy queue.
SWEEP_GRACE = timedelta(minutes=2)
SWEEP_BATCH = 500
ERROR_LENGTH = 2000


def max_attempts() -> int:
    return int(getattr(settings, "MOTCUA_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def claim_timeout() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "MOTCUA_NOTIFY_CLAIM_SECONDS", DEFAULT_CLAIM_SECONDS)))


def backoff_seconds(failed_attempts: int) -> int:
    """1 min, 5 min, 30 min, 2 h, then 6 h between tries."""
    return BACKOFF_SECONDS[min(failed_attempts, len(BACKOFF_SECONDS)) - 1]


@shared_task(name="motcua.notifications.send_delivery", ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    """Try one delivery once if it is pending and due; returns "sent", "retry", "failed" or "skipped".

    Safe to run twice or at the same time: only the run that claims the row sends. The claim is a short
    transaction of its own and the sending happens after it, so a slow mail server holds no database lock
    (on SQLite it would stop every other write of the site meanwhile). A problem of the channel becomes a
    logged attempt and a retry, never an exception.

    A worker killed while sending leaves its claim: the queue hands the task to another worker (acks_late,
    ``CELERY_TASK_REJECT_ON_WORKER_LOST``), which finds the claim held and comes back when it expires
    (``MOTCUA_NOTIFY_CLAIM_SECONDS``). One window is left: a worker killed after the server accepted the
    message and before ``_record`` wrote it down. The next try sends it again, with the same Message-ID
    (``sending.message_id``; an SMS gateway gets it as its idempotency key), which mail systems use to
    drop the copy; the window is the few milliseconds between the server's answer and the commit.
    """
    delivery, held_for = _claim(delivery_id)
    if delivery is None:
        if held_for is not None:
            # Another run holds it: if that worker died, its claim expires and this run takes over then.
            enqueue(send_delivery, delivery_id, countdown=held_for + 1)
            return "held"
        return "skipped"
    try:
        sending.send(delivery)
    except Exception as exc:  # SMTP, gateway, attachment renderer: whatever failed, it is this attempt's
        error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
        logger.warning("Notification delivery %s (%s) failed: %s", delivery.pk, delivery.channel, error)
        return _record(delivery.pk, error)
    return _record(delivery.pk, "")


@shared_task(name="motcua.notifications.send_due_deliveries", ignore_result=True)
def send_due_deliveries(grace_seconds: float | None = None, limit: int = SWEEP_BATCH) -> int:
    """Queue ``send_delivery`` for every pending delivery that is due; returns how many were queued."""
    grace = SWEEP_GRACE if grace_seconds is None else timedelta(seconds=grace_seconds)
    ids = selectors.due_delivery_ids(overdue_by=grace, limit=limit)
    for delivery_id in ids:
        enqueue(send_delivery, delivery_id)
    return len(ids)


def _locked(queryset):
    if connection.features.has_select_for_update_skip_locked:
        # A row another worker holds is being claimed by it: leave it rather than wait.
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()  # SQLite: a no-op; its IMMEDIATE transactions already serialise


def _claim(delivery_id: int) -> tuple[Delivery | None, float | None]:
    """The delivery, claimed for this run; else (None, seconds until another run's claim expires), or
    (None, None) when there is nothing to send (sent, given up, not yet due, deleted)."""
    now = timezone.now()
    expired = now - claim_timeout()
    with transaction.atomic():
        due = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        delivery = _locked(due).first()
        if delivery is None:
            return None, None
        if delivery.claimed_at is not None and delivery.claimed_at >= expired:
            return None, (delivery.claimed_at - expired).total_seconds()
        delivery.claimed_at = now
        delivery.save(update_fields=["claimed_at"])
    return delivery, None


def _record(delivery_id: int, error: str) -> str:
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:  # its notification was deleted meanwhile
            return "skipped"
        DeliveryAttempt.objects.create(delivery=delivery, at=now, success=not error, error=error)
        delivery.attempts += 1
        delivery.claimed_at = None
        delivery.last_error = error
        if not error:
            delivery.status, delivery.sent_at, outcome = DeliveryStatus.SENT, now, "sent"
        elif delivery.attempts >= max_attempts():
            delivery.status, outcome = DeliveryStatus.FAILED, "failed"
            logger.error("Notification delivery %s gave up after %s attempts", delivery.pk, delivery.attempts)
        else:
            delay = backoff_seconds(delivery.attempts)
            delivery.next_attempt_at, outcome = now + timedelta(seconds=delay), "retry"
            enqueue(send_delivery, delivery.pk, countdown=delay)
        delivery.save(
            update_fields=["attempts", "claimed_at", "last_error", "status", "sent_at", "next_attempt_at"]
        )
    return outcome
