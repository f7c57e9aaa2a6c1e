"""Consultation on drafts (góp ý dự thảo): an agency publishes a draft document article by article with its
closing date; signed-in people comment on the whole draft or on one article; moderators approve or reject
each comment; after closing the drafting agency answers the comments and publishes its answers.

The consultation's phase (upcoming / open / closed) is read from the clock, never stored. Only
``services.consultations`` writes these rows; ``consultation_rules`` says who may.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsultationPhase(models.TextChoices):
    DRAFT = "draft", _("Not published")  # Chưa công bố
    UPCOMING = "upcoming", _("Upcoming")  # Sắp lấy ý kiến
    OPEN = "open", _("Open for comments")  # Đang lấy ý kiến
    CLOSED = "closed", _("Closed")  # Đã kết thúc


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")  # Chờ kiểm duyệt
    APPROVED = "approved", _("Approved")  # Đã duyệt
    REJECTED = "rejected", _("Rejected")  # Không duyệt


class ConsultationAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Edited")
    PUBLISH = "publish", _("Published for comments")
    COMMENT = "comment", _("Comment received")
    APPROVE = "approve", _("Comment approved")
    REJECT = "reject", _("Comment rejected")
    RESPOND = "respond", _("Comment answered")
    PUBLISH_RESPONSES = "publish_responses", _("Responses published")


class Consultation(models.Model):
    """A draft document put to the public for comments (dự thảo lấy ý kiến)."""

    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="consultations",
        verbose_name=_("drafting agency"),
    )  # fmt: skip
    document_kind = models.CharField(_("kind of document"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)  # null: not public
    responses_published_at = models.DateTimeField(_("responses published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["published_at", "closes_at"], name="engagement_consult_public")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="engagement_consult_dates"
            ),
            models.CheckConstraint(
                condition=Q(responses_published_at__isnull=True) | Q(published_at__isnull=False),
                name="engagement_consult_responses_after_publication",
            ),
        ]

    def __str__(self):
        return self.title

    def phase(self, now=None) -> str:
        if self.published_at is None:
            return ConsultationPhase.DRAFT
        now = now or timezone.now()
        if now < self.opens_at:
            return ConsultationPhase.UPCOMING
        if now < self.closes_at:
            return ConsultationPhase.OPEN
        return ConsultationPhase.CLOSED

    @property
    def phase_label(self) -> str:
        return ConsultationPhase(self.phase()).label

    @property
    def is_open(self) -> bool:
        return self.phase() == ConsultationPhase.OPEN

    @property
    def is_closed(self) -> bool:
        return self.phase() == ConsultationPhase.CLOSED

    @property
    def responses_published(self) -> bool:
        return self.responses_published_at is not None


class ConsultationArticle(models.Model):
    """One article of the draft (Điều), in its order."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="articles")
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("number"), max_length=50)  # e.g. "Điều 1"
    title = models.CharField(_("title"), max_length=255, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("article of a draft")
        verbose_name_plural = _("articles of a draft")
        ordering = ["consultation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "order"], name="engagement_consult_article_order")
        ]

    def __str__(self):
        return f"{self.label} {self.title}".strip()


class ConsultationComment(models.Model):
    """A comment on the whole draft (no article) or on one article, moderated before it is public."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    article = models.ForeignKey(
        ConsultationArticle, on_delete=models.CASCADE, null=True, blank=True, related_name="comments",
        verbose_name=_("article"),
    )  # fmt: skip
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author's account"),
    )
    author_name = models.CharField(_("name shown"), max_length=150)  # the only thing of the author shown
    content = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    reject_reason = models.TextField(_("why it was rejected"), blank=True)  # internal, never public
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("moderated by"),
    )  # fmt: skip
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    response = models.TextField(_("agency's response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("responded by"),
    )  # fmt: skip
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["consultation", "status"], name="engagement_consult_comment_q"),
            models.Index(fields=["author", "submitted_at"], name="engagement_consult_author"),
        ]

    def __str__(self):
        return f"{self.consultation_id} #{self.pk} {self.status}"


class ConsultationEvent(models.Model):
    """One step on a consultation or one of its comments (who, when, what, why): the audit of moderation."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    comment = models.ForeignKey(
        ConsultationComment, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("action"), max_length=24, choices=ConsultationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("consultation step")
        verbose_name_plural = _("consultation steps")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.consultation_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
