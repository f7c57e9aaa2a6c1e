"""The dossier's clock (thời hạn giải quyết): when a dossier and each of its steps are due, and how it ended.

Every moment the life of a dossier is measured against comes from here, on top of the working calendar
(``workcalendar``), which alone does working-time arithmetic and knows how long a working day is:

- ``processing_term`` and ``dossier_deadline``: the processing time a dossier received by a channel has, and
  when it is due (counted from its reception, with the procedure's cut-off hour);
- ``step_due``: when a step of its workflow is due, its budget of working days or hours after it opens;
- ``pause`` and ``resume``: the clock stands still while the applicant owes the agency something (a
  supplement today; a payment later) and then goes on with the time that was left, or starts again in full,
  as the procedure's workflow says;
- ``due_soon_limit``: what "due within a working day" means for the queues and the deadline watch;
- ``apology_date``: the new appointment an apology letter (form 04) proposes;
- ``timeliness`` and ``verdict``: early, on time or late, of a step or of the whole dossier.

Nothing here writes to the database: the services assign what these functions compute and save it with the
transition. A bulk loader passes one ``calendar`` (a ``WorkingCalendar`` holding the administrator's
exceptions) to many calls; without it each call reads the exceptions it needs.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from motcua.catalog.models import TimeUnit
from motcua.workcalendar import selectors as working_calendar

from .models import BudgetUnit, Dossier, SupplementClock, Timeliness

_MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)


def _calendar(calendar):
    """The calendar to ask: the one given (exceptions read once), else the module's functions, which read
    the exceptions each call needs (both answer ``add_working_time``, ``add_calendar_days`` and
    ``working_hours_between`` alike)."""
    return working_calendar if calendar is None else calendar


# --- the dossier --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessingTerm:
    """A processing time as the procedure publishes it: an amount of working days, working hours or days."""

    amount: Decimal
    unit: str  # catalog.TimeUnit


def processing_term(methods, channel: str) -> ProcessingTerm | None:
    """The processing time of a dossier received by ``channel``: that channel's own published time, else the
    shortest one published; None when the procedure publishes none. ``methods``: its ``ProcedureMethod``s."""
    timed = [m for m in methods if m.processing_time is not None]
    if not timed:
        return None
    method = next((m for m in timed if m.channel == channel), None) or min(
        timed, key=lambda m: m.processing_days
    )
    return ProcessingTerm(Decimal(method.processing_time), method.time_unit)


def due_by(term: ProcessingTerm, start: datetime, *, cutoff=None, calendar=None):
    """When a dossier received at ``start`` with ``term`` to process it is due (``WorkingTimeResult``)."""
    cal = _calendar(calendar)
    if term.unit == TimeUnit.DAY:
        return cal.add_calendar_days(start, int(term.amount), cutoff=cutoff)
    if term.unit == TimeUnit.WORKING_HOUR:
        return cal.add_working_time(start, hours=term.amount, cutoff=cutoff)
    return cal.add_working_time(start, days=term.amount, cutoff=cutoff)


def dossier_deadline(procedure, channel: str, start: datetime, *, calendar=None):
    """When a dossier of ``procedure`` received by ``channel`` at ``start`` is due: a ``WorkingTimeResult``
    (``counted_from`` says where the count began), or None when no processing time is published."""
    term = processing_term(procedure.methods.all(), channel)
    if term is None:
        return None
    return due_by(term, start, cutoff=procedure.cutoff_time, calendar=calendar)


# --- steps --------------------------------------------------------------------------------------------------


def step_due(step, start: datetime, *, counting_from: datetime | None = None, calendar=None) -> datetime:
    """When a step that opens at ``start`` is due: its ``budget`` of working days or hours later, counted
    from ``counting_from`` when that is later (the first step after reception counts from where the
    dossier's own count begins, so that the steps' due times add up to the dossier's).

    ``step``: anything with ``budget`` and ``budget_unit`` (a workflow's step definition or stored step).
    """
    if counting_from is not None and counting_from > start:
        start = counting_from
    budget = Decimal(step.budget)
    if step.budget_unit == BudgetUnit.WORKING_HOUR:
        return _calendar(calendar).add_working_time(start, hours=budget).due_at
    return _calendar(calendar).add_working_time(start, days=budget).due_at


def step_time(step) -> timedelta:
    """A step's budget as working time (what the steps of a workflow must add up to)."""
    budget = Decimal(step.budget)
    if step.budget_unit == BudgetUnit.WORKING_HOUR:
        return working_calendar.working_time(hours=budget)
    return working_calendar.working_time(days=budget)


def term_time(term: ProcessingTerm) -> timedelta:
    """A processing time as working time; calendar days count as working days (a workflow shares them out)."""
    if term.unit == TimeUnit.WORKING_HOUR:
        return working_calendar.working_time(hours=term.amount)
    return working_calendar.working_time(days=term.amount)


# --- the clock standing still -------------------------------------------------------------------------------


def pause(dossier: Dossier, now: datetime) -> None:
    """Stop the clock: from ``now`` the dossier's and its current step's time do not run."""
    dossier.paused_at = now


def resume(dossier: Dossier, now: datetime, *, definition, calendar=None) -> timedelta | None:
    """Start the clock again at ``now``; returns the working time it stood still (None: it was running).

    The dossier and its current step keep the working time they had left when it stopped, or, when the
    workflow says so (``SupplementClock.RESTART``), start their full time again from ``now``. A dossier
    whose due date is still provisional (not yet received by the desk) only loses its pause: the desk fixes
    its due date when it receives it.
    """
    paused_at = dossier.paused_at
    if paused_at is None:
        return None
    cal = _calendar(calendar)
    stood = cal.working_hours_between(paused_at, now)
    dossier.paused_at = None
    if dossier.due_is_provisional:
        return stood
    step = dossier.current_step
    if definition.supplement_clock == SupplementClock.RESTART:
        deadline = dossier_deadline(dossier.procedure, dossier.channel, now, calendar=calendar)
        if deadline is not None:
            dossier.due_at = deadline.due_at
        step_definition = definition.step(step.order) if step is not None else None
        if step_definition is not None:
            step.due_at = step_due(step_definition, now, calendar=calendar)
        return stood
    for holder in (dossier, step):
        if holder is not None and holder.due_at is not None:
            left = max(cal.working_hours_between(paused_at, holder.due_at), timedelta(0))
            holder.due_at = cal.add_working_time(now, hours=_hours(left)).due_at
    return stood


def _hours(amount: timedelta) -> Decimal:
    return Decimal(amount // timedelta(microseconds=1)) / _MICROSECONDS_PER_HOUR


# --- warnings and apologies ---------------------------------------------------------------------------------


def due_soon_limit(now: datetime, *, calendar=None) -> datetime:
    """One working day from ``now``: a dossier due by then is "due within a working day"."""
    return _calendar(calendar).add_working_time(now, days=1).due_at


def apology_date(dossier: Dossier, now: datetime, *, calendar=None) -> datetime:
    """The new appointment of a late dossier: as much working time from ``now`` as its current step had when
    it started, and at least one working day."""
    cal = _calendar(calendar)
    step = dossier.current_step
    budget = timedelta(0)
    if step is not None and step.due_at and step.started_at:
        budget = cal.working_hours_between(step.started_at, step.due_at)
    budget = max(budget, working_calendar.working_time(days=1))
    return cal.add_working_time(now, hours=_hours(budget)).due_at


# --- the verdict --------------------------------------------------------------------------------------------


def timeliness(finished_at: datetime, due_at: datetime | None) -> Timeliness:
    """Sớm hạn / đúng hạn / trễ hạn: early when done on a day before the due day, late after the due moment;
    on time without a due date (no processing time published)."""
    if due_at is None:
        return Timeliness.ON_TIME
    if finished_at > due_at:
        return Timeliness.LATE
    if working_calendar.local(finished_at).date() < working_calendar.local(due_at).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def counted_until(dossier: Dossier, now: datetime) -> datetime:
    """The moment the dossier's clock shows at ``now``: when it stopped, if it stands still."""
    return dossier.paused_at or now


def verdict(dossier: Dossier, now: datetime) -> Timeliness:
    """The dossier's timeliness if it ends at ``now`` (a stopped clock counts until it stopped)."""
    return timeliness(counted_until(dossier, now), dossier.due_at)
