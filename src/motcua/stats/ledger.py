"""The ledger row of a dossier (what statistics count of it) and what it adds to the daily facts.

``ledger_rows`` reads dossiers with the facts each domain app states about them (``dossiers.facts``,
``payments.facts``, the rating); ``contributions`` turns one ledger row into the counts it adds to the
daily facts of the days its events happened on, ``month_ends`` into what a finished dossier adds to the
month-end counts of the months it spanned. A dossier's events each count once, on their own day:
received on the day of reception, resolved (or refused, stopped, withdrawn) on the day it ended, rated on
the day of the rating.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta

from django.utils import timezone

from motcua.dossiers import facts as dossier_facts
from motcua.dossiers.models import Dossier, DossierStatus, Outcome, Timeliness
from motcua.payments import facts as payment_facts

from . import ratings
from .models import DossierLedger

FactKey = tuple  # (day, agency_id, procedure_id, channel)

AWAITING_APPLICANT = {DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.PAYMENT_REQUESTED}
RESOLVED = {Outcome.APPROVED, Outcome.REJECTED}  # đã giải quyết: granted or not, with the leader's answer
ENDED = {Outcome.STOPPED: "stopped", Outcome.WITHDRAWN: "withdrawn", Outcome.REFUSED: "refused"}
IN_TIME = {Timeliness.EARLY: "resolved_early", Timeliness.ON_TIME: "resolved_on_time"}

FIELDS = (
    "pk",
    "agency_id",
    "procedure_id",
    "channel",
    "status",
    "received_at",
    "due_at",
    "finished_at",
    "outcome",
    "timeliness",
)


def _local_day(moment):
    return timezone.localdate(moment) if moment is not None else None


def sent_dossiers():
    """Every dossier sent (drafts never count), with the facts statistics read of it."""
    return (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .annotate(**dossier_facts.annotations(), **payment_facts.annotations(), **ratings.annotations())
        .order_by()
    )


def ledger_rows(dossiers=None) -> Iterator[DossierLedger]:
    """The ledger rows of ``dossiers`` (a queryset of ``sent_dossiers()``; all of them by default)."""
    rows = (dossiers if dossiers is not None else sent_dossiers()).values(
        *FIELDS, "received", "digitised", "reused", "e_result", "with_fee", "paid_online", *ratings.FIELDS
    )
    for row in rows.iterator(chunk_size=2000):
        rated_at, overall, criteria = ratings.from_row(row)
        received_at = row["received_at"] if row["received"] else None
        yield DossierLedger(
            dossier_id=row["pk"],
            agency_id=row["agency_id"],
            procedure_id=row["procedure_id"],
            channel=row["channel"],
            received_at=received_at,
            received_on=_local_day(received_at),
            due_at=row["due_at"],
            awaiting_applicant=row["status"] in AWAITING_APPLICANT,
            awaiting_supplement=row["status"] == DossierStatus.SUPPLEMENT_REQUESTED,
            finished_at=row["finished_at"],
            finished_on=_local_day(row["finished_at"]),
            outcome=row["outcome"] or "",
            timeliness=row["timeliness"] or "",
            digitised=bool(row["digitised"]),
            reused=bool(row["reused"]),
            e_result=bool(row["e_result"]),
            with_fee=bool(row["with_fee"]),
            paid_online=bool(row["paid_online"]),
            rated_on=_local_day(rated_at),
            overall=overall,
            criteria=criteria,
        )


def ledger_of(dossier_id: int) -> DossierLedger | None:
    return next(ledger_rows(sent_dossiers().filter(pk=dossier_id)), None)


def contributions(row: DossierLedger | None) -> dict[FactKey, Counter]:
    """What ``row`` adds to the daily facts, per (day, agency, procedure, channel)."""
    added: dict[FactKey, Counter] = defaultdict(Counter)
    if row is None:
        return added

    def key(day):
        return (day, row.agency_id, row.procedure_id, row.channel)

    if row.received_on is not None:
        counts = added[key(row.received_on)]
        counts["received"] += 1
        for flag in ("digitised", "reused", "with_fee", "paid_online"):
            counts[flag] += int(getattr(row, flag))
    if row.finished_on is not None and row.outcome:
        counts = added[key(row.finished_on)]
        if row.outcome in RESOLVED:
            counts["resolved"] += 1
            counts[IN_TIME.get(row.timeliness, "resolved_late")] += 1
            if row.outcome == Outcome.APPROVED:
                counts["granted"] += 1
                counts["e_results"] += int(row.e_result)
            else:
                counts["not_granted"] += 1
        else:
            counts[ENDED[row.outcome]] += 1
    if row.rated_on is not None and row.overall:
        counts = added[key(row.rated_on)]
        counts["ratings"] += 1
        counts["ratings_satisfied"] += int(ratings.is_satisfied(row.overall))
        counts["overall_sum"] += row.overall
        for criterion, column in ratings.CRITERIA_SUMS.items():
            counts[column] += int(row.criteria.get(criterion) or 0)
    return added


def month_ends(row: DossierLedger | None) -> dict[FactKey, Counter]:
    """What a finished dossier adds to the monthly facts' month-end counts, per (first day of the month,
    agency, procedure, channel): it was in progress at the end of every month from its reception's to the
    one before it finished, and within time at a month's end if its due time had not passed then. A dossier
    not finished yet adds nothing: it is read from the ledger while it is open."""
    added: dict[FactKey, Counter] = defaultdict(Counter)
    if row is None or row.received_on is None or row.finished_on is None:
        return added
    month, last = row.received_on.replace(day=1), row.finished_on.replace(day=1)
    while month < last:
        following = (month + timedelta(days=31)).replace(day=1)
        end = timezone.make_aware(datetime.combine(following - timedelta(days=1), time.max))
        counts = added[(month, row.agency_id, row.procedure_id, row.channel)]
        counts["open_at_end"] += 1
        counts["open_within_at_end"] += int(row.due_at is None or row.due_at >= end)
        month = following
    return added


def difference(
    old: DossierLedger | None, new: DossierLedger | None, counted=contributions
) -> dict[FactKey, Counter]:
    """What changes in the facts when a dossier's ledger row goes from ``old`` to ``new``: the daily facts
    (``contributions``), or the month-end counts (``counted=month_ends``)."""
    before, after = counted(old), counted(new)
    changes: dict[FactKey, Counter] = {}
    for key in before.keys() | after.keys():
        delta = Counter(after.get(key, Counter()))
        delta.subtract(before.get(key, Counter()))
        delta = Counter({measure: n for measure, n in delta.items() if n})
        if delta:
            changes[key] = delta
    return changes


def total(rows: Iterable[DossierLedger]) -> dict[FactKey, Counter]:
    """The daily facts that ``rows`` add up to (``rebuild_stats``)."""
    facts: dict[FactKey, Counter] = defaultdict(Counter)
    for row in rows:
        for key, counts in contributions(row).items():
            facts[key].update(counts)
    return facts
