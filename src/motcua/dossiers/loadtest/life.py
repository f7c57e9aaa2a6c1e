"""The life of one seeded dossier as of ``now``: what happened to it and when, by the rules live ones obey.

What is random here is only *what happens and when* (how long the desk takes, whether a supplement is asked,
how fast the agency works, whether it is refused, withdrawn, stopped or forgotten). Every figure the portal
derives from those moments comes from the same code as for a live dossier: the due dates from the dossier's
clock (``clock.due_by``, ``clock.step_due``, ``clock.resume`` with the workflow's supplement rule, the
procedure's cut-off hour included), the verdicts from ``clock.timeliness``, the codes and result numbers from
``services.numbering``, and the moments themselves from the working calendar (one ``WorkingCalendar``
holding the administrator's exceptions). A dossier ends as ``services.lifecycle.finish`` ends one: a result
is finished when it is numbered (or at its approval without a records office), not before.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import SimpleNamespace

from motcua.catalog.models import Channel, TimeUnit
from motcua.workcalendar.selectors import WorkingCalendar

from .. import clock
from ..models import ApplicantKind, DossierAction, DossierStatus, Outcome, StepKind
from .applicants import Account, Applicants
from .catalogue import Catalogue, ProcedurePlan
from .papers import Papers, StoredPaper
from .people import PLACES, REASONS, SEED_DOMAIN, STREETS, SUPPLEMENT_REASONS, People, index

S = DossierStatus
NEVER = None  # a moment that has not come (and may never)


@lru_cache(maxsize=256)
def plan_term_time(term: clock.ProcessingTerm) -> timedelta:
    return clock.term_time(term)


@dataclass
class Planned:
    """A dossier before it has an id and a code, with the rows that go with it."""

    row: dict
    step: dict | None
    events: list[dict]
    supplement: dict | None
    approval: tuple[int, datetime] | None = None  # (approving agency id, when): it gets a result number
    account: Account | None = None  # the applicant's portal account (``applicants``)
    attachments: list[dict] = field(default_factory=list)  # its papers (``papers``)
    kept: list[StoredPaper] = field(default_factory=list)  # store entries kept from them


class Life:
    """Makes the dossiers of one day, as of ``now``, on the working calendar ``cal``."""

    def __init__(
        self,
        rng: random.Random,
        catalogue: Catalogue,
        cal: WorkingCalendar,
        now: datetime,
        *,
        taken: set[str] | None = None,
        papers: Papers | None = None,
    ):
        self.rng = rng
        self.cat = catalogue
        self.cal = cal
        self.now = now
        self.day = cal.day_length
        self.people = People(rng)
        self.number = 0
        # Accounts and papers when the seeder asks for them (``taken``: the ID numbers already in use).
        self.applicants = Applicants(rng, self.people, taken) if taken is not None else None
        self.papers = papers

    # -- working time --

    def later(self, moment: datetime, amount: timedelta) -> datetime:
        """``amount`` of working time after ``moment``."""
        return self.cal.add(moment, max(amount, timedelta(0)))

    def office_moment(self, d: date) -> datetime:
        """A moment of the office hours of the first working day from ``d`` (more in the morning, as at real
        desks)."""
        day_minutes = self.day / timedelta(minutes=1)
        minutes = min(self.rng.triangular(0, day_minutes, day_minutes * 0.3), day_minutes - 1)
        opening = self.cal.next_opening(datetime.combine(d, time.min, self.cal.tz))
        return self.cal.add(opening, timedelta(minutes=minutes))

    # -- the day --

    def day_of(self, d: date, count: int) -> list[Planned]:
        """``count`` dossiers submitted on ``d``, in the order of submission."""
        rng = self.rng
        works = self.cal.is_working_day(d)
        planned = []
        for _ in range(count):
            online_only = not works
            plan, agency_id = self.pair(online_only)
            channel = self.channel(plan, online_only)
            if channel == Channel.ONLINE:
                hour = rng.uniform(6.5, 22.5) if rng.random() < 0.88 else rng.uniform(0, 24)
                submitted = datetime.combine(d, time.min, self.cal.tz) + timedelta(hours=hour)
            else:
                submitted = self.office_moment(d)
            if submitted > self.now:  # today: only what has already come in
                submitted = self.now - timedelta(seconds=rng.uniform(1, 3600))
                if submitted.astimezone(self.cal.tz).date() != d:
                    submitted = self.now
            planned.append(self.dossier(plan, agency_id, channel, submitted))
        planned.sort(key=lambda p: p.row["submitted_at"])
        return planned

    def pair(self, online_only: bool) -> tuple[ProcedurePlan, int]:
        if online_only and self.cat.online_pairs:
            return self.cat.online_pairs[index(self.rng, self.cat.online_weights)]
        return self.cat.pairs[index(self.rng, self.cat.weights)]

    def channel(self, plan: ProcedurePlan, online_only: bool) -> str:
        if Channel.ONLINE in plan.channels and (online_only or self.rng.random() < 0.55):
            return Channel.ONLINE
        if Channel.POSTAL in plan.channels and self.rng.random() < 0.07:
            return Channel.POSTAL
        if Channel.IN_PERSON in plan.channels:
            return Channel.IN_PERSON
        return sorted(plan.channels)[0]

    # -- one dossier --

    def budget(self, term: clock.ProcessingTerm | None) -> timedelta:
        """How much working time the agency has for it (what "fast" and "slow" are measured against)."""
        if term is None:
            return self.day * self.rng.uniform(5, 20)  # no time published: it still takes a while
        if term.unit == TimeUnit.DAY:
            return self.day * float(term.amount) * 5 / 7
        return plan_term_time(term)

    def resumed(self, plan: ProcedurePlan, channel: str, due, asked: datetime, supplied: datetime):
        """The due date after a supplement asked at ``asked`` and supplied at ``supplied``, as the clock
        moves a live dossier's (time left, or the full time again, as the workflow says)."""
        if due is None:
            return None
        dossier = SimpleNamespace(
            paused_at=asked, due_is_provisional=False, due_at=due, current_step=None,
            procedure=plan.procedure, channel=channel,
        )  # fmt: skip
        clock.resume(dossier, supplied, definition=plan.definition, calendar=self.cal)
        return dossier.due_at

    def dossier(self, plan: ProcedurePlan, agency_id: int, channel: str, submitted: datetime) -> Planned:
        rng, now, later = self.rng, self.now, self.later
        self.number += 1
        kind = ApplicantKind.CITIZEN
        if plan.business and (not plan.citizens or rng.random() < 0.6):
            kind = ApplicantKind.BUSINESS
            name, id_number = self.people.business()
        else:
            name, id_number, _gender = self.people.person()
        online = channel == Channel.ONLINE
        term = plan.term(channel)
        cutoff = plan.procedure.cutoff_time

        def due_from(start: datetime):
            return clock.due_by(term, start, cutoff=cutoff, calendar=self.cal) if term else None

        # When things happen (NEVER: not yet, maybe never).
        if online:
            wait = timedelta(minutes=min(rng.expovariate(1 / 120), self.day / timedelta(minutes=1)))
            received = later(submitted, wait)
        else:
            received = submitted  # at the desk: received as it is handed in
        deadline = due_from(received)
        due = deadline.due_at if deadline else None
        fate = rng.random()
        refused = online and fate < 0.025  # the desk refuses an online dossier; a counter one is not taken
        withdrawn = 0.025 <= fate < 0.035
        stopped = 0.035 <= fate < 0.04
        forgotten = 0.04 <= fate < 0.044  # nobody acts on it any more: overdue for months
        speed = rng.random()
        if speed < 0.3:
            share = rng.uniform(0.15, 0.6)
        elif speed < 0.93:
            share = rng.uniform(0.6, 1.0)
        else:
            share = rng.uniform(1.0, 1.8)
        processing = max(self.budget(term) * share, timedelta(minutes=20))
        pause = timedelta(0)
        asked = supplied = NEVER
        if not refused and rng.random() < 0.06:
            asked = later(received, processing * rng.uniform(0.05, 0.6))
            pause = self.day * rng.uniform(0.5, 12)
            supplied = later(asked, pause)
        ready = NEVER if forgotten else later(received, processing + pause)
        if ready is NEVER or rng.random() < 0.01:
            returned = NEVER  # the result was never collected
        elif online and rng.random() < 0.5:
            returned = ready + timedelta(minutes=rng.uniform(5, 60))
        else:
            returned = later(ready, min(self.day * rng.expovariate(1 / 1.5), self.day * 20))
        ended = NEVER
        if refused:
            ended = received
        elif withdrawn or stopped:
            ended = later(received, processing * rng.uniform(0.1, 0.9))
            if asked is not NEVER and asked < ended:
                ended = later(ended, pause)
        due_final = due
        if supplied is not NEVER and supplied <= now:
            due_final = self.resumed(plan, channel, due, asked, supplied)

        row = {
            "uuid": uuid.uuid4(),
            "procedure_id": plan.procedure.pk,
            "procedure_record": {"code": plan.procedure.code, "name": plan.procedure.name, "seeded": True},
            "agency_id": agency_id,
            "applicant_kind": kind,
            "applicant_name": name,
            "applicant_id_number": id_number,
            "applicant_phone": self.people.phone(),
            "applicant_email": f"ho-so-{self.number}-{rng.randrange(10**6):06d}@{SEED_DOMAIN}",
            "applicant_address": (
                f"Số {rng.randint(1, 199)} đường {rng.choice(STREETS)}"
                if rng.random() < 0.4
                else rng.choice(PLACES)
            )
            + f", {self.cat.agency_names[agency_id].removeprefix('UBND ')}",
            "channel": channel,
            "data": {
                "full_name": name,
                "id_number": id_number,
                "reason": rng.choice(REASONS),
                "copies": rng.randint(1, 3),
            },
            "created_at": submitted - timedelta(minutes=rng.uniform(3, 40)) if online else submitted,
            "submitted_at": submitted,
            "received_at": received,
            "due_at": due_final,
            "due_is_provisional": False,
            "workflow_id": plan.definition.workflow.pk if plan.definition.workflow else None,
            "current_agency_id": agency_id,
            "version": 1,
        }
        steps = plan.definition.steps
        first = steps[0]
        desk = self.cat.officers.get((agency_id, first.role))
        events = [
            self.event(
                submitted,
                DossierAction.SUBMIT if online else DossierAction.REGISTER,
                None if online else desk,
                S.DRAFT if online else None,
                S.SUBMITTED if online else S.RECEIVED,
                agency_id,
                due=due,
            )
        ]
        if not online:
            events[0]["actor_name"] = desk[1] if desk else ""
        else:
            events[0]["actor_name"] = name
        step = supplement = approval = None
        at = submitted  # when it last changed

        def finish(status, moment, action, outcome, actor, from_status, finished=None):
            nonlocal at
            at = moment
            finished = finished or moment
            verdict = clock.timeliness(finished, row["due_at"])
            row.update(status=status, finished_at=finished, outcome=outcome, timeliness=verdict)
            row.update(current_step_id=None, acting_role="", assignee_id=None)
            events.append(self.event(moment, action, actor, from_status, status, agency_id))

        if online and now < received:
            # Not received yet: the desk's "new" queue; the due date is the provisional one.
            row.update(status=S.SUBMITTED, received_at=submitted, due_is_provisional=True)
            row["due_at"] = due_from(submitted).due_at if term else None
            step = self.step_row(first, agency_id, submitted, assigned=False)
        elif ended is not NEVER and ended <= now:
            if refused:
                row.update(received_at=submitted, due_is_provisional=True)
                row["due_at"] = due_from(submitted).due_at if term else None
                finish(S.REFUSED, ended, DossierAction.REFUSE, Outcome.REFUSED, desk, S.SUBMITTED)
            elif withdrawn:
                finish(S.WITHDRAWN, ended, DossierAction.WITHDRAW, Outcome.WITHDRAWN, None, S.PROCESSING)
                events[-1]["actor_name"] = name
            else:
                leader = self.cat.officers.get((agency_id, "leader"))
                finish(S.STOPPED, ended, DossierAction.STOP, Outcome.STOPPED, leader, S.PROCESSING)
            row["version"] = 3 if online else 2
        elif returned is not NEVER and returned <= now:
            finish(S.RETURNED, returned, DossierAction.RETURN_RESULT, Outcome.APPROVED, desk, S.RESULT_READY,
                   finished=ready)  # fmt: skip
            row.update(returned_at=returned, version=6)
            approval = (self.approving_agency(plan, agency_id), ready)
        elif ready is not NEVER and ready <= now:
            row.update(status=S.RESULT_READY, finished_at=ready, outcome=Outcome.APPROVED, version=5)
            row["timeliness"] = clock.timeliness(ready, row["due_at"])
            step = self.step_row(steps[-1], agency_id, ready, assigned=False)
            approval = (self.approving_agency(plan, agency_id), ready)
            at = ready
        elif asked is not NEVER and asked <= now < supplied:
            holder = self.current_processing(
                plan, self.cal.working_hours_between(received, asked) / processing
            )
            started = self.step_start(plan, holder, received, asked)
            row.update(status=S.SUPPLEMENT_REQUESTED, paused_at=asked, supplement_count=1, version=3)
            step = self.step_row(
                holder, agency_id, started, assigned=True, deadline=deadline, received=received
            )
            at = asked
        else:
            # In progress: which step holds it now, from the share of the processing time gone by.
            resumed = supplied is not NEVER and supplied <= now
            gone = self.cal.working_hours_between(received, now) - (pause if resumed else timedelta(0))
            progress = gone / processing if not forgotten else rng.uniform(0, 0.95)
            holder = self.current_processing(plan, min(progress, 0.999))
            started = received
            if gone > timedelta(0):
                started = min(later(received, min(gone, processing) * rng.uniform(0.5, 1.0)), now)
            if resumed:
                started = max(started, supplied)  # the step the dossier came back to after its supplement
            fresh = holder is plan.processing_steps[0] and progress < 0.2
            chance = {"specialist": 0.7, "leader": 0.5, "records": 0.5}.get(holder.role, 0.3)
            assigned = not fresh and rng.random() < chance
            step = self.step_row(
                holder, agency_id, started, assigned=assigned, deadline=deadline, received=received
            )
            if fresh and not step["assignee_id"]:
                row["status"] = S.RECEIVED
            elif holder.kind == StepKind.PROCESSING and rng.random() < 0.03:
                row["status"] = S.PAYMENT_REQUESTED
            else:
                row["status"] = S.PROCESSING
            if holder.kind == StepKind.RECORDS:  # approved and signed: it waits for its number
                approval = (self.approving_agency(plan, agency_id), started)
            row["version"] = 2 if row["status"] == S.RECEIVED else 4
            if resumed:
                row["supplement_count"] = 1
            at = started
        if asked is not NEVER and asked <= now and row["status"] != S.REFUSED:
            supplement = self.supplement_row(step, agency_id, asked, supplied, pause)
        if step is not None:
            row["current_agency_id"] = step["agency_id"]
            row["assignee_id"] = step["assignee_id"]
        if online and row["status"] not in (S.SUBMITTED, S.REFUSED):
            # The reception of an online dossier (the control sheet's second row): statistics count a
            # dossier as received by it (``dossiers.facts.received``), whatever became of it since.
            events.insert(1, self.event(received, DossierAction.RECEIVE, desk, S.SUBMITTED, S.RECEIVED,
                                        agency_id, due=due))  # fmt: skip
        row["updated_at"] = max(at, submitted)
        quote = plan.fee_quote(channel) if online else None
        if quote is not None:
            # Sent online, the fee is quoted and frozen (``services.submission``); at the desk it is taken
            # there, unquoted.
            row.update(fee_quote={**quote, "quoted_at": submitted.isoformat()}, fee_total=quote["total"])
        planned = Planned(row, step, events, supplement, approval)
        if self.applicants is not None:
            planned.account = self.applicants.assign(row)
            if online and planned.account is not None:
                # What the applicant did (sending it, withdrawing it), their account did: its id is known
                # once the batch is written.
                for event in events:
                    if event["action"] in (DossierAction.SUBMIT, DossierAction.WITHDRAW):
                        event.update(actor_name=planned.account.name, _account=planned.account)
        if self.papers is not None:
            planned.attachments, planned.kept = self.papers.attach(row, plan.components, planned.account)
        return planned

    # -- its rows --

    def event(self, at, action, officer, from_status, to_status, agency_id, due=NEVER) -> dict:
        detail = {"seeded": True}
        if action in (DossierAction.SUBMIT, DossierAction.REGISTER, DossierAction.RECEIVE):
            detail["due_at"] = due.isoformat() if due else None
        return {
            "at": at, "action": action, "actor_id": officer[0] if officer else None,
            "actor_name": officer[1] if officer else "", "from_status": from_status, "to_status": to_status,
            "to_agency_id": agency_id, "detail": detail,
        }  # fmt: skip

    def approving_agency(self, plan: ProcedurePlan, receiving_id: int) -> int:
        approval = plan.approval_step
        return approval.acting_agency_id(receiving_id) if approval else receiving_id

    def current_processing(self, plan: ProcedurePlan, progress: float):
        inner, times, total = plan.processing_times
        point = total * max(progress, 0)
        for s, length in zip(inner, times, strict=True):
            if point < length:
                return s
            point -= length
        return inner[-1]

    def step_start(self, plan, holder, received, until) -> datetime:
        """When the step holding the dossier at ``until`` started: at reception for the first one, else some
        time between reception and then."""
        if holder is plan.processing_steps[0]:
            return received
        return self.later(
            received, self.cal.working_hours_between(received, until) * self.rng.uniform(0.5, 1)
        )

    def step_row(
        self, definition_step, receiving_id, started, *, assigned, deadline=None, received=None
    ) -> dict:
        """The dossier's current step, due by the clock as ``services.lifecycle.open_step`` opens one (the
        first step after reception counts from where the dossier's own count begins)."""
        agency_id = definition_step.acting_agency_id(receiving_id)
        officer = self.cat.officers.get((agency_id, definition_step.role)) if assigned else None
        counting_from = deadline.counted_from if deadline is not None and started == received else None
        return {
            "order": definition_step.order,
            "name": definition_step.name,
            "kind": definition_step.kind,
            "role": definition_step.role,
            "agency_id": agency_id,
            "assignee_id": officer[0] if officer else None,
            "started_at": started,
            "due_at": clock.step_due(
                definition_step, started, counting_from=counting_from, calendar=self.cal
            ),
        }

    def supplement_row(self, step, agency_id, asked, supplied, pause) -> dict | None:
        """The supplement request (slip 02), answered or still awaited."""
        holder = (step["agency_id"], step["role"]) if step else (agency_id, "desk")
        officer = self.cat.officers.get(holder) or self.cat.officers.get((agency_id, "desk"))
        if officer is None:
            return None
        done = supplied is not NEVER and supplied <= self.now
        return {
            "requested_by_id": officer[0], "requested_at": asked, "papers": [],
            "reason": self.rng.choice(SUPPLEMENT_REASONS), "from_status": S.PROCESSING,
            "supplied_at": supplied if done else None, "paused_working_time": pause if done else None,
        }  # fmt: skip


def day_counts(total: int, first: date, last: date, cal: WorkingCalendar, now: datetime):
    """``total`` spread over the days: working days busy, Saturdays and holidays quiet (online only),
    volume growing slowly towards today, today only the part of the day gone by."""
    days, weights = [], []
    span = max((last - first).days, 1)
    d = first
    local_now = now.astimezone(cal.tz)
    while d <= last:
        weight = 1.0 if cal.is_working_day(d) else (0.12 if d.weekday() == 5 else 0.06)
        weight *= 1 + 0.5 * (d - first).days / span
        if d == local_now.date():
            weight *= min(max((local_now.hour * 60 + local_now.minute) / (17 * 60), 0.02), 1)
        days.append(d)
        weights.append(weight)
        d += timedelta(days=1)
    total_weight = sum(weights)
    counts, cumulative, given = [], 0.0, 0
    for d, weight in zip(days, weights, strict=True):
        cumulative += weight
        upto = round(total * cumulative / total_weight)
        counts.append((d, upto - given))
        given = upto
    return counts
