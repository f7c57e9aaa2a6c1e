"""The working-time arithmetic as it was before the tables: day by day, slow and obviously right.

``selectors.WorkingCalendar`` must give exactly its answers (``test_same_answers``); ``bench/workcalendar.py``
measures both. Do not speed this one up: it is the yardstick.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from motcua.workcalendar.models import ExceptionKind
from motcua.workcalendar.national import is_national_working_day
from motcua.workcalendar.officehours import OfficeHours, configured_office_hours, day_length
from motcua.workcalendar.selectors import WorkingTimeResult, local, timezone, working_time


class DayByDayCalendar:
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
