"""The ``MOTCUA_OFFICE_HOURS`` setting: opening-closing pairs such as ``08:00-12:00,13:00-17:00``."""

import re
from datetime import time, timedelta
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
