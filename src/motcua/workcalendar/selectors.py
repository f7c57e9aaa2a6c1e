"""Working days, office hours and deadlines: the only place that does working-time arithmetic.

A day is worked when it is Monday to Friday and not a public holiday of the ``holidays`` package (country
VN: lunar Tết, Hùng Kings day, substitute days, announced swaps), or when the package lists it as a make-up
working day; an administrator's ``CalendarException`` overrides both. Time counts only inside the office
hours (``MOTCUA_OFFICE_HOURS``) of working days, in ``TIME_ZONE`` (Asia/Ho_Chi_Minh); one working day is
the length of the office day (8 hours by default).

Each public function reads the exceptions with one query. Code that needs many answers at once (a list of
dossiers, a report) takes one ``working_calendar()`` and asks it. Answers cost the same whatever the
amount: the calendar counts on numbered working days (see ``WorkingCalendar``), not day by day.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from django.conf import settings

from .models import CalendarException, ExceptionKind
from .national import (  # re-exported: other apps know them as selectors.FIRST_YEAR, …
    FIRST_YEAR,
    LAST_YEAR,
    NationalYear,
    OutsideCalendar,
    YearTable,
    changed_table,
    is_national_working_day,
    national_table,
    national_year,
)
from .officehours import (  # re-exported: the one length of a working day, for the other apps
    OfficeHours,
    configured_office_hours,
    day_length,
    days_to_hours,
    hours_to_days,
    working_day_hours,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "NationalYear",
    "OfficeHours",
    "OutsideCalendar",
    "WorkingCalendar",
    "WorkingTimeResult",
    "add_calendar_days",
    "add_working_time",
    "configured_office_hours",
    "day_length",
    "days_to_hours",
    "hours_to_days",
    "is_national_working_day",
    "is_working_day",
    "local",
    "national_year",
    "next_opening",
    "timezone",
    "working_calendar",
    "working_day_hours",
    "working_hours_between",
    "working_time",
]

_ONE_HOUR = timedelta(hours=1)
_MICROSECOND = timedelta(microseconds=1)
_NOTHING = timedelta(0)
_WORKING_DAY = ExceptionKind.WORKING_DAY.value


@dataclass(frozen=True)
class WorkingTimeResult:
    """A deadline: reception time, the moment the count started, and the due moment (all local, aware)."""

    start: datetime
    counted_from: datetime
    due_at: datetime


def timezone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local(moment: datetime, tz: ZoneInfo | None = None) -> datetime:
    """``moment`` in the calendar's time zone (``tz``: that zone, already read from the settings); naive
    datetimes are refused (their zone is a guess)."""
    if tz is not None and getattr(moment, "tzinfo", None) is tz and isinstance(moment, datetime):
        return moment  # already in that zone (zone objects are shared): the common case, made cheap
    if not isinstance(moment, datetime):
        raise TypeError(f"Expected a datetime, got {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; give an aware datetime.")
    return moment.astimezone(tz or timezone())


def working_time(
    *, days: int | Decimal = 0, hours: int | Decimal = 0, day: timedelta | None = None
) -> timedelta:
    """``days`` working days plus ``hours`` working hours; a day is ``day`` long (the office day)."""
    if day is None:
        day = day_length(configured_office_hours())
    for name, value in (("days", days), ("hours", hours)):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise TypeError(f"{name} must be an int or a Decimal, not {type(value).__name__}.")
    return _working_time(days, hours, day)


@lru_cache(maxsize=4096)
def _working_time(days: int | Decimal, hours: int | Decimal, day: timedelta) -> timedelta:
    # Cached: a bulk loader converts the same few budgets (a procedure's days, a step's hours) millions of
    # times. The types are checked by the caller (True would share 1's entry).
    total = Decimal(0)
    for name, value, unit in (("days", days, day), ("hours", hours, _ONE_HOUR)):
        if not Decimal(value).is_finite() or value < 0:
            raise ValueError(f"{name} must be a finite number from 0, not {value}.")
        total += Decimal(value) * (unit // _MICROSECOND)
    try:
        return timedelta(microseconds=int(total.to_integral_value(ROUND_HALF_UP)))
    except (OverflowError, InvalidOperation):
        raise OutsideCalendar(f"{days} days and {hours} hours is beyond the working calendar.") from None


@dataclass(frozen=True, slots=True)
class _Period:
    opening: time
    closing: time
    opens: int  # microseconds after midnight
    closes: int
    before: int  # working time of the day's earlier periods, in microseconds


@dataclass(frozen=True, slots=True)
class _OfficeDay:
    """The office hours in microseconds, as the arithmetic uses them."""

    periods: tuple[_Period, ...]
    length: int  # microseconds

    def elapsed(self, at: int) -> int:
        """Working time of a working day before ``at`` microseconds after midnight (0 to ``length``)."""
        for period in self.periods:
            if at <= period.opens:
                return period.before
            if at < period.closes:
                return period.before + at - period.opens
        return self.length


@lru_cache(maxsize=8)
def _office_day(periods: OfficeHours) -> _OfficeDay:
    spans, before = [], 0
    for opening, closing in periods:
        opens, closes = _of_day(opening), _of_day(closing)
        spans.append(_Period(opening, closing, opens, closes, before))
        before += closes - opens
    return _OfficeDay(tuple(spans), before)


def _of_day(t: time) -> int:
    """Microseconds after midnight."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


