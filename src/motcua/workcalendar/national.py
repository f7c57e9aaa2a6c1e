"""The national calendar: which days Vietnam works, before any administrator's exception.

A day is worked when it is Monday to Friday and not a public holiday of the ``holidays`` package (country
VN: lunar Tết, Hùng Kings day, substitute days, announced swaps), or when the package lists it as a make-up
working day. The answers are fixed for a version of the package, so they are computed once per process and
year. This module knows nothing of the database: the models and the selectors both build on it.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

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
