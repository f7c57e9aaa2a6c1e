"""Workflows (quy trình giải quyết): the steps a procedure's dossiers go through (``Workflow``,
``WorkflowStep``), and the steps a dossier went through as they happened (``DossierStep``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier, DossierAction, Timeliness


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
