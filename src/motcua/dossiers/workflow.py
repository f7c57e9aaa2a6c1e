"""Workflows (quy trình nội bộ): the steps a procedure's dossiers go through, with whom and in how much time.

A procedure may have its own workflow (edited in the admin, or loaded with the demo data, and saved as a new
version by ``save_workflow``); where it has none, the default one applies: reception by the desk, processing
by a specialist, approval by a leader, numbering by the records office, return of the result by the desk,
all in the receiving agency, with the procedure's processing time shared out among them. Reception is not
part of the processing time: the clock starts when the desk receives the dossier. How long a step's budget
lasts is the dossier's clock's business (``clock.step_due``).
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Agency, Procedure, TimeUnit

from . import clock
from .models import BudgetUnit, StepKind, StepRole, Workflow, WorkflowStep

# A desk receives an online dossier within one working day of its arrival (its own budget, before the clock).
RECEPTION_DAYS = Decimal(1)
# How the default workflow shares the processing time out: the rest goes to processing.
DEFAULT_SHARES = {
    StepKind.APPROVAL: Decimal("0.2"),
    StepKind.RECORDS: Decimal("0.1"),
    StepKind.RETURN: Decimal("0.1"),
}
# Who acts in each kind of step, unless a workflow says otherwise.
DEFAULT_ROLES = {
    StepKind.RECEPTION: StepRole.DESK,
    StepKind.PROCESSING: StepRole.SPECIALIST,
    StepKind.APPROVAL: StepRole.LEADER,
    StepKind.RECORDS: StepRole.RECORDS,
    StepKind.RETURN: StepRole.DESK,
}
DEFAULT_NAMES = {
    StepKind.RECEPTION: gettext_lazy("Reception at the one-stop desk"),
    StepKind.PROCESSING: gettext_lazy("Processing and appraisal"),
    StepKind.APPROVAL: gettext_lazy("Approval and signature"),
    StepKind.RECORDS: gettext_lazy("Numbering and sealing"),
    StepKind.RETURN: gettext_lazy("Returning the result"),
}


@dataclass(frozen=True)
class StepDefinition:
    """A step as the state machine uses it, whether it comes from a stored workflow or the default one."""

    order: int
    name: str
    kind: str
    role: str
    agency_id: int | None  # None: the receiving agency
    budget: Decimal
    budget_unit: str  # BudgetUnit: working days or working hours

    def acting_agency_id(self, receiving_agency_id: int) -> int:
        return self.agency_id or receiving_agency_id


@dataclass(frozen=True)
class Definition:
    workflow: Workflow | None  # None: the default workflow
    steps: tuple[StepDefinition, ...]
    supplement_clock: str

    def step(self, order: int) -> StepDefinition | None:
        return next((s for s in self.steps if s.order == order), None)

    def after(self, order: int) -> StepDefinition | None:
        return next((s for s in self.steps if s.order > order), None)

    def before(self, order: int) -> StepDefinition | None:
        earlier = [s for s in self.steps if s.order < order]
        return earlier[-1] if earlier else None

    def first_of(self, kind: str, after: int = -1) -> StepDefinition | None:
        return next((s for s in self.steps if s.kind == kind and s.order > after), None)


def _shortest_term(procedure: Procedure) -> clock.ProcessingTerm | None:
    """The procedure's shortest published processing time (a workflow serves every channel)."""
    return clock.processing_term(procedure.methods.all(), channel="")


def default_steps(procedure: Procedure) -> tuple[StepDefinition, ...]:
    """Reception (one working day), then the processing time shared out: 20 % approval, 10 % records, 10 %
    return, the rest processing; in the unit the procedure publishes (calendar days as working days: the
    dossier's own due date still follows the calendar-day rule)."""
    term = _shortest_term(procedure) or clock.ProcessingTerm(Decimal(1), TimeUnit.WORKING_DAY)
    unit = BudgetUnit.WORKING_HOUR if term.unit == TimeUnit.WORKING_HOUR else BudgetUnit.WORKING_DAY
    shares = {kind: term.amount * share for kind, share in DEFAULT_SHARES.items()}
    shares[StepKind.PROCESSING] = term.amount - sum(shares.values())
    shares[StepKind.RECEPTION] = RECEPTION_DAYS
    order = [StepKind.RECEPTION, StepKind.PROCESSING, StepKind.APPROVAL, StepKind.RECORDS, StepKind.RETURN]
    return tuple(
        StepDefinition(
            order=i + 1,
            name=str(DEFAULT_NAMES[kind]),
            kind=kind,
            role=DEFAULT_ROLES[kind],
            agency_id=None,
            budget=shares[kind],
            budget_unit=BudgetUnit.WORKING_DAY if kind == StepKind.RECEPTION else unit,
        )
        for i, kind in enumerate(order)
    )


