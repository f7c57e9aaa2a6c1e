"""Periods the indicators are reported for (kỳ báo cáo): a month, a quarter, 6 months, 9 months, a year, or
any range of days. Days are local (Asia/Ho_Chi_Minh) and both ends are included."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = {
    "month": gettext_lazy("Month"),
    "quarter": gettext_lazy("Quarter"),
    "half": gettext_lazy("6 months"),
    "nine_months": gettext_lazy("9 months"),
    "year": gettext_lazy("Year"),
    "range": gettext_lazy("Any range"),
}
LONGEST = timedelta(days=3660)  # ten years: a range longer than that is a typing mistake


class PeriodError(ValueError):
    """A period that cannot be: its message says why, for the person who asked."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "range"

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError(_("The period ends before it starts."))
        if self.end - self.start > LONGEST:
            raise PeriodError(_("A period cannot be longer than ten years."))

    @classmethod
    def of(cls, kind: str, year: int, number: int = 1) -> "Period":
        """The ``number``-th month (1–12) or quarter (1–4) of ``year``; the first 6 or 9 months; the year."""
        if not 2000 <= year <= 2100:
            raise PeriodError(_("Choose a year between 2000 and 2100."))
        if kind == "month":
            if not 1 <= number <= 12:
                raise PeriodError(_("A month is numbered from 1 to 12."))
            return cls(date(year, number, 1), _month_end(year, number), kind)
        if kind == "quarter":
            if not 1 <= number <= 4:
                raise PeriodError(_("A quarter is numbered from 1 to 4."))
            first = 3 * number - 2
            return cls(date(year, first, 1), _month_end(year, first + 2), kind)
        if kind == "half":
            return cls(date(year, 1, 1), date(year, 6, 30), kind)
        if kind == "nine_months":
            return cls(date(year, 1, 1), date(year, 9, 30), kind)
        if kind == "year":
            return cls(date(year, 1, 1), date(year, 12, 31), kind)
        raise PeriodError(_("Unknown kind of period."))

    @classmethod
    def year_of(cls, day: date) -> "Period":
        return cls.of("year", day.year)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("Year %(year)s") % {"year": self.start.year}
        if self.kind == "month":
            return _("Month %(month)s/%(year)s") % {"month": self.start.month, "year": self.start.year}
        if self.kind == "quarter":
            return _("Quarter %(quarter)s/%(year)s") % {
                "quarter": (self.start.month + 2) // 3,
                "year": self.start.year,
            }
        if self.kind == "half":
            return _("First 6 months of %(year)s") % {"year": self.start.year}
        if self.kind == "nine_months":
            return _("First 9 months of %(year)s") % {"year": self.start.year}
        return _("From %(start)s to %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }

    def as_of(self, now: datetime | None = None) -> datetime:
        """The moment the period's "in progress" figures are taken at: its end, or now if it has not ended."""
        now = now or timezone.now()
        end = timezone.make_aware(datetime.combine(self.end, time.max))
        return min(now, end)

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.start <= today <= self.end

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        firsts, day = [], self.start.replace(day=1)
        while day <= self.end:
            firsts.append(day)
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return firsts


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
