"""The dossier (hồ sơ) itself: one application for one procedure by one applicant, from draft to returned
result, and the closed sets it is described by (status, action, outcome, timeliness, applicant kind).

The status enum's values are the external status codes of provincial systems (domain.md, 1–10), with 0 for a
draft that has not been sent yet and never leaves the portal. A dossier changes status only through
``dossiers.services``; the models hold what must always be true (a submitted dossier has a code, codes are
unique), not the workflow.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.catalog.models import Channel


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
    PAYMENT_RECEIVED = "payment_received", _("Payment received")
    NUMBER_RESULT = "number_result", _("Result numbered")
    RETURN_RESULT = "return_result", _("Result returned")
    STOP = "stop", _("Processing stopped")
    WITHDRAW = "withdraw", _("Withdrawn by the applicant")
    APOLOGISE = "apologise", _("Apology and new appointment sent")

    @property
    def verb(self) -> str:
        """What the button that takes this action says: a verb ("Receive"), where the label says what
        happened ("Received") in the history."""
        return ACTION_VERBS.get(self, self.label)


# The buttons' words; "dossier action" tells translators these are commands, not statuses.
ACTION_VERBS = {
    DossierAction.RECEIVE: pgettext_lazy("dossier action", "Receive"),
    DossierAction.REFUSE: pgettext_lazy("dossier action", "Refuse to receive"),
    DossierAction.REQUEST_SUPPLEMENT: pgettext_lazy("dossier action", "Request a supplement"),
    DossierAction.SUPPLEMENT: pgettext_lazy("dossier action", "Send the supplement"),
    DossierAction.ASSIGN: pgettext_lazy("dossier action", "Assign"),
    DossierAction.FORWARD: pgettext_lazy("dossier action", "Forward"),
    DossierAction.SEND_BACK: pgettext_lazy("dossier action", "Send back to the previous step"),
    DossierAction.PROPOSE: pgettext_lazy("dossier action", "Propose the result"),
    DossierAction.APPROVE: pgettext_lazy("dossier action", "Approve and sign"),
    DossierAction.REJECT: pgettext_lazy("dossier action", "Decide not to grant"),
    DossierAction.REQUEST_PAYMENT: pgettext_lazy("dossier action", "Request payment"),
    DossierAction.NUMBER_RESULT: pgettext_lazy("dossier action", "Number and seal the result"),
    DossierAction.RETURN_RESULT: pgettext_lazy("dossier action", "Return the result"),
    DossierAction.STOP: pgettext_lazy("dossier action", "Stop processing"),
    DossierAction.WITHDRAW: pgettext_lazy("dossier action", "Withdraw the dossier"),
}


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


class ResultDelivery(models.TextChoices):
    """How the applicant receives the result (hình thức nhận kết quả), chosen when the dossier is sent."""

    ONLINE = "online", _("Online (the signed result, downloaded here)")
    DESK = "desk", _("At the one-stop desk")
    POST = "post", _("By post (public postal service)")


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
    # Blank: nobody chose (a dossier registered at the desk), and the result goes back the way it came in.
    result_delivery = models.CharField(
        _("result delivery"), max_length=8, choices=ResultDelivery.choices, blank=True, default=""
    )
    # For delivery by post: {"name", "phone", "province", "commune", "detail"} (codes as in profiles).
    delivery_address = models.JSONField(_("delivery address"), default=dict, blank=True)
    data = models.JSONField(_("form data"), default=dict, blank=True)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=DossierStatus.choices, default=DossierStatus.DRAFT
    )
    # Where the applicant stopped in the online form (a 0-based step; the number of steps when the whole
    # form was checked and the review page came next), and the furthest step reached: a draft reopens there,
    # and the step indicator offers the steps reached.
    form_step = models.PositiveSmallIntegerField(_("form step where the applicant stopped"), default=0)
    form_step_reached = models.PositiveSmallIntegerField(_("furthest form step reached"), default=0)
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
    # Phí, lệ phí: what the applicant declared (exemption groups, quantities entered on the review page),
    # and the quote frozen when the dossier was sent (catalog.fees.FeeQuote.as_json() plus quoted_at and
    # the declared groups): a later change of price does not alter what this dossier owes.
    fee_declaration = models.JSONField(_("fee declaration"), default=dict, blank=True)
    fee_quote = models.JSONField(_("fee quote as sent"), default=dict, blank=True)
    fee_total = models.PositiveBigIntegerField(_("fee total (VND)"), default=0)
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