def _from_rows(workflow: Workflow) -> tuple[StepDefinition, ...]:
    return tuple(
        StepDefinition(
            order=s.order,
            name=s.name,
            kind=s.kind,
            role=s.role,
            agency_id=s.agency_id,
            budget=s.budget,
            budget_unit=s.budget_unit,
        )
        for s in workflow.steps.order_by("order")
    )


def active_workflow(procedure: Procedure) -> Workflow | None:
    return Workflow.objects.filter(procedure=procedure, is_active=True).first()


def definition_for(procedure: Procedure, workflow: Workflow | None = None) -> Definition:
    """The steps of ``workflow`` (a dossier's own), else of the procedure's active one, else the default."""
    workflow = workflow or active_workflow(procedure)
    if workflow is None:
        return Definition(None, default_steps(procedure), "resume")
    return Definition(workflow, _from_rows(workflow), workflow.supplement_clock)


def problems(procedure: Procedure, steps) -> list[str]:
    """What is wrong with a list of steps for ``procedure`` (the admin shows these as warnings or errors).

    ``steps``: StepDefinition or WorkflowStep objects in order.
    """
    found = []
    steps = list(steps)
    kinds = [s.kind for s in steps]
    if not steps:
        return [_("A workflow needs at least one step.")]
    if kinds[0] != StepKind.RECEPTION:
        found.append(_("The first step must be the reception by the one-stop desk."))
    if kinds[-1] != StepKind.RETURN:
        found.append(_("The last step must be returning the result."))
    if StepKind.APPROVAL not in kinds:
        found.append(_("A workflow needs an approval step (a leader decides and signs)."))
    if (
        StepKind.RECORDS in kinds
        and StepKind.APPROVAL in kinds
        and kinds.index(StepKind.RECORDS) < kinds.index(StepKind.APPROVAL)
    ):
        found.append(_("Numbering by the records office comes after the approval."))
    term = _shortest_term(procedure)
    if term is not None and term.unit != TimeUnit.DAY:
        total = clock.term_time(term)
        budgets = sum((clock.step_time(s) for s in steps if s.kind != StepKind.RECEPTION), timedelta(0))
        if abs(budgets - total) >= timedelta(seconds=1):  # microseconds of rounding are no error
            found.append(
                _(
                    "The time budgets add up to %(budget)s working hours, but the procedure's processing "
                    "time is %(total)s working hours."
                )
                % {"budget": _in_hours(budgets), "total": _in_hours(total)}
            )
    return found


def _in_hours(amount: timedelta) -> str:
    return f"{amount / timedelta(hours=1):.2f}".rstrip("0").rstrip(".")


@transaction.atomic
def save_workflow(
    procedure: Procedure, steps: list[dict], *, supplement_clock: str = "resume", note=""
) -> Workflow:
    """A new active version of the procedure's workflow; the previous one stays with its dossiers.

    ``steps``: dicts of name, kind, role, agency (an Agency, its code, or None), budget, budget_unit.
    """
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    last = Workflow.objects.filter(procedure=procedure).order_by("-version").first()
    Workflow.objects.filter(procedure=procedure, is_active=True).update(is_active=False)
    saved = Workflow.objects.create(
        procedure=procedure,
        version=(last.version + 1) if last else 1,
        supplement_clock=supplement_clock,
        note=note,
    )
    for i, step in enumerate(steps, start=1):
        agency = step.get("agency")
        if isinstance(agency, str):
            agency = Agency.objects.get(code=agency)
        WorkflowStep.objects.create(
            workflow=saved,
            order=i,
            name=step.get("name") or str(DEFAULT_NAMES[step["kind"]]),
            kind=step["kind"],
            role=step.get("role") or DEFAULT_ROLES[step["kind"]],
            agency=agency,
            budget=Decimal(str(step.get("budget", 0))),
            budget_unit=step.get("budget_unit", BudgetUnit.WORKING_DAY),
        )
    return saved
