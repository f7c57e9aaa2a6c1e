"""Writes to the working calendar: the administrator's exceptions (the admin goes through here)."""

from datetime import date

from django.db import transaction

from .models import CalendarException


@transaction.atomic
def save_exception(exception: CalendarException) -> CalendarException:
    """Validate and store one exception; ``ValidationError`` names the field at fault.

    Deadlines read the exceptions from the database on every computation, so a change counts at once in
    every process; nothing is cached to invalidate.
    """
    exception.full_clean()
    exception.save()
    return exception


def set_exception(day: date, kind: str, reason: str) -> CalendarException:
    """Make ``day`` an exception of ``kind``, replacing any exception already recorded for it."""
    exception = CalendarException.objects.filter(date=day).first() or CalendarException(date=day)
    exception.kind, exception.reason = kind, reason
    return save_exception(exception)


def remove_exception(day: date) -> bool:
    """Give ``day`` back to the national calendar; False when it had no exception."""
    deleted, _ = CalendarException.objects.filter(date=day).delete()
    return bool(deleted)
