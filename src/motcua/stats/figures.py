"""The named figures indicators divide, read for a period and a scope, whole or grouped.

Three sources, each read in one or two queries whatever the number of dossiers:
- flows (received, resolved, rated … in the period) are sums of facts: monthly ones for the period's whole
  months, daily ones for the days of a month it covers in part;
- "in progress" is taken from the dossier ledger at the period's end, or now for a period not over;
- the catalogue's figures (procedures in force, published, fully online) from ``catalog.publication``.
Grouped reads return ``{group key: figures}``; the whole scope is the group ``None``.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from motcua.catalog import publication
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Channel
from motcua.engagement.selectors import petitions as petition_selectors

from .models import MEASURES, DailyFact, DossierLedger, MonthlyFact
from .periods import Period
from .scope import Scope

CHANNEL_FIGURES = {
    Channel.ONLINE: "received_online",
    Channel.IN_PERSON: "received_in_person",
    Channel.POSTAL: "received_postal",
}
# engagement's PetitionFigures fields -> the figures the petition indicators divide.
PETITION_FIGURES = {
    "handled": "petitions_handled",
    "handled_on_time": "petitions_on_time",
    "rated": "petitions_rated",
    "satisfied": "petitions_satisfied",
}
SUM = "sum_"
GROUP_FIELDS = {
    "agency": "agency_id",
    "sector": "procedure__sector_id",
    "procedure": "procedure_id",
    "channel": "channel",
}


def figures(period: Period, scope: Scope, group_by: str | None = None, now: datetime | None = None) -> dict:
    """``{group: {figure name: number}}`` for every figure an indicator names (see ``stats.indicators``)."""
    grouped: dict = defaultdict(dict)
    sources = (flows(period, scope, group_by), in_progress(period, scope, group_by, now))
    for source in (*sources, petitions(period, scope, group_by)):
        for group, values in source.items():
            grouped[group].update(values)
    if group_by is None:
        grouped.setdefault(None, {})
    listed = catalogue(period, scope, group_by)
    everywhere = listed.pop("*", None)  # by month or channel: the same catalogue in every group
    for group, values in listed.items():
        grouped[group].update(values)
    for values in grouped.values():
        values.update(everywhere or {})
    for values in grouped.values():
        for measure in MEASURES:
            values.setdefault(measure, 0)
        for name in (*CHANNEL_FIGURES.values(), *PETITION_FIGURES.values()):
            values.setdefault(name, 0)
        values["resolved_in_time"] = values["resolved_early"] + values["resolved_on_time"]
    return dict(grouped)


def petitions(period: Period, scope: Scope, group_by: str | None = None) -> dict:
    """Petitions and feedback handled in the period (``engagement``'s count of its own small table): by the
    agency in charge, rolled up like the dossiers' figures; by the sector or procedure they are about; by
    month. Not by channel: a petition has none."""
    if group_by == "channel":
        return {}
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    by = group_by if group_by in ("agency", "sector", "procedure", "month") else None
    counted = petition_selectors.ended_counts(
        start, end, agency_ids=scope.agency_ids(), sector_id=scope.sector_id, procedure_id=scope.procedure_id,
        by=by,
    )  # fmt: skip
    mapping = scope.group_of() if by == "agency" else None
    folded: dict = defaultdict(Counter)
    for key, counts in counted.items():
        if mapping is not None:
            key = mapping.get(key)
            if key is None:
                continue
        folded[key].update({name: getattr(counts, field) for field, name in PETITION_FIGURES.items()})
    return folded


def _fold(rows, key_field: str | None, scope: Scope, folded: dict | None = None) -> dict:
    """Rows of sums keyed by ``key_field`` -> {group: Counter} (added to ``folded``); agencies roll up into
    their group."""
    folded = defaultdict(Counter) if folded is None else folded
    mapping = scope.group_of() if key_field == "agency_id" else None
    for row in rows:
        key = row.pop(key_field) if key_field else None
        if mapping is not None:
            key = mapping.get(key)
            if key is None:
                continue
        folded[key].update({name.removeprefix(SUM): value or 0 for name, value in row.items()})
    return folded


def flows(period: Period, scope: Scope, group_by: str | None = None) -> dict:
    """Sums of the facts of the period: its whole months from the monthly facts, the days of a month it
    covers only in part from the daily facts."""
    months, days = split(period)
    folded: dict = defaultdict(Counter)
    if months is not None:
        facts = MonthlyFact.objects.filter(month__range=months, **scope.filters())
        _sum_facts(facts, "month", scope, group_by, folded)
    if days:
        within = Q()
        for first, last in days:
            within |= Q(day__range=(first, last))
        facts = DailyFact.objects.filter(within, **scope.filters())
        _sum_facts(facts, TruncMonth("day"), scope, group_by, folded)
    if group_by is None:
        folded.setdefault(None, Counter())
    return folded


def _sum_facts(facts, month, scope: Scope, group_by: str | None, folded: dict) -> None:
    # Named apart from the columns they add up: an aggregate named "received" would hide the column from
    # the per-channel sums of it.
    sums = {f"{SUM}{measure}": Sum(measure) for measure in MEASURES}
    sums.update(
        {
            f"{SUM}{name}": Sum("received", filter=Q(channel=channel))
            for channel, name in CHANNEL_FIGURES.items()
        }
    )
    if group_by is None:
        _fold([facts.aggregate(**sums)], None, scope, folded)
    elif group_by == "month":
        if not isinstance(month, str):
            facts = facts.annotate(first_day=month)
            month = "first_day"
        rows = facts.values(month).annotate(**sums).order_by()
        _fold(rows, month, scope, folded)
    else:
        field = GROUP_FIELDS[group_by]
        _fold(facts.values(field).annotate(**sums).order_by(), field, scope, folded)


def split(period: Period) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """(first days of the first and last whole months of ``period``, or None without a whole month; the
    ranges of days before and after them, or the whole period when it has no whole month)."""
    start, end = period.start, period.end
    first_whole = start if start.day == 1 else _month_end(start) + timedelta(days=1)
    last_whole = end if end == _month_end(end) else end.replace(day=1) - timedelta(days=1)
    if first_whole > last_whole:
        return None, [(start, end)]
    days = []
    if start < first_whole:
        days.append((start, first_whole - timedelta(days=1)))
    if last_whole < end:
        days.append((last_whole + timedelta(days=1), end))
    return (first_whole, last_whole.replace(day=1)), days


def in_progress(
    period: Period, scope: Scope, group_by: str | None = None, now: datetime | None = None
) -> dict:
    """Dossiers received and not finished at the period's end (now, if it has not ended), within time or
    not; waiting for a supplement only for now (the ledger knows a dossier's state today, not then)."""
    if group_by == "month":
        result, ended = {}, []
        for first in period.months():
            month = Period(max(first, period.start), min(_month_end(first), period.end))
            if _ended_at_month_end(month, now):
                ended.append(month.end)
            else:
                result[first] = in_progress(month, scope, None, now)[None]
        result.update(in_progress_at_month_ends(ended, scope))
        return dict(sorted(result.items()))
    if _ended_at_month_end(period, now):
        return in_progress_at_month_end(period.end, scope, group_by)
    return in_progress_from_ledger(period, scope, group_by, now)


def _ended_at_month_end(period: Period, now: datetime | None) -> bool:
    return period.end == _month_end(period.end) and period.as_of(now) == _end_moment(period.end)


def in_progress_from_ledger(
    period: Period, scope: Scope, group_by: str | None = None, now: datetime | None = None
) -> dict:
    """``in_progress`` read from every ledger row received by then and not finished by then (any moment;
    a past one walks every dossier finished since)."""
    open_then, within, current = progress_filters(period, now)
    rows = DossierLedger.objects.filter(open_then, **scope.filters())
    counts = {
        "in_progress": Count("pk"),
        "in_progress_within_time": Count("pk", filter=within),
    }
    if current:
        counts["awaiting_supplement"] = Count("pk", filter=Q(awaiting_supplement=True))
    if group_by is None:
        folded = _fold([rows.aggregate(**counts)], None, scope)
    else:
        field = GROUP_FIELDS[group_by]
        folded = _fold(rows.values(field).annotate(**counts).order_by(), field, scope)
    for values in folded.values():
        values["overdue"] = values["in_progress"] - values["in_progress_within_time"]
        if not current:
            values["awaiting_supplement"] = None
    return folded


def in_progress_at_month_end(last_day: date, scope: Scope, group_by: str | None = None) -> dict:
    """``in_progress`` at the end of a month that has ended (``last_day``): the dossiers finished since
    from the monthly facts (``ledger.month_ends``), those still open from the ledger (few: the open index)."""
    moment = _end_moment(last_day)
    facts = MonthlyFact.objects.filter(month=last_day.replace(day=1), **scope.filters())
    still_open = DossierLedger.objects.filter(
        received_at__lte=moment, finished_at__isnull=True, **scope.filters()
    )
    sums = {
        f"{SUM}in_progress": Sum("open_at_end"),
        f"{SUM}in_progress_within_time": Sum("open_within_at_end"),
    }
    within = Q(due_at__isnull=True) | Q(due_at__gte=moment)
    counts = {"in_progress": Count("pk"), "in_progress_within_time": Count("pk", filter=within)}
    folded: dict = defaultdict(Counter)
    if group_by is None:
        _fold([facts.aggregate(**sums)], None, scope, folded)
        _fold([still_open.aggregate(**counts)], None, scope, folded)
    else:
        field = GROUP_FIELDS[group_by]
        _fold(facts.values(field).annotate(**sums).order_by(), field, scope, folded)
        _fold(still_open.values(field).annotate(**counts).order_by(), field, scope, folded)
    for values in folded.values():
        values["overdue"] = values["in_progress"] - values["in_progress_within_time"]
        values["awaiting_supplement"] = None
    return folded


def in_progress_at_month_ends(last_days: list[date], scope: Scope) -> dict:
    """``in_progress_at_month_end`` of several ended months at once, {first day of the month: figures}: two
    queries, not two per month (a year by month on the public page)."""
    if not last_days:
        return {}
    firsts = [day.replace(day=1) for day in last_days]
    facts = (
        MonthlyFact.objects.filter(month__in=firsts, **scope.filters())
        .values("month")
        .annotate(in_progress=Sum("open_at_end"), in_progress_within_time=Sum("open_within_at_end"))
        .order_by()
    )
    result = {first: Counter() for first in firsts}
    for row in facts:
        month = row.pop("month")
        result[month].update({name: value or 0 for name, value in row.items()})
    moments = [_end_moment(day) for day in last_days]
    counts = {}
    for i, moment in enumerate(moments):
        then = Q(received_at__lte=moment)
        within = Q(due_at__isnull=True) | Q(due_at__gte=moment)
        counts[f"open_{i}"] = Count("pk", filter=then)
        counts[f"within_{i}"] = Count("pk", filter=then & within)
    still_open = DossierLedger.objects.filter(
        received_at__lte=max(moments), finished_at__isnull=True, **scope.filters()
    ).aggregate(**counts)
    for i, first in enumerate(firsts):
        values = result[first]
        values["in_progress"] += still_open[f"open_{i}"] or 0
        values["in_progress_within_time"] += still_open[f"within_{i}"] or 0
        values["overdue"] = values["in_progress"] - values["in_progress_within_time"]
        values["awaiting_supplement"] = None
    return result


def _end_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def progress_filters(period: Period, now: datetime | None = None) -> tuple[Q, Q, bool]:
    """(in progress at the period's end or now, within time then, whether that is now) as ledger filters.

    Now, a dossier whose clock stands still for the applicant is within time; at a past end, the ledger
    knows only today's due time of a dossier, which is the one it had then unless it was paused after.
    """
    moment = period.as_of(now)
    current = moment < timezone.make_aware(datetime.combine(period.end, time.max))
    if current:
        open_then = Q(received_at__lte=moment, finished_at__isnull=True)
        within = Q(due_at__isnull=True) | Q(due_at__gte=moment) | Q(awaiting_applicant=True)
    else:
        open_then = Q(received_at__lte=moment) & (Q(finished_at__isnull=True) | Q(finished_at__gt=moment))
        within = Q(due_at__isnull=True) | Q(due_at__gte=moment)
    return open_then, within, current


def catalogue(period: Period, scope: Scope, group_by: str | None = None) -> dict:
    """Procedures in force on the period's last day (today, if it has not ended), by any grouping."""
    on = min(period.end, timezone.localdate())
    agencies = scope.agency_ids()
    mapping = scope.group_of() if group_by == "agency" else None
    folded: dict = defaultdict(Counter)
    for flags in procedure_flags(on):
        if agencies is not None and not set(flags["agency_ids"]) & set(agencies):
            continue
        if scope.sector_id is not None and flags["sector_id"] != scope.sector_id:
            continue
        if scope.procedure_id is not None and flags["pk"] != scope.procedure_id:
            continue
        counts = {
            "procedures": 1,
            "procedures_dated": int(flags["dated"]),
            "procedures_on_time": int(flags["on_time"]),
            "procedures_in_full": int(flags["in_full"]),
            "procedures_full_online": int(flags["full_online"]),
        }
        if group_by is None or group_by in ("month", "channel"):
            folded[None].update(counts)  # the catalogue is the same for every month and channel
        elif group_by == "agency":
            for head in {mapping.get(agency) for agency in flags["agency_ids"]} - {None}:
                folded[head].update(counts)
        elif group_by == "sector":
            folded[flags["sector_id"]].update(counts)
        else:
            folded[flags["pk"]].update(counts)
    if group_by in ("month", "channel"):
        whole = folded.pop(None, Counter())
        return {"*": whole}
    return folded


_FLAGS: dict = {}


def procedure_flags(on: date) -> list[dict]:
    """``catalog.publication.procedure_flags(on)``, kept in this process until the catalogue changes (its
    revision, which every write to it renews): a page reads them for each of its tables."""
    key = (on, catalog_selectors.catalogue_revision())
    flags = _FLAGS.get(key)
    if flags is None:
        if len(_FLAGS) >= 16:
            _FLAGS.clear()
        flags = _FLAGS[key] = publication.procedure_flags(on)
    return flags


def _month_end(first: date) -> date:
    return Period.of("month", first.year, first.month).end
