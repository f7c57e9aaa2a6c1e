"""Notifications (thông báo): a transactional outbox of what to tell whom, and how each telling went.

``Notification`` is one message to one person, rendered once in Vietnamese and English when it is made;
``Delivery`` is one channel of it (e-mail, SMS, in-app), with its own status and retry schedule;
``DeliveryAttempt`` logs every try. The rows are written in the caller's transaction (a dossier submission,
a status change), so a notification exists exactly when the change it reports does, and a background task
sends it afterwards. The app is a leaf: what a notification is about is kept as a label and a key
(``subject_type``, ``subject_id``), never as a foreign key to a domain app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In-app message")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")


class Notification(models.Model):
    """One thing to tell one person (thông báo), in both languages of the portal."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        # The record of what was sent outlives a deleted account (the address was copied anyway).
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("Empty for an applicant without an account (a dossier received at the counter)."),
    )
    # Copied when the notification is made: a later change of contact details does not redirect it.
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    topic = models.CharField(
        _("topic"), max_length=64, db_index=True, help_text=_('e.g. "dossier.submitted"')
    )
    subject_type = models.CharField(
        _("about (type)"), max_length=100, blank=True, help_text=_('e.g. "dossiers.dossier"')
    )
    subject_id = models.CharField(_("about (key)"), max_length=64, blank=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255)
    body_vi = models.TextField(_("text (Vietnamese)"))
    body_en = models.TextField(_("text (English)"))
    # Both languages in one HTML document, when the template has a body.html; else plain text only.
    body_html = models.TextField(_("e-mail HTML"), blank=True)
    sms_text = models.CharField(_("SMS text"), max_length=480, blank=True)
    link = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_('A path on the portal, e.g. "/ho-so/ABC/".')
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notif_subject_idx"),
        ]

    def __str__(self):
        return self.title_vi

    @property
    def title(self) -> str:
        """The title in the active language (Vietnamese, or English for any other choice)."""
        return self.title_vi if _vietnamese() else self.title_en

    @property
    def body(self) -> str:
        return self.body_vi if _vietnamese() else self.body_en

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def _vietnamese() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("vi")


class Delivery(models.Model):
    """One channel of one notification, sent by ``tasks.send_delivery`` and retried until it gives up."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # Set while a worker is sending; older than MOTCUA_NOTIFY_CLAIM_SECONDS, it is from a worker that died.
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_('Made when sending: [["maker name", [arguments]], …] (notifications.attachments).'),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="notif_one_delivery_per_channel")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.get_status_display()}"


class DeliveryAttempt(models.Model):
    """One try of one delivery, successful or not (nhật ký gửi)."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    success = models.BooleanField(_("success"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.success else self.error[:60]}"
