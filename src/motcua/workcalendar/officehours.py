"""The ``MOTCUA_OFFICE_HOURS`` setting: opening-closing pairs such as ``08:00-12:00,13:00-17:00``."""

import re
from datetime import time, timedelta
from decimal import Decimal, localcontext
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PAIR = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")

OfficeHours = tuple[tuple[time, time], ...]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@lru_cache(maxsize=8)
def parse_office_hours(text: str) -> OfficeHours:
    """The periods of a working day, in order; ``ValueError`` says what is wrong with ``text``."""
    periods: list[tuple[time, time]] = []
    for part in text.split(","):
        part = part.strip()
        match = _PAIR.match(part)
        if not match:
            raise ValueError(f"'{part}' is not a period such as 08:00-12:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"'{part}' is not a time of day (00:00 to 23:59)")
        opening, closing = time(h1, m1), time(h2, m2)
        if opening >= closing:
            raise ValueError(f"'{part}' closes before it opens")
        if periods and opening < periods[-1][1]:
            raise ValueError(f"'{part}' starts before the period before it ends; give periods in order")
        periods.append((opening, closing))
    return tuple(periods)


def day_length(periods: OfficeHours) -> timedelta:
    """Working time in one working day (8 hours by default): the length of one working day's count."""
    return timedelta(minutes=sum(_minutes(closing) - _minutes(opening) for opening, closing in periods))


def configured_office_hours() -> OfficeHours:
    raw = settings.MOTCUA_OFFICE_HOURS
    try:
        return parse_office_hours(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"MOTCUA_OFFICE_HOURS={raw!r} is malformed: {exc}. Expected opening-closing pairs in the "
            "order of the day, separated by commas, e.g. '08:00-12:00,13:00-17:00'."
        ) from None


# --- working days and working hours ------------------------------------------------------------------------
# One working day is the length of the office day (domain.md): every conversion between days and hours of
# the system goes through these, with the configured office hours unless ``periods`` are given.


def working_day_hours(periods: OfficeHours | None = None) -> Decimal:
    """Working hours in one working day: 8 for 08:00-12:00,13:00-17:00, 7.5 for 07:30-11:30,13:30-17:00."""
    return _ratio(Decimal(1), _day_minutes(periods), 60)


def days_to_hours(days: int | Decimal, periods: OfficeHours | None = None) -> Decimal:
    """``days`` working days in working hours (``days`` × the office day's hours)."""
    return _ratio(_exact_number(days, "days"), _day_minutes(periods), 60)


def hours_to_days(hours: int | Decimal, periods: OfficeHours | None = None) -> Decimal:
    """``hours`` working hours in working days (``hours`` ÷ the office day's hours)."""
    return _ratio(_exact_number(hours, "hours"), 60, _day_minutes(periods))


def _day_minutes(periods: OfficeHours | None) -> int:
    length = day_length(configured_office_hours() if periods is None else periods)
    return length // timedelta(minutes=1)


def _exact_number(value: int | Decimal, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{name} must be an int or a Decimal, not {type(value).__name__}.")
    if not Decimal(value).is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}.")
    return Decimal(value)


def _ratio(value: Decimal, times: int, by: int) -> Decimal:
    """``value × times / by`` for whole numbers of minutes below a day's 1440, exact whenever the answer has
    a finite decimal expansion.

    ``times`` adds at most 4 digits; dividing by ``by`` adds at most 10 to a finite quotient (its factors 2
    and 5 are below 2^11 and 5^5), so with 16 more digits of precision than ``value`` has, no such answer is
    rounded. Other answers (1 hour of a 7.5-hour day: 0.1333… day) keep 28 significant digits or more;
    quantize them for display.
    """
    with localcontext() as context:
        context.prec = max(28, len(value.as_tuple().digits) + 16)
        return value * times / by
