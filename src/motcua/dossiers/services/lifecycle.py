"""What every change of a dossier shares: its row locked, the rules checked, the steps of its workflow opened
and closed, the new status written with its history row, audit row and notification, and how it ends.

Transitions (``reception``, ``processing``, ``results``, ``endings``) are built from these pieces, so that a
rule kept here holds for all of them: every status change leaves a history row (the process control sheet),
every step is timed by the dossier's clock, and every way a dossier ends records its outcome, when it
ended and whether it was in time (``finish``).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.audit import services as audit
from motcua.notifications import services as notifications

from .. import clock, notices, rules, selectors, workflow
from ..models import Dossier, DossierAction, DossierEvent, DossierStatus, DossierStep, Outcome
from ..signals import dossier_moved
from .errors import ActionRefused, require

# --- the row, locked ----------------------------------------------------------------------------------------


def locked(dossier: Dossier, version: int | None) -> Dossier:
    """The dossier's row, locked until the transaction ends; refused when someone acted since ``version``."""
    row = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency", "current_step", "workflow")
        .get(pk=dossier.pk)
    )
    if version is not None and int(version) != row.version:
        raise ActionRefused(_("Someone else has just acted on this dossier; reload it to see what changed."))
    return row


def editable(dossier: Dossier, by, *, supplement: bool = False) -> Dossier:
    """The draft, locked for this change, when ``by`` may change it. With ``supplement``, also a dossier
    waiting for the applicant's supplement (its papers and data may then be completed)."""
    # Only the dossier's row is locked; its procedure and form come in the same query.
    row = (
        Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "form").get(pk=dossier.pk)
    )
    if not rules.may_edit(row, by):
        raise PermissionDenied(_("This dossier is not yours to change."))
    allowed = (
        {DossierStatus.DRAFT, DossierStatus.SUPPLEMENT_REQUESTED} if supplement else {DossierStatus.DRAFT}
    )
    if row.status not in allowed:
        raise ActionRefused(_("The dossier has been sent and can no longer be changed."))
    return row


def check(action: str, dossier: Dossier, by) -> None:
    """Refuse ``action`` by ``by`` now: ActionRefused for the wrong moment, PermissionDenied for the wrong
    person. An officer of another agency never learns more than that they may not."""
    roles = rules.Roles(by)
    if not rules.possible(action, dossier, dossier.current_step):
        if not rules.may_read(dossier, by):
            raise PermissionDenied(_("This dossier is not handled by your agency."))
        raise ActionRefused(
            _("“%(action)s” is not possible while the dossier is “%(status)s”.")
            % {"action": DossierAction(action).verb, "status": DossierStatus(dossier.status).label}
        )
    if not rules.allowed(action, dossier, dossier.current_step, roles):
        raise PermissionDenied(
            _("You may not “%(action)s” this dossier.") % {"action": DossierAction(action).verb}
        )


# --- the reasons some actions need --------------------------------------------------------------------------

# The actions that are refused without a note, and what the officer is asked for: the applicant or the next
# step reads it (the pages mark these notes as required).
REASONS = {
    DossierAction.REFUSE: gettext_lazy("Give the reason for refusing the dossier."),
    DossierAction.REQUEST_SUPPLEMENT: gettext_lazy(
        "Say what is missing or wrong, so that the applicant can put it right."
    ),
    DossierAction.SEND_BACK: gettext_lazy("Say what the previous step should look at again."),
    DossierAction.REQUEST_PAYMENT: gettext_lazy("Say what must be paid, how much and how."),
    DossierAction.REJECT: gettext_lazy("Give the reasons: the applicant receives them in writing."),
    DossierAction.STOP: gettext_lazy("Give the reason for stopping the processing."),
}


def reason(action: str, note: str) -> str:
    """The note of ``action`` without surrounding spaces; refused (400, on the note) when it is empty."""
    return require(note, "note", str(REASONS[action]))


# --- the steps of its workflow ------------------------------------------------------------------------------


def definition_of(dossier: Dossier) -> workflow.Definition:
    """The steps of the workflow the dossier was received under."""
    return workflow.definition_for(dossier.procedure, dossier.workflow)


def open_step(
    dossier: Dossier, definition_step, now: datetime, *, assignee=None, counting_from: datetime | None = None
) -> DossierStep:
    """Start a step of the workflow: the dossier is now held by the step's agency, and the step is due by
    the dossier's clock (``clock.step_due``; ``counting_from``: where the dossier's own count begins)."""
    agency_id = definition_step.acting_agency_id(dossier.agency_id)
    step = DossierStep.objects.create(
        dossier=dossier,
        order=definition_step.order,
        name=definition_step.name,
        kind=definition_step.kind,
        role=definition_step.role,
        agency_id=agency_id,
        assignee=assignee,
        started_at=now,
        due_at=clock.step_due(definition_step, now, counting_from=counting_from),
    )
    dossier.current_step = step
    dossier.acting_role = step.role
    dossier.current_agency_id = agency_id
    dossier.assignee = assignee
    return step


