"""The officer's queues (hàng đợi): what waits for them and their unit, with filters, counts and pages.

Every step of every workflow waits in a queue of the role that must act on it (``WORK``): a newly submitted
dossier in the desk's "new", a processing step nobody holds in its leaders' "to assign" and its
specialists' "waiting for my unit", the approval, the numbering and the return of the result in the
"waiting for my unit" of the leaders, the records office and the desk; a step given to someone in their
"assigned to me". Each officer opens on the first of these that holds something (``default_queue``).

Queries are built to stay fast at millions of dossiers: each queue filters on indexed columns of the
dossier row itself (``current_agency``, ``status``, ``assignee``, ``due_at``; "to assign" also reads the
kind of the current step, by its key), the counts of every queue come from one aggregate query, and a
page loads its rows with their procedure and agency in one query.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import OfficerMembership, OfficerRole
from motcua.workcalendar import selectors as calendar

from . import clock, rules
from .models import FINISHED_STATUSES, Dossier, DossierAction, DossierStatus

S = DossierStatus
ACTIVE = (S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.PAYMENT_REQUESTED)
FINISHED = tuple(FINISHED_STATUSES)  # the partial index dossiers_finished_list_idx has the same list
# Where an officer's step waits for them: the dossier is in hand (``rules.IN_HAND``), or its result is ready
# and the desk must hand it over (the return step). A newly submitted one waits in "new" instead.
WAITING = (*sorted(rules.IN_HAND), S.RESULT_READY)

QUEUES = {
    "new": _("Newly submitted"),
    "to_assign": _("Waiting for assignment"),
    "to_receive": _("Waiting for my unit"),
    "mine": _("Assigned to me"),
    "supplement": _("Waiting for a supplement"),
    "due_soon": _("Due within a working day"),
    "overdue": _("Overdue"),
    "finished": _("Finished"),
}
# The queues where an officer's work waits for them to act: an officer opens on the first of these that holds
# something (``default_queue``); the others (supplement, due soon, overdue, finished) are views for following.
WORK = ("mine", "new", "to_assign", "to_receive")
ORDER = {
    "finished": ("-finished_at", "-id"),
    "new": ("submitted_at", "id"),
}
DEFAULT_ORDER = ("due_at", "id")


@dataclass
class Officer:
    """An officer's agencies and roles, read once per request."""

    user: object
    agencies: set = field(default_factory=set)
    desk_agencies: set = field(default_factory=set)
    roles: dict = field(default_factory=dict)

    @classmethod
    def of(cls, user) -> "Officer":
        officer = cls(user=user)
        for agency_id, role in OfficerMembership.objects.filter(user=user).values_list("agency_id", "role"):
            officer.agencies.add(agency_id)
            officer.roles.setdefault(agency_id, set()).add(role)
            if role == OfficerRole.DESK:
                officer.desk_agencies.add(agency_id)
        return officer

    @property
    def assigning_agencies(self) -> set:
        """The agencies where this officer gives steps to specialists (``rules.ASSIGNERS``)."""
        return {agency for agency, roles in self.roles.items() if roles & rules.ASSIGNERS}


def available(officer: Officer) -> list[str]:
    """The queues this officer's menu lists, in its order: "new" for desk officers, "to assign" for those
    who assign, the others for everyone."""
    hidden = set()
    if not officer.desk_agencies:
        hidden.add("new")
    if not officer.assigning_agencies:
        hidden.add("to_assign")
    return [name for name in QUEUES if name not in hidden]


def default_queue(officer: Officer, counts: "Counts") -> str:
    """Where the officer opens: the first work queue (``WORK``) of theirs that holds a dossier, else the first
    work queue of their menu (the desk's "new", a leader's "to assign")."""
    menu = available(officer)
    work = [name for name in WORK if name in menu]
    waiting = next((name for name in work if counts.get(name)), None)
    return waiting or next(name for name in menu if name in WORK)


def queue_filters(officer: Officer, now: datetime) -> dict[str, Q]:
    """The condition of each of the officer's queues at ``now``; built once per officer and moment (a page
    asks twice)."""
    cached = officer.__dict__.get("_filters")
    if cached is None or cached[0] != now:
        cached = officer.__dict__["_filters"] = (now, _queue_filters(officer, now))
    return dict(cached[1])


