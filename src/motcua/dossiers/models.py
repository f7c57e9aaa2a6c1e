"""Dossiers (hồ sơ): one application for one procedure by one applicant, from draft to returned result.

The status enum's values are the external status codes of provincial systems (domain.md, 1–10), with 0 for a
draft that has not been sent yet and never leaves the portal. A dossier changes status only through
``dossiers.services``; the models hold what must always be true (a submitted dossier has a code, codes are
unique, one sequence row per agency and day), not the workflow.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Channel
from motcua.core.storage import private_storage  # also named by migrations as dossiers.models.private_storage


class DossierStatus(models.IntegerChoices):
    DRAFT = 0, _("Draft")
    SUBMITTED = 1, _("Newly submitted")
    RECEIVED = 2, _("Received")
    REFUSED = 3, _("Refused")
    PROCESSING = 4, _("Processing")
    SUPPLEMENT_REQUESTED = 5, _("Supplement requested")
    PAYMENT_REQUESTED = 6, _("Payment requested")
    WITHDRAWN = 7, _("Withdrawn by the applicant")
    STOPPED = 8, _("Processing stopped")
    RESULT_READY = 9, _("Processed, result ready")
    RETURNED = 10, _("Result returned")


# Statuses after which nothing more happens to a dossier.
FINAL_STATUSES = frozenset(
    {DossierStatus.REFUSED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.RETURNED}
)


# Statuses after which nothing more happens to a dossier (the officer's "finished" queue).
FINISHED_STATUSES = [
    DossierStatus.REFUSED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
    DossierStatus.RESULT_READY,
    DossierStatus.RETURNED,
]


class DossierAction(models.TextChoices):
    """What happened to a dossier: the rows of its process control sheet."""

    SUBMIT = "submit", _("Submitted online")
    REGISTER = "register", _("Registered at the desk")
    RECEIVE = "receive", _("Received")
    REFUSE = "refuse", _("Reception refused")
    REQUEST_SUPPLEMENT = "request_supplement", _("Supplement requested")
    SUPPLEMENT = "supplement", _("Supplement provided")
    ASSIGN = "assign", _("Assigned")
    FORWARD = "forward", _("Forwarded")
    SEND_BACK = "send_back", _("Sent back")
    PROPOSE = "propose", _("Result proposed")
    APPROVE = "approve", _("Approved and signed")
    REJECT = "reject", _("Rejected")
    REQUEST_PAYMENT = "request_payment", _("Payment requested")
    NUMBER_RESULT = "number_result", _("Result numbered")
    RETURN_RESULT = "return_result", _("Result returned")
    STOP = "stop", _("Processing stopped")
    WITHDRAW = "withdraw", _("Withdrawn by the applicant")
    APOLOGISE = "apologise", _("Apology and new appointment sent")


class Timeliness(models.TextChoices):
    """Sớm hạn / đúng hạn / trễ hạn."""

    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class Outcome(models.TextChoices):
    """How a dossier ended (``Dossier.outcome``), set with ``finished_at`` and ``timeliness`` at its end."""

    APPROVED = "approved", _("Granted")  # the result was signed
    REJECTED = "rejected", _("Not granted")  # the leader decided against it, with reasons
    REFUSED = "refused", _("Not received")  # refused at reception
    STOPPED = "stopped", _("Processing stopped")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")


class Dossier(models.Model):
    """Hồ sơ. ``uuid`` names a dossier in addresses before it has a code (drafts) and never changes.

    What the applicant was (name, ID number, contacts) is copied on the dossier when it is sent: a dossier
    received at the counter may have no account behind it, and a later change of profile must not rewrite
    what was filed. ``procedure_record`` keeps the procedure as it was published when the dossier was
    received (processing time, fees, papers), and ``form`` the online form version it was filled in.
    """

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("dossier code"), max_length=64, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("procedure")
    )
    form = models.ForeignKey(
        "forms.OnlineForm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("online form version"),
    )
    procedure_record = models.JSONField(_("procedure as received"), default=dict, blank=True)
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("receiving agency"),
        help_text=_("A draft may not have chosen it yet; a sent dossier always has one."),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("applicant account"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers_submitted",
        verbose_name=_("submitted by"),
        help_text=_("Who sent the dossier: the applicant, someone acting for them, or a desk officer."),
    )
    applicant_kind = models.CharField(
        _("applicant kind"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    applicant_name = models.CharField(_("applicant name"), max_length=255, blank=True)
    applicant_id_number = models.CharField(
        _("personal ID or tax code"), max_length=13, blank=True, db_index=True
    )
    applicant_phone = models.CharField(_("applicant phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("applicant e-mail"), blank=True)
    applicant_address = models.CharField(_("applicant address"), max_length=500, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    data = models.JSONField(_("form data"), default=dict, blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=DossierStatus.choices, default=DossierStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    due_is_provisional = models.BooleanField(
        _("due date provisional"),
        default=True,
        help_text=_("An online dossier's due date is fixed when the desk receives it."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    workflow = models.ForeignKey(
        "dossiers.Workflow",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("workflow"),
    )
    current_step = models.ForeignKey(
        "dossiers.DossierStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current step"),
    )
    # The role that acts at the current step (its copy, kept with it by services._open_step): the queue
    # "waiting for my unit" then filters the dossier row alone, without joining the steps.
    acting_role = models.CharField(_("role acting now"), max_length=20, blank=True, default="")
    # Who holds the dossier now: the agency of the current step and its assignee (queues filter on them).
    current_agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers_held",
        verbose_name=_("held by"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers_assigned",
        verbose_name=_("assigned to"),
    )
    # The clock stops while a supplement is awaited; ``paused_at`` is when it stopped.
    paused_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    # A later appointment given in an apology letter (form 04); lateness is still counted against due_at.
    promised_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    # How and when it ended, and whether in time: set together, once, by ``services.lifecycle.finish``.
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, blank=True)
    result_number = models.CharField(_("result number"), max_length=64, blank=True)
    # Bumped by every change of state: two officers acting on one dossier cannot both win.
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=0)
                | (Q(code__isnull=False) & Q(submitted_at__isnull=False) & Q(agency__isnull=False)),
                name="dossiers_sent_has_code",
            ),
            models.CheckConstraint(condition=Q(status__gte=0, status__lte=10), name="dossiers_status_known"),
        ]
        indexes = [
            models.Index(fields=["applicant", "status", "-created_at"], name="dossiers_applicant_idx"),
            models.Index(fields=["agency", "status", "-submitted_at"], name="dossiers_agency_status_idx"),
            models.Index(fields=["agency", "due_at"], name="dossiers_agency_due_idx"),
            models.Index(fields=["current_agency", "status", "due_at"], name="dossiers_held_idx"),
            models.Index(fields=["assignee", "status", "due_at"], name="dossiers_assignee_idx"),
            # The "finished" queue, newest first (queues.ORDER): without it a page sorts the agency's whole
            # history (bench/backoffice.py, 1M dossiers: page 1 of the largest agency 640 ms, 5 ms with it).
            # Only finished dossiers are in it, so a deep page walks the index without visiting the rows.
            models.Index(
                fields=["agency", "-finished_at", "-id"],
                condition=Q(status__in=FINISHED_STATUSES),
                name="dossiers_finished_list_idx",
            ),
            # The officer's list (selectors.officer_list_page): newest first, by receiving and by holding
            # agency, with and without a status; each part of its UNION walks one of these and stops.
            models.Index(fields=["agency", "status", "-id"], name="dossiers_agency_list_idx"),
            models.Index(fields=["agency", "-id"], name="dossiers_agency_all_idx"),
            models.Index(fields=["current_agency", "status", "-id"], name="dossiers_held_list_idx"),
            models.Index(fields=["current_agency", "-id"], name="dossiers_held_all_idx"),
            # The desk's search by the applicant's ID number.
            models.Index(fields=["applicant_id_number"], name="dossiers_applicant_number_idx"),
        ]

    def __str__(self):
        return self.code or str(_("Draft %(id)s") % {"id": str(self.uuid)[:8]})

    @property
    def is_draft(self) -> bool:
        return self.status == DossierStatus.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def reference(self) -> str:
        """How addresses name the dossier: its code once it has one, its uuid before."""
        return self.code or str(self.uuid)

    def status_info(self) -> dict:
        return {"code": self.status, "label": str(DossierStatus(self.status).label)}


def attachment_path(instance, filename):
    # The applicant never chooses a stored name: dossier and attachment identifiers, extension by content.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"dossiers/{instance.dossier.uuid}/{instance.uuid}.{extension}"


class AttachmentSource(models.TextChoices):
    APPLICANT = "applicant", _("Uploaded by the applicant")
    DESK = "desk", _("Scanned at the desk")


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

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["dossier", "component_order", "uploaded_at", "id"]
        indexes = [models.Index(fields=["dossier", "component_order"], name="dossiers_attachment_idx")]

    def __str__(self):
        return self.original_name or self.file.name


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


class CodeSequence(models.Model):
    """The last sequence number of dossier codes given by one agency on one day (local date)."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dossier code sequence")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossiers_sequence_unique")]

    def __str__(self):
        return f"{self.agency_id} {self.day} {self.last}"


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` for a request that creates something: a retry gets the same answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=200)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="dossiers_idempotency_unique")
        ]

    def __str__(self):
        return f"{self.scope}:{self.key}"


# --- workflows (quy trình giải quyết) ------------------------------------------------------------------


class StepRole(models.TextChoices):
    """Who acts in a step: the officer roles of ``accounts.OfficerRole`` that handle dossiers."""

    DESK = "desk", _("Desk officer (one-stop)")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    RECORDS = "records", _("Records office")


class StepKind(models.TextChoices):
    """What a step is for; it decides which actions the step allows."""

    RECEPTION = "reception", _("Reception")
    PROCESSING = "processing", _("Processing and appraisal")
    APPROVAL = "approval", _("Approval and signature")
    RECORDS = "records", _("Numbering and sealing")
    RETURN = "return", _("Returning the result")


class BudgetUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("working days")
    WORKING_HOUR = "working_hour", _("working hours")


class SupplementClock(models.TextChoices):
    """After a supplement, the deadline clock resumes with the time left, or starts again in full."""

    RESUME = "resume", _("Resume with the remaining time")
    RESTART = "restart", _("Restart the full time")


class Workflow(models.Model):
    """Quy trình nội bộ: the ordered steps a dossier of one procedure goes through, with their time budgets.

    Versions: a dossier keeps the workflow it was received under; editing the procedure's workflow makes a
    new active version and leaves the old one to the dossiers already on it.
    """

    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="workflows", verbose_name=_("procedure")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_active = models.BooleanField(_("in use"), default=True)
    supplement_clock = models.CharField(
        _("after a supplement"),
        max_length=16,
        choices=SupplementClock.choices,
        default=SupplementClock.RESUME,
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="dossiers_workflow_version_unique"),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(is_active=True), name="dossiers_one_active_workflow"
            ),
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.version}"


class WorkflowStep(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    role = models.CharField(_("role that acts"), max_length=16, choices=StepRole.choices)
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting agency"),
        help_text=_("Empty: the agency that received the dossier (e.g. the commune)."),
    )
    budget = models.DecimalField(_("time budget"), max_digits=6, decimal_places=2, default=0)
    budget_unit = models.CharField(
        _("unit"), max_length=16, choices=BudgetUnit.choices, default=BudgetUnit.WORKING_DAY
    )

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["workflow", "order"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "order"], name="dossiers_workflow_step_order_unique")
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"


class DossierStep(models.Model):
    """One step of one dossier as it happened: who held it, from when, by when, and how it ended.

    The step's definition is copied from the workflow (name, kind, role, agency, budget) so that the
    record stays true when the workflow changes later.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    role = models.CharField(_("role"), max_length=16, choices=StepRole.choices)
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_steps",
        verbose_name=_("assigned to"),
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=DossierAction.choices, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, blank=True)

    class Meta:
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")
        ordering = ["dossier", "started_at", "id"]
        indexes = [
            models.Index(fields=["agency", "finished_at"], name="dossiers_step_agency_idx"),
            models.Index(fields=["assignee", "finished_at"], name="dossiers_step_assignee_idx"),
        ]

    def __str__(self):
        return f"{self.dossier} · {self.order}. {self.name}"


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


class ResultSequence(models.Model):
    """The last number given to a result document by one agency in one year."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("result number sequence")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="dossiers_result_sequence_unique")
        ]

    def __str__(self):
        return f"{self.agency_id} {self.year} {self.last}"


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