@lru_cache(maxsize=64)
def _tables(exceptions: frozenset[tuple[date, str | None]]) -> dict[int, YearTable]:
    """The year tables of the calendars with these exceptions, filled in as computations need the years.

    Shared by the calendars built with the same exceptions (the public functions build one per call), so
    that each year's exceptions are laid over the national table once per process, not once per call.
    """
    return {}


class WorkingCalendar:
    """The national calendar with a snapshot of the administrator's exceptions, in the office hours.

    The arithmetic puts working time on a line: within a year, working day ``k`` of the year (its ordinal
    among the year's working days) starts at ``k × day length``, and a moment of it lies at that plus the
    office time of the day before it. A moment outside office hours lies where the next office time starts
    (a day off: at the next working day's start). Adding working time is then an addition on the line and
    the way back to a moment; the time between two moments is a subtraction. The year's working days come
    from the national tables, cached per process, with the calendar's own exceptions laid over them, year
    by year as a computation first needs the year.
    """

    def __init__(self, exceptions: Mapping[date, str], periods: OfficeHours | None = None):
        self.exceptions = MappingProxyType(dict(exceptions))  # a snapshot: the tables are built from it
        self.periods = periods if periods is not None else configured_office_hours()
        self.day_length = day_length(self.periods)
        self.tz = timezone()
        self._day = _office_day(self.periods)
        self._years: dict[int, YearTable] | None = None  # see _tables()

    def __reduce__(self):  # pickled as what it was built from; the tables are built again as needed
        return (type(self), (dict(self.exceptions), self.periods))

    # --- the tables -------------------------------------------------------------------------------------

    def _year(self, year: int) -> YearTable:
        """The year's working days, the exceptions included; ``OutsideCalendar`` outside the calendar."""
        years = self._years
        if years is None:
            years = self._years = _tables(frozenset(self.exceptions.items()))
        table = years.get(year)
        if table is None:
            changes = tuple(
                sorted(
                    (day, kind == _WORKING_DAY)
                    for day, kind in self.exceptions.items()
                    if kind is not None and day.year == year
                )
            )
            table = changed_table(year, changes) if changes else national_table(year)
            years[year] = table
        return table

    def _position(self, moment: datetime) -> tuple[YearTable, int]:
        """Where a local moment lies on the line of its year's working time, in microseconds."""
        day = moment.date()
        table = self._year(day.year)
        i = day.toordinal() - table.first
        position = table.before[i] * self._day.length
        if table.worked[i]:
            at = ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond
            position += self._day.elapsed(at)
        return table, position

    def _moment(self, table: YearTable, position: int) -> datetime:
        """The first moment at ``position`` (> 0) of the line of ``table``'s year, or of a later year when
        the position lies past the year's working time: a position at the end of a period is its closing
        time, not the next opening."""
        k, offset = divmod(position - 1, self._day.length)
        offset += 1  # from 1 to the day's length: the end of working day k is in day k, at its closing
        while k >= len(table.days):
            k -= len(table.days)
            table = self._year(table.year + 1)
        day = date.fromordinal(table.days[k])
        for period in self._day.periods:
            if offset <= period.closes - period.opens + period.before:
                break
        return datetime.combine(day, period.opening, self.tz) + timedelta(microseconds=offset - period.before)

    def _next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        table = self._year(day.year)
        k = table.before[day.toordinal() - table.first + 1]
        while k >= len(table.days):
            table, k = self._year(table.year + 1), 0
        return date.fromordinal(table.days[k])

    # --- the questions ----------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):  # its date depends on a time zone: the caller must choose
            raise TypeError("is_working_day() takes a date, not a datetime.")
        kind = self.exceptions.get(day)
        if kind is not None:
            return kind == ExceptionKind.WORKING_DAY
        table = national_table(day.year)
        return bool(table.worked[day.toordinal() - table.first])

    def opening(self, day: date) -> datetime:
        return datetime.combine(day, self.periods[0][0], self.tz)

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself when the office is open then, else the next opening (after lunch, next day).

        A closing moment is not open: 12:00 gives 13:00.
        """
        moment = local(moment, self.tz)
        day = moment.date()
        table = self._year(day.year)
        if table.worked[day.toordinal() - table.first]:
            at = ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond
            for period in self._day.periods:
                if at < period.closes:
                    return moment if at >= period.opens else datetime.combine(day, period.opening, self.tz)
        return self.opening(self._next_working_day(day))

    def counted_from(self, start: datetime, cutoff: time | None = None) -> datetime:
        """Where the count of a dossier received at ``start`` begins: the next opening, or the opening of
        the next working day when it is received on a working day after ``cutoff``."""
        start = local(start, self.tz)
        if cutoff is None:
            return self.next_opening(start)
        day = start.date()
        table = self._year(day.year)
        if table.worked[day.toordinal() - table.first] and start.time() > cutoff.replace(tzinfo=None):
            return self.opening(self._next_working_day(day))
        return self.next_opening(start)

    def add(self, counted_from: datetime, amount: timedelta) -> datetime:
        """The moment ``amount`` of working time after ``counted_from``; a count that ends exactly at a
        closing time is due at that closing time, not at the next opening. Nothing added: the next
        opening."""
        if amount < _NOTHING:
            raise ValueError("The working time to add must not be negative.")
        if not amount:
            return self.next_opening(counted_from)
        table, position = self._position(local(counted_from, self.tz))
        return self._moment(table, position + amount // _MICROSECOND)

    def add_working_time(
        self,
        start: datetime,
        *,
        days: int | Decimal = 0,
        hours: int | Decimal = 0,
        cutoff: time | None = None,
    ) -> WorkingTimeResult:
        """The deadline of ``days`` working days plus ``hours`` working hours from a reception at
        ``start`` (see ``add_working_time``)."""
        amount = working_time(days=days, hours=hours, day=self.day_length)
        received = local(start, self.tz)
        begins = self.counted_from(received, cutoff)
        return WorkingTimeResult(start=received, counted_from=begins, due_at=self.add(begins, amount))

    def add_calendar_days(
        self, start: datetime, days: int, *, cutoff: time | None = None
    ) -> WorkingTimeResult:
        """A deadline in calendar days (a few procedures publish "20 ngày"): the same clock time ``days``
        days after the count starts; a last day that is not a working day moves to the closing time of the
        next working day (Civil Code 2015 Art. 148(5): a period ending on a day off ends on the next
        working day)."""
        if days < 0:
            raise ValueError("The number of days must not be negative.")
        received = local(start, self.tz)
        begins = self.counted_from(received, cutoff)
        due = begins + timedelta(days=int(days))
        last = due.date()
        table = self._year(last.year)
        if not table.worked[last.toordinal() - table.first]:
            due = datetime.combine(self._next_working_day(last), self.periods[-1][1], self.tz)
        return WorkingTimeResult(start=received, counted_from=begins, due_at=due)

    def working_hours_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from ``a`` to ``b``, counted as deadlines count it; negative when ``b`` is first."""
        a, b = local(a, self.tz), local(b, self.tz)
        if b < a:
            return -self.working_hours_between(b, a)
        table, start = self._position(a)
        last, end = self._position(b)
        while table.year < last.year:  # the working time of the years before b's
            end += len(table.days) * self._day.length
            table = self._year(table.year + 1)
        return timedelta(microseconds=end - start)


