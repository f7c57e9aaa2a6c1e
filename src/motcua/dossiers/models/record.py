"""What a dossier's record holds besides itself: its papers' files, its history (the process control sheet),
its supplement requests, internal comments, deadline warnings and apology letters."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core import filetypes
from motcua.core.storage import private_storage

from .dossier import Dossier, DossierAction, DossierStatus


def attachment_path(instance, filename):
    # The applicant never chooses a stored name: dossier and attachment identifiers, extension by content.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"dossiers/{instance.dossier.uuid}/{instance.uuid}.{extension}"


class AttachmentSource(models.TextChoices):
    APPLICANT = "applicant", _("Uploaded by the applicant")
    DESK = "desk", _("Scanned at the desk")
    STORE = "store", _("Reused from the applicant's document store")


class Attachment(models.Model):
    """A file of one dossier component (thành phần hồ sơ), checked by its content when it was stored.

    Components are named by their ``order`` in the procedure, not by row id: re-importing a procedure
    recreates its component rows. ``component_name`` keeps the name the applicant saw.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("dossier")
    )
    component_order = models.PositiveSmallIntegerField(_("component"))
    component_name = models.CharField(_("component name"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=255)
    original_name = models.CharField(_("name of the uploaded file"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source = models.CharField(
        _("source"), max_length=16, choices=AttachmentSource.choices, default=AttachmentSource.APPLICANT
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # What a PDF runs when opened or used (JavaScript, actions on events, launching programs), found at
    # upload by ``core.pdfs``: e.g. "/AA /JavaScript"; empty when none. Such a file is flagged to officers
    # and only ever downloaded, never shown in the browser.
    active_content = models.CharField(_("active content"), max_length=200, blank=True)
    # A paper taken from the applicant's document store (kho dữ liệu) instead of a new upload: the dossier
    # holds its own copy of the file, so removing the stored entry later leaves this paper intact.
    reused_from = models.ForeignKey(
        "documents.StoredDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("reused from the document store"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["dossier", "component_order", "uploaded_at", "id"]
        indexes = [models.Index(fields=["dossier", "component_order"], name="dossiers_attachment_idx")]

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def is_active(self) -> bool:
        """The file carries active content (scripts or actions): download only."""
        return bool(self.active_content)

    @property
    def active_content_names(self) -> list[str]:
        """The kinds of active content, as PDF names without their slash: ["AA", "JavaScript"]."""
        return [name.lstrip("/") for name in self.active_content.split()]

    @property
    def download_name(self) -> str:
        """The name a download carries: the uploader's, with the extension of what the file really is (a
        PDF uploaded as ``ho-so.html`` downloads as ``ho-so.pdf``, whenever it was stored)."""
        return filetypes.named_as(self.original_name, self.content_type)


class DossierEvent(models.Model):
    """One row of the process control sheet (phiếu kiểm soát quá trình, form 06): who did what, when, why.

    ``note`` is what the actor wrote; it is shown to the applicant. ``detail`` carries the action's own
    facts (e.g. the due date computed). Public tracking shows the action, time and agencies, never notes
    or names.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events", verbose_name=_("dossier")
    )
    at = models.DateTimeField(_("at"))
    action = models.CharField(_("action"), max_length=32, choices=DossierAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=255, blank=True)
    from_status = models.PositiveSmallIntegerField(_("from status"), choices=DossierStatus.choices, null=True)
    to_status = models.PositiveSmallIntegerField(_("to status"), choices=DossierStatus.choices)
    from_agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from unit"),
    )
    to_agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to unit"),
    )
    note = models.TextField(_("note"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["dossier", "at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class SupplementRequest(models.Model):
    """Yêu cầu bổ sung, hoàn thiện hồ sơ (slip 02): what to add, why, and who to contact."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    papers = models.JSONField(_("papers to add"), default=list)
    reason = models.TextField(_("reason"))
    leader_reason = models.TextField(
        _("leader's reason"), blank=True, help_text=_("A third request needs a reason recorded by a leader.")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.PositiveSmallIntegerField(
        _("status before the request"), choices=DossierStatus.choices, default=DossierStatus.RECEIVED
    )
    supplied_at = models.DateTimeField(_("supplied at"), null=True, blank=True)
    paused_working_time = models.DurationField(_("clock stopped for"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["dossier", "requested_at"]

    def __str__(self):
        return f"{self.dossier} · {self.requested_at:%Y-%m-%d}"


class DossierComment(models.Model):
    """An officers' internal note on a dossier (ý kiến nội bộ): never shown to the applicant or the public."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")
        ordering = ["dossier", "at", "id"]

    def __str__(self):
        return f"{self.dossier} · {self.author}"


class WarningKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due within a working day")
    OVERDUE = "overdue", _("Overdue")


class DeadlineWarning(models.Model):
    """A warning sent about one dossier's deadline, so that the scheduled task warns once per due date."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="deadline_warnings")
    kind = models.CharField(max_length=16, choices=WarningKind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline warning")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "due_at"], name="dossiers_warning_once")
        ]

    def __str__(self):
        return f"{self.dossier} {self.kind}"


class ApologyLetter(models.Model):
    """Thư xin lỗi và hẹn lại ngày trả kết quả (form 04): drafted by the system for a late dossier, completed
    and sent by a leader. Sending does not move ``due_at``: lateness is still counted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apology_letters")
    drafted_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    reason = models.TextField(_("reason for the delay"), blank=True)
    new_due_at = models.DateTimeField(_("new appointment"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")
        ordering = ["dossier", "-drafted_at"]
        constraints = [
            # One draft waiting per dossier: the task drafts, a leader sends.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(sent_at__isnull=True), name="dossiers_one_unsent_apology"
            )
        ]

    def __str__(self):
        return f"{self.dossier} · {self.new_due_at:%Y-%m-%d}"