def close_step(dossier: Dossier, now: datetime, outcome: str) -> None:
    """End the current step with ``outcome`` and its timeliness against its own due time."""
    step = dossier.current_step
    if step is None or step.finished_at is not None:
        return
    step.finished_at = now
    step.outcome = outcome
    step.timeliness = clock.timeliness(clock.counted_until(dossier, now), step.due_at)
    step.save(update_fields=["finished_at", "outcome", "timeliness"])
    # The history row of this transition names the step it closed (the control sheet shows its timeliness).
    dossier._closed_step_order = step.order


def start_workflow(
    dossier: Dossier,
    now: datetime,
    *,
    received_by=None,
    counting_from: datetime | None = None,
    save: bool = True,
) -> None:
    """The reception step, opened when the dossier arrives; closed at once for a counter registration,
    whose next step then counts from ``counting_from`` (where the dossier's own count begins)."""
    definition = workflow.definition_for(dossier.procedure)
    dossier.workflow = definition.workflow
    first = definition.steps[0]
    step = open_step(dossier, first, now, assignee=received_by)
    if received_by is not None:
        close_step(dossier, now, DossierAction.REGISTER)
        nxt = definition.after(step.order)
        if nxt is not None:
            open_step(dossier, nxt, now, counting_from=counting_from)
    if save:
        dossier.save(update_fields=["workflow", "current_step", "acting_role", "current_agency", "assignee"])


def resume_clock(dossier: Dossier, now: datetime) -> None:
    """A dossier waiting for a payment (6) goes on: its clock runs again from ``now`` with the time it had
    left, and its current step's new due time is saved. Nothing happens to a dossier in another status (a
    supplement is resumed by ``supplement`` itself)."""
    if dossier.status != DossierStatus.PAYMENT_REQUESTED or dossier.paused_at is None:
        return
    clock.resume(dossier, now, definition=definition_of(dossier))
    if dossier.current_step is not None:
        dossier.current_step.save(update_fields=["due_at"])


def release(dossier: Dossier, *, keep_assignee: bool = False) -> None:
    """Nobody holds the dossier any more (it ended, or its result was handed over)."""
    dossier.current_step = None
    dossier.acting_role = ""
    if not keep_assignee:
        dossier.assignee = None


# --- the record of it ---------------------------------------------------------------------------------------


def record_history(dossier, *, action, by, from_status, note="", from_agency=None, to_agency=None, **detail):
    """One row of the process control sheet (form 06): who did what, when, from which status and unit."""
    return DossierEvent.objects.create(
        dossier=dossier,
        at=timezone.now(),
        action=action,
        actor=by,
        actor_name=(by.get_full_name() if by is not None else "")[:255],
        from_status=from_status,
        to_status=dossier.status,
        from_agency=from_agency,
        to_agency=to_agency or dossier.agency,
        note=note,
        detail=audit.plain(detail),  # dates and numbers as JSON text
    )


def tell_applicant(dossier: Dossier, *, topic: str, template: str, context: dict | None = None, **options):
    """A message to the dossier's applicant (inbox, e-mail, SMS) about ``dossier``."""
    return notifications.notify(
        topic=topic,
        template=template,
        context={**selectors.notification_context(dossier), **(context or {})},
        recipient=dossier.applicant,
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        subject=dossier,
        link=selectors.applicant_link(dossier),
        **options,
    )


def move(dossier, *, by, action, to_status, note="", request=None, from_agency=None, **detail):
    """What every transition ends with: the new status, a history row, the applicant told, an audit row."""
    previous = dossier.status
    dossier.status = to_status
    dossier.version += 1
    dossier.save()
    closed = getattr(dossier, "_closed_step_order", None)
    if closed is not None:
        detail["step_order"] = closed
    record_history(
        dossier, action=action, by=by, from_status=previous, note=note,
        from_agency=from_agency, to_agency=dossier.current_agency, **detail,
    )  # fmt: skip
    words = notices.context(dossier) if previous != to_status else None
    if words is not None:  # only the changes the applicant has a use for (``notices``)
        tell_applicant(
            dossier,
            topic="dossier.status_changed",
            template="dossier_status_changed",
            context={**words, "note": note},
        )
    dossier_moved.send(
        sender=Dossier, dossier=dossier, action=action, from_status=previous, to_status=to_status, by=by,
        detail=detail,
    )  # fmt: skip
    audit.record(
        f"dossier.{action}", actor=by, request=request, target=dossier, target_label=dossier.code,
        from_status=previous, to_status=to_status,
    )  # fmt: skip
    return dossier


def finish(dossier: Dossier, now: datetime, outcome: Outcome) -> None:
    """The dossier ends at ``now`` with ``outcome``: when, how, and whether in time (by its clock, which
    counts a dossier that ends while it stands still until it stopped). Every way a dossier ends goes
    through here, so that what statistics count over finished dossiers is the same for all of them."""
    dossier.finished_at = now
    dossier.outcome = Outcome(outcome)
    dossier.timeliness = clock.verdict(dossier, now)
    dossier.paused_at = None
