"""Reads of notifications: a person's inbox (hộp thư thông báo) and the outbox's due deliveries."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import Channel, Delivery, DeliveryStatus, Notification


def inbox(user) -> QuerySet[Notification]:
    """The in-app messages of ``user``, newest first (nothing for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    # Only notifications sent in-app: one that went by e-mail alone is not a message on the portal.
    return Notification.objects.filter(recipient=user, deliveries__channel=Channel.IN_APP).order_by(
        "-created_at", "-pk"
    )


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def notifications_about(subject) -> QuerySet[Notification]:
    """Every notification about one object (e.g. a dossier), newest first, with its deliveries."""
    return (
        Notification.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")
    )


def due_delivery_ids(*, overdue_by: timedelta = timedelta(0), limit: int = 500) -> list[int]:
    """Pending deliveries whose next try was due at least ``overdue_by`` ago, the longest waiting first."""
    return list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now() - overdue_by
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