def _exceptions(since: date | None = None, until: date | None = None) -> dict[date, str]:
    rows = CalendarException.objects.all()
    if since is not None:
        rows = rows.filter(date__gte=since)
    if until is not None:
        rows = rows.filter(date__lte=until)
    return dict(rows.values_list("date", "kind"))


def working_calendar() -> WorkingCalendar:
    """The calendar with every exception (one query), for code that asks many questions at once."""
    return WorkingCalendar(_exceptions())


def add_working_time(
    start: datetime,
    *,
    days: int | Decimal = 0,
    hours: int | Decimal = 0,
    cutoff: time | None = None,
) -> WorkingTimeResult:
    """The deadline of a dossier received at ``start`` with a processing time of ``days`` working days
    plus ``hours`` working hours, for a procedure whose reception after ``cutoff`` counts from the next
    working day. The one function every deadline of the system comes from."""
    # The count only moves forward from the reception day: earlier exceptions cannot matter.
    return WorkingCalendar(_exceptions(since=local(start).date())).add_working_time(
        start, days=days, hours=hours, cutoff=cutoff
    )


def add_calendar_days(start: datetime, days: int, *, cutoff: time | None = None) -> WorkingTimeResult:
    """The deadline of a processing time published in calendar days (see ``WorkingCalendar``)."""
    return WorkingCalendar(_exceptions(since=local(start).date())).add_calendar_days(
        start, days, cutoff=cutoff
    )


def is_working_day(day: date) -> bool:
    return WorkingCalendar(_exceptions(since=day, until=day)).is_working_day(day)


def next_opening(moment: datetime) -> datetime:
    return WorkingCalendar(_exceptions(since=local(moment).date())).next_opening(moment)


def working_hours_between(a: datetime, b: datetime) -> timedelta:
    first, last = sorted((local(a).date(), local(b).date()))
    return WorkingCalendar(_exceptions(since=first, until=last)).working_hours_between(a, b)
