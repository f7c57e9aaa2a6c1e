"""The national calendar: which days Vietnam works, before any administrator's exception.

A day is worked when it is Monday to Friday and not a public holiday of the ``holidays`` package (country
VN: lunar Tết, Hùng Kings day, substitute days, announced swaps), or when the package lists it as a make-up
working day. The answers are fixed for a version of the package, so they are computed once per process and
year, both as sets of dates (``national_year``) and as a table of the year's working days
(``national_table``) that the calendar's arithmetic counts with. This module knows nothing of the database:
the models and the selectors both build on it.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import accumulate, compress

import holidays

# Civil servants have worked Monday to Friday since October 1999; the lunar calendar of the ``holidays``
# package ends with 2100. Outside these years an answer would be wrong, so none is given.
FIRST_YEAR = 2000
LAST_YEAR = 2100


class OutsideCalendar(ValueError):
    """The computation needs a year the working calendar does not cover."""


@dataclass(frozen=True)
class NationalYear:
    days_off: frozenset[date]
    weekend_workdays: frozenset[date]


@lru_cache(maxsize=128)
def national_year(year: int) -> NationalYear:
    """Public holidays and make-up working days of one year (cached: they are fixed for a package version)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutsideCalendar(f"The working calendar covers {FIRST_YEAR} to {LAST_YEAR}, not {year}.")
    # Neighbouring years too: a swap may cross the new year (2 Jan 2015 off, worked on 27 Dec 2014).
    calendar = holidays.country_holidays("VN", years=(year - 1, year, year + 1))
    return NationalYear(
        days_off=frozenset(d for d in calendar if d.year == year),
        weekend_workdays=frozenset(d for d in calendar.weekend_workdays if d.year == year),
    )


def is_national_working_day(day: date) -> bool:
    """Worked by the national calendar alone, before the administrator's exceptions."""
    national = national_year(day.year)
    if day.weekday() >= 5:
        return day in national.weekend_workdays
    return day not in national.days_off


@dataclass(frozen=True, slots=True)
class YearTable:
    """The working days of one year, numbered: day ``i`` of the year is ``date.fromordinal(first + i)``
    (``i`` = 0 on 1 January).

    ``worked[i]`` is 1 when day ``i`` is worked; ``before[i]`` is the number of working days of the year
    before day ``i`` (so the ordinal of a working day among the year's working days, and the ordinal of the
    next one for a day off), ``before[-1]`` the year's number of working days; ``days[k]`` is the date
    ordinal of the year's working day ``k``.
    """

    year: int
    first: int
    worked: bytes
    before: tuple[int, ...]
    days: tuple[int, ...]

    @classmethod
    def build(cls, year: int, worked: bytes) -> "YearTable":
        first = date(year, 1, 1).toordinal()
        return cls(
            year=year,
            first=first,
            worked=worked,
            before=tuple(accumulate(worked, initial=0)),
            days=tuple(compress(range(first, first + len(worked)), worked)),
        )


@lru_cache(maxsize=128)  # more than the calendar's 101 years
def national_table(year: int) -> YearTable:
    """The national calendar's working days of ``year`` (cached per process, as ``national_year``)."""
    national = national_year(year)
    first = date(year, 1, 1)
    worked = bytearray(date(year + 1, 1, 1).toordinal() - first.toordinal())
    weekday = first.weekday()
    for i in range(len(worked)):
        worked[i] = (weekday + i) % 7 < 5
    for day in national.days_off:
        if day.weekday() < 5:
            worked[day.toordinal() - first.toordinal()] = False
    for day in national.weekend_workdays:
        if day.weekday() >= 5:
            worked[day.toordinal() - first.toordinal()] = True
    return YearTable.build(year, bytes(worked))


@lru_cache(maxsize=256)
def changed_table(year: int, changes: tuple[tuple[date, bool], ...]) -> YearTable:
    """The national table of ``year`` with some of its days (date, worked or not) decided otherwise.

    Cached by content: the calendars built for one computation each (one per public function call) share
    the few variants of a year their exceptions make, and a change of exception is a new key, not a stale
    answer.
    """
    table = national_table(year)
    worked = bytearray(table.worked)
    for day, works in changes:
        worked[day.toordinal() - table.first] = works
    return table if worked == table.worked else YearTable.build(year, bytes(worked))