def _queue_filters(officer: Officer, now: datetime) -> dict[str, Q]:
    mine = Q(current_agency__in=officer.agencies)
    unit_roles = Q()
    for agency_id, roles in officer.roles.items():
        unit_roles |= Q(current_agency=agency_id, acting_role__in=roles)
    soon = clock.due_soon_limit(now)
    assign = rules.RULES[DossierAction.ASSIGN]
    found = {
        "new": Q(status=S.SUBMITTED, current_agency__in=officer.desk_agencies),
        # A step nobody holds yet, that a leader of the unit gives to someone (the specialists see it too).
        "to_assign": Q(
            status__in=assign.statuses,
            current_step__kind__in=assign.kinds,
            assignee__isnull=True,
            current_agency__in=officer.assigning_agencies,
        ),
        "to_receive": Q(status__in=WAITING, assignee__isnull=True) & unit_roles,
        "mine": Q(assignee=officer.user, status__in=(*ACTIVE, S.RESULT_READY)),
        "supplement": Q(status=S.SUPPLEMENT_REQUESTED) & (mine | Q(agency__in=officer.agencies)),
        "due_soon": mine & Q(status__in=ACTIVE, due_at__gte=now, due_at__lte=soon),
        "overdue": mine & Q(status__in=ACTIVE, due_at__lt=now),
        "finished": Q(status__in=FINISHED, agency__in=officer.agencies),
    }
    return {name: found[name] for name in available(officer)}


@dataclass
class Filters:
    procedure: str = ""
    status: int | None = None
    channel: str = ""
    since: date | None = None
    until: date | None = None
    q: str = ""  # a dossier code or an applicant's ID number

    def any(self) -> bool:
        return bool(
            self.procedure or self.status is not None or self.channel or self.since or self.until or self.q
        )


def _filtered(rows: QuerySet, filters: Filters) -> QuerySet:
    if filters.procedure:
        rows = rows.filter(procedure__code=filters.procedure)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    tz = calendar.timezone()
    if filters.since:
        rows = rows.filter(submitted_at__gte=datetime.combine(filters.since, time.min, tz))
    if filters.until:
        rows = rows.filter(submitted_at__lt=datetime.combine(filters.until + timedelta(days=1), time.min, tz))
    if filters.q:
        text = filters.q.strip()
        rows = rows.filter(Q(code=text) | Q(applicant_id_number=text)) if text.isascii() else rows.none()
    return rows


# The finished queue grows by every dossier an agency ever handled (hundreds of thousands in a busy
# commune after a few years); counting all of it on every page would cost more than the page. It is counted
# up to this many, shown as "10000+"; filters (dates, procedure, applicant) bring it below when needed.
FINISHED_COUNT_CAP = 10_000
# With a filter the count reads the rows themselves (channel, procedure), not just the index: a lower cap
# keeps it as quick, and "1000+" says to narrow the search further (by dates, for instance).
FILTERED_COUNT_CAP = 1_000


class Counts(dict):
    """How many dossiers each queue holds; ``capped`` names the queues counted only up to a cap."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.capped: set[str] = set()

    def label(self, name: str) -> str:
        return f"{self[name]}+" if name in self.capped else str(self[name])


def counts(officer: Officer, filters: Filters | None = None, now: datetime | None = None) -> Counts:
    """How many dossiers each queue holds: the working queues in one aggregate query over the few dossiers
    in progress, the finished queue in a second one that stops counting at ``FINISHED_COUNT_CAP``."""
    now = now or timezone.now()
    found = queue_filters(officer, now)
    finished = found.pop("finished")
    rows = _filtered(Dossier.objects.all(), filters or Filters())
    scope = Q()
    for condition in found.values():
        scope |= condition
    result = Counts(
        rows.filter(scope).aggregate(
            **{name: Count("pk", filter=condition) for name, condition in found.items()}
        )
    )
    # A sliced queryset's count() is SELECT COUNT(*) FROM (… LIMIT n): it reads no further than the cap.
    cap = FILTERED_COUNT_CAP if filters and filters.any() else FINISHED_COUNT_CAP
    result["finished"] = rows.filter(finished).order_by()[: cap + 1].count()
    if result["finished"] > cap:
        result["finished"] = cap
        result.capped.add("finished")
    return result


def queue(
    officer: Officer, name: str, filters: Filters | None = None, now: datetime | None = None
) -> QuerySet:
    """The dossiers of one queue, in the order an officer works through them (most urgent first)."""
    now = now or timezone.now()
    condition = queue_filters(officer, now)[name]
    rows = _filtered(Dossier.objects.filter(condition), filters or Filters())
    return rows.select_related("procedure", "agency", "current_agency", "assignee").only(
        "code", "status", "channel", "submitted_at", "received_at", "due_at", "finished_at", "timeliness",
        "applicant_name", "applicant_id_number", "procedure__code", "procedure__name", "agency__name",
        "current_agency__name", "assignee__username", "assignee__full_name", "paused_at",
    ).order_by(*ORDER.get(name, DEFAULT_ORDER))  # fmt: skip


def page(rows: QuerySet, number: int, size: int, total: int) -> list[Dossier]:
    """One page of ``rows``, whose size ``total`` the counts already gave (no second COUNT)."""
    last = max((total - 1) // size, 0)
    number = min(max(number, 0), last)
    return list(rows[number * size : (number + 1) * size])
