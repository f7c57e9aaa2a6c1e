"""Petitions and feedback (phản ánh, kiến nghị; Decree 20/2008/NĐ-CP): what a person sends, where it stands,
every step it took, and the answer the public may read.

A petition is received by the province's reception (tiếp nhận), routed along the agency tree to the agency in
charge (chuyển xử lý), handled there against a term in working days (``PetitionTerm``, per kind), answered
with a leader's sign-off, and, when its sender agreed, published with personal data removed. Only
``services.petitions`` writes these rows; ``rules`` says who may.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.storage import private_storage


class PetitionKind(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback")  # Phản ánh: anyone, anonymous allowed
    PETITION = "petition", _("Petition")  # Kiến nghị: a signed-in citizen or business


class PetitionCategory(models.TextChoices):
    """What it is about; the first three name the thing (a procedure, a dossier by its code, an agency)."""

    PROCEDURE = "procedure", _("An administrative procedure")
    DOSSIER = "dossier", _("A dossier")
    AGENCY = "agency", _("An agency or its officers")
    REGULATION = "regulation", _("A regulation")
    OTHER = "other", _("Something else")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("Received, being classified")  # Đã tiếp nhận, đang phân loại
    IN_HAND = "in_hand", _("Being handled")  # Đang xử lý
    AWAITING_APPROVAL = "awaiting_approval", _("Answer awaiting a leader's approval")  # Chờ lãnh đạo duyệt
    ANSWERED = "answered", _("Answered")  # Đã trả lời
    DECLINED = "declined", _("Not accepted for handling")  # Không thụ lý
    MERGED = "merged", _("Merged into another petition")  # Đã gộp


OPEN_STATUSES = frozenset({PetitionStatus.RECEIVED, PetitionStatus.IN_HAND, PetitionStatus.AWAITING_APPROVAL})


class PetitionAction(models.TextChoices):
    SEND = "send", _("Sent")  # Gửi
    ROUTE = "route", _("Routed to an agency")  # Chuyển xử lý
    RETURN_TO_RECEPTION = "return_to_reception", _("Returned to the reception")  # Trả lại bộ phận tiếp nhận
    DECLINE = "decline", _("Not accepted")  # Không thụ lý
    MERGE = "merge", _("Merged as a duplicate")  # Gộp
    ASSIGN = "assign", _("Given to a handler")  # Phân công
    PROPOSE_ANSWER = "propose_answer", _("Answer proposed")  # Dự thảo trả lời
    SEND_BACK = "send_back", _("Answer sent back for changes")  # Trả lại dự thảo
    APPROVE_ANSWER = "approve_answer", _("Answer approved and sent")  # Ký duyệt, gửi trả lời
    PUBLISH = "publish", _("Answer published")  # Công khai
    UNPUBLISH = "unpublish", _("Answer withdrawn from publication")  # Gỡ công khai
    RATE = "rate", _("Sender said whether they are satisfied")  # Đánh giá


class PetitionTerm(models.Model):
    """How many working days the agency in charge has to answer a kind of petition, counted from its
    reception by the dossier clock's calendar (``workcalendar``). Without a row, ``DEFAULT_TERM_DAYS``."""

    DEFAULT_TERM_DAYS = 10

    kind = models.CharField(_("kind"), max_length=16, choices=PetitionKind.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("working days to answer"))
    note = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("petition term")
        verbose_name_plural = _("petition terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1, working_days__lte=90), name="engagement_term_1_to_90_days"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.working_days}"


class PetitionSequence(models.Model):
    """The last petition number given on a local day, per receiving agency (``core.sequences``)."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="engagement_petition_sequence_unique")
        ]

    def __str__(self):
        return f"{self.agency_id} {self.day}: {self.last}"


class Petition(models.Model):
    """One piece of feedback or one petition, from its sending to its answer (and its publication)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PetitionKind.choices)
    category = models.CharField(_("about"), max_length=16, choices=PetitionCategory.choices)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    # What it is about, when the category names something.
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("procedure"),
    )  # fmt: skip
    dossier_code = models.CharField(_("dossier code"), max_length=40, blank=True)
    about_agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("agency it is about"),
    )  # fmt: skip
    regulation = models.CharField(_("regulation"), max_length=255, blank=True)
    # Who sent it: copied when sent, so that a later change of the account does not rewrite the record.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("sender's account"),
    )  # fmt: skip
    sender_name = models.CharField(_("sender's name"), max_length=150, blank=True)
    sender_email = models.EmailField(_("sender's e-mail"), blank=True)
    sender_phone = models.CharField(_("sender's phone"), max_length=20, blank=True)
    sender_personal_id = models.CharField(_("sender's ID number"), max_length=13, blank=True)
    consent_to_publish = models.BooleanField(_("agrees to the answer being published"), default=False)
    # Where it is.
    status = models.CharField(
        _("status"), max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("agency in charge"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("handler"),
    )  # fmt: skip
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates",
        verbose_name=_("merged into"),
    )  # fmt: skip
    # The answer: a handler's draft until a leader approves it.
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )  # fmt: skip
    decline_reason = models.TextField(_("why it was not accepted"), blank=True)
    # What the public reads, once published: written without the sender's personal data.
    published_subject = models.CharField(_("published subject"), max_length=200, blank=True)
    published_question = models.TextField(_("published question"), blank=True)
    published_answer = models.TextField(_("published answer"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The published texts folded (lower case, no accents: ``core.text.fold``) for the public search.
    published_search = models.TextField(blank=True, editable=False)
    # The sender's word on the answer.
    satisfied = models.BooleanField(_("sender satisfied"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("sender's comment on the answer"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="engagement_petition_queue"),
            models.Index(fields=["published_at"], name="engagement_petition_published"),
            models.Index(fields=["ended_at"], name="engagement_petition_ended"),
            models.Index(fields=["sender", "received_at"], name="engagement_petition_sender"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=PetitionStatus.MERGED) | Q(merged_into__isnull=True),
                name="engagement_petition_merged_has_target",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(status=PetitionStatus.ANSWERED, consent_to_publish=True),
                name="engagement_petition_published_when_answered_with_consent",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def attachment_path(instance, filename):
    # The sender never chooses a stored name: a random one, the extension taken from the checked content.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"petitions/{instance.petition.received_at:%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PetitionAttachment(models.Model):
    """A file sent with a petition, checked by its content like a dossier's papers."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("kind of file"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("petition attachment")
        verbose_name_plural = _("petition attachments")
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class PetitionEvent(models.Model):
    """One step of a petition (who, when, why): the record its sender and the officers read."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=24, choices=PetitionAction.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=PetitionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PetitionStatus.choices)
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency in charge after")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("why"), blank=True)

    class Meta:
        verbose_name = _("petition step")
        verbose_name_plural = _("petition steps")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.petition_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
