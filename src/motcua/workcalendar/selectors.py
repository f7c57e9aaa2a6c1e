"""Working days, office hours and deadlines: the only place that does working-time arithmetic.

A day is worked when it is Monday to Friday and not a public holiday of the ``holidays`` package (country
VN: lunar Tết, Hùng Kings day, substitute days, announced swaps), or when the package lists it as a make-up
working day; an administrator's ``CalendarException`` overrides both. Time counts only inside the office
hours (``MOTCUA_OFFICE_HOURS``) of working days, in ``TIME_ZONE`` (Asia/Ho_Chi_Minh); one working day is
the length of the office day (8 hours by default).

Each public function reads the exceptions with one query. Code that needs many answers at once (a list of
dossiers, a report) takes one ``working_calendar()`` and asks it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings

from .models import CalendarException, ExceptionKind
from .national import (  # re-exported: other apps know them as selectors.FIRST_YEAR, …
    FIRST_YEAR,
    LAST_YEAR,
    NationalYear,
    OutsideCalendar,
    is_national_working_day,
    national_year,
)
from .officehours import OfficeHours, configured_office_hours, day_length

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
    "is_national_working_day",
    "is_working_day",
    "local",
    "national_year",
    "next_opening",
    "timezone",
    "working_calendar",
    "working_hours_between",
    "working_time",
]

_ONE_HOUR = timedelta(hours=1)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class WorkingTimeResult:
    """A deadline: reception time, the moment the count started, and the due moment (all local, aware)."""

    start: datetime
    counted_from: datetime
    due_at: datetime


def timezone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local(moment: datetime) -> datetime:
    """``moment`` in the calendar's time zone; naive datetimes are refused (their zone is a guess)."""
    if not isinstance(moment, datetime):
        raise TypeError(f"Expected a datetime, got {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; give an aware datetime.")
    return moment.astimezone(timezone())


def working_time(
    *, days: int | Decimal = 0, hours: int | Decimal = 0, day: timedelta | None = None
) -> timedelta:
    """``days`` working days plus ``hours`` working hours; a day is ``day`` long (the office day)."""
    if day is None:
        day = day_length(configured_office_hours())
    total = Decimal(0)
    for name, value, unit in (("days", days, day), ("hours", hours, _ONE_HOUR)):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise TypeError(f"{name} must be an int or a Decimal, not {type(value).__name__}.")
        if not Decimal(value).is_finite() or value < 0:
            raise ValueError(f"{name} must be a finite number from 0, not {value}.")
        total += Decimal(value) * (unit // _MICROSECOND)
    try:
        return timedelta(microseconds=int(total.to_integral_value(ROUND_HALF_UP)))
    except (OverflowError, InvalidOperation):
        raise OutsideCalendar(f"{days} days and {hours} hours is beyond the working calendar.") from None


class WorkingCalendar:
    """The national calendar with a snapshot of the administrator's exceptions, in the office hours."""

    def __init__(self, exceptions: Mapping[date, str], periods: OfficeHours | None = None):
        self.exceptions = dict(exceptions)
        self.periods = periods if periods is not None else configured_office_hours()
        self.day_length = day_length(self.periods)
        self.tz = timezone()

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):  # its date depends on a time zone: the caller must choose
            raise TypeError("is_working_day() takes a date, not a datetime.")
        kind = self.exceptions.get(day)
        if kind is not None:
            return kind == ExceptionKind.WORKING_DAY
        return is_national_working_day(day)

    def _periods_of(self, day: date) -> list[tuple[datetime, datetime]]:
        return [
            (datetime.combine(day, opening, self.tz), datetime.combine(day, closing, self.tz))
            for opening, closing in self.periods
        ]

    def _next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):  # national_year() stops this at the calendar's end
            day += timedelta(days=1)
        return day

    def opening(self, day: date) -> datetime:
        return datetime.combine(day, self.periods[0][0], self.tz)

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself when the office is open then, else the next opening (after lunch, next day).

        A closing moment is not open: 12:00 gives 13:00.
        """
        moment = local(moment)
        day = moment.date()
        if self.is_working_day(day):
            for opening, closing in self._periods_of(day):
                if moment < closing:
                    return max(moment, opening)
        return self.opening(self._next_working_day(day))

    def counted_from(self, start: datetime, cutoff: time | None = None) -> datetime:
        """Where the count of a dossier received at ``start`` begins."""
        start = local(start)
        day = start.date()
        if cutoff is not None and self.is_working_day(day) and start.time() > cutoff.replace(tzinfo=None):
            return self.opening(self._next_working_day(day))
        return self.next_opening(start)

    def add(self, counted_from: datetime, amount: timedelta) -> datetime:
        """The moment ``amount`` of working time after ``counted_from``; a count that ends exactly at a
        closing time is due at that closing time, not at the next opening."""
        if amount < timedelta(0):
            raise ValueError("The working time to add must not be negative.")
        moment = self.next_opening(counted_from)
        if not amount:
            return moment
        remaining = amount
        day = moment.date()
        while True:
            if self.is_working_day(day):
                periods = self._periods_of(day)
                if moment <= periods[0][0] and remaining > self.day_length:
                    remaining -= self.day_length
                else:
                    for opening, closing in periods:
                        if moment >= closing:
                            continue
                        begin = max(moment, opening)
                        if remaining <= closing - begin:
                            return begin + remaining
                        remaining -= closing - begin
            day += timedelta(days=1)
            moment = datetime.combine(day, time.min, self.tz)

    def add_working_time(
        self,
        start: datetime,
        *,
        days: int | Decimal = 0,
        hours: int | Decimal = 0,
        cutoff: time | None = None,
    ) -> WorkingTimeResult:
        amount = working_time(days=days, hours=hours, day=self.day_length)
        start = local(start)
        counted_from = self.counted_from(start, cutoff)
        return WorkingTimeResult(
            start=start, counted_from=counted_from, due_at=self.add(counted_from, amount)
        )

    def add_calendar_days(
        self, start: datetime, days: int, *, cutoff: time | None = None
    ) -> WorkingTimeResult:
        """A deadline in calendar days (a few procedures publish "20 ngày"): the same clock time ``days``
        days after the count starts; a last day that is not a working day moves to the closing time of the
        next working day (Civil Code 2015 Art. 148(5): a period ending on a day off ends on the next
        working day)."""
        if days < 0:
            raise ValueError("The number of days must not be negative.")
        start = local(start)
        counted_from = self.counted_from(start, cutoff)
        due = counted_from + timedelta(days=int(days))
        if not self.is_working_day(due.date()):
            due = datetime.combine(self._next_working_day(due.date()), self.periods[-1][1], self.tz)
        return WorkingTimeResult(start=start, counted_from=counted_from, due_at=due)

    def working_hours_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from ``a`` to ``b``, counted as deadlines count it; negative when ``b`` is first."""
        a, b = local(a), local(b)
        if b < a:
            return -self.working_hours_between(b, a)
        total = timedelta(0)
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                periods = self._periods_of(day)
                if a <= periods[0][0] and periods[-1][1] <= b:
                    total += self.day_length
                else:
                    for opening, closing in periods:
                        overlap = min(closing, b) - max(opening, a)
                        if overlap > timedelta(0):
                            total += overlap
            day += timedelta(days=1)
        return total


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
