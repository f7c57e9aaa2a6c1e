"""The dossiers behind a figure: from a number on a page to the list it counts (only through the ledger;
who may see which dossier is the caller's business: ``dossiers`` selectors narrow the list)."""

from datetime import datetime

from django.db.models import Q, QuerySet

from motcua.dossiers.models import Outcome, Timeliness

from .figures import progress_filters
from .models import DossierLedger
from .periods import Period
from .ratings import satisfied_filter
from .scope import Scope

RESOLVED = Q(outcome__in=[Outcome.APPROVED, Outcome.REJECTED])
IN_TIME = Q(timeliness__in=[Timeliness.EARLY, Timeliness.ON_TIME])
RECEIVED = {
    "received": Q(),
    "digitised": Q(digitised=True),
    "reused": Q(reused=True),
    "with_fee": Q(with_fee=True),
    "paid_online": Q(paid_online=True),
    "received_online": Q(channel="online"),
    "received_in_person": Q(channel="in_person"),
    "received_postal": Q(channel="postal"),
}
FINISHED = {
    "resolved": RESOLVED,
    "resolved_in_time": RESOLVED & IN_TIME,
    "resolved_early": RESOLVED & Q(timeliness=Timeliness.EARLY),
    "resolved_on_time": RESOLVED & Q(timeliness=Timeliness.ON_TIME),
    "resolved_late": RESOLVED & ~IN_TIME,
    "granted": Q(outcome=Outcome.APPROVED),
    "e_results": Q(outcome=Outcome.APPROVED, e_result=True),
    "not_granted": Q(outcome=Outcome.REJECTED),
    "stopped": Q(outcome=Outcome.STOPPED),
    "withdrawn": Q(outcome=Outcome.WITHDRAWN),
    "refused": Q(outcome=Outcome.REFUSED),
}
RATED = {"ratings": Q(), "ratings_satisfied": satisfied_filter("overall")}
IN_PROGRESS = ("in_progress", "in_progress_within_time", "overdue", "awaiting_supplement")
FIGURES = (*RECEIVED, *FINISHED, *RATED, *IN_PROGRESS)


def dossier_ids(figure: str, period: Period, scope: Scope, now: datetime | None = None) -> QuerySet:
    """The ids of the dossiers ``figure`` counts for ``period`` and ``scope`` (a subquery: ``pk__in=``)."""
    rows = DossierLedger.objects.filter(**scope.filters())
    days = (period.start, period.end)
    if figure in RECEIVED:
        rows = rows.filter(RECEIVED[figure], received_on__range=days)
    elif figure in FINISHED:
        rows = rows.filter(FINISHED[figure], finished_on__range=days)
    elif figure in RATED:
        rows = rows.filter(RATED[figure], rated_on__range=days)
    elif figure in IN_PROGRESS:
        open_then, within, current = progress_filters(period, now)
        rows = rows.filter(open_then)
        if figure == "in_progress_within_time":
            rows = rows.filter(within)
        elif figure == "overdue":
            rows = rows.exclude(within)
        elif figure == "awaiting_supplement":
            rows = rows.filter(awaiting_supplement=True) if current else rows.none()
    else:
        raise ValueError(figure)
    return rows.values("dossier_id")
