"""Workflow definitions: which steps a procedure's dossiers go through, with whom and in how much time.

A procedure may have its own workflow (edited in the admin, or loaded with the demo data); where it has
none, the default one applies: reception by the desk, processing by a specialist, approval by a leader,
numbering by the records office, return of the result by the desk, all in the receiving agency, with the
procedure's processing time shared out among them. Reception is not part of the processing time: the
clock starts when the desk receives the dossier.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import WORKING_HOURS_PER_DAY, Procedure, TimeUnit

from .models import BudgetUnit, StepKind, StepRole, Workflow

# A desk receives an online dossier within one working day of its arrival (its own budget, before the clock).
RECEPTION_HOURS = Decimal(8)
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
    budget_unit: str

    @property
    def hours(self) -> Decimal:
        return (
            self.budget
            if self.budget_unit == BudgetUnit.WORKING_HOUR
            else self.budget * WORKING_HOURS_PER_DAY
        )

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


def processing_hours(procedure: Procedure) -> Decimal | None:
    """The procedure's processing time in working hours (the shortest method's), None when in calendar days
    or not published."""
    timed = [m for m in procedure.methods.all() if m.processing_time is not None]
    if not timed:
        return None
    method = min(timed, key=lambda m: m.processing_days)
    if method.time_unit == TimeUnit.DAY:
        return None
    if method.time_unit == TimeUnit.WORKING_HOUR:
        return method.processing_time
    return method.processing_time * WORKING_HOURS_PER_DAY


def _hours(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def default_steps(procedure: Procedure) -> tuple[StepDefinition, ...]:
    total = processing_hours(procedure)
    if total is None:
        # Calendar days: share out the days as if they were working days, the due date of the whole
        # dossier still comes from the calendar-day rule.
        timed = [m for m in procedure.methods.all() if m.processing_time is not None]
        total = (min(m.processing_time for m in timed) * WORKING_HOURS_PER_DAY) if timed else Decimal(8)
    shares = {kind: _hours(total * share) for kind, share in DEFAULT_SHARES.items()}
    shares[StepKind.PROCESSING] = total - sum(shares.values())
    order = [StepKind.RECEPTION, StepKind.PROCESSING, StepKind.APPROVAL, StepKind.RECORDS, StepKind.RETURN]
    return tuple(
        StepDefinition(
            order=i + 1,
            name=str(DEFAULT_NAMES[kind]),
            kind=kind,
            role=DEFAULT_ROLES[kind],
            agency_id=None,
            budget=RECEPTION_HOURS if kind == StepKind.RECEPTION else shares[kind],
            budget_unit=BudgetUnit.WORKING_HOUR,
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
    total = processing_hours(procedure)
    budgets = sum((_step_hours(s) for s in steps if s.kind != StepKind.RECEPTION), Decimal(0))
    if total is not None and _hours(budgets) != _hours(total):
        found.append(
            _(
                "The time budgets add up to %(budget)s working hours, but the procedure's processing time is "
                "%(total)s working hours."
            )
            % {"budget": _hours(budgets).normalize(), "total": _hours(total).normalize()}
        )
    return found


def _step_hours(step) -> Decimal:
    if step.budget_unit == BudgetUnit.WORKING_HOUR:
        return Decimal(step.budget)
    return Decimal(step.budget) * WORKING_HOURS_PER_DAY
