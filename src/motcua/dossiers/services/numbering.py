"""Numbers the dossier gets: its code (mã hồ sơ) when it is sent, its result's number (số văn bản) when the
result is signed. Each comes from a sequence row per agency (per local day for codes, per year for results)
incremented by one statement, so numbers have no gaps and no duplicates under concurrent requests. The bulk
loader (``dossiers.loadtest``) takes blocks of numbers from the same rows and writes them in the same formats.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import connection

from motcua.catalog.models import Agency
from motcua.core import sequences
from motcua.workcalendar import selectors as calendar


def format_code(agency_code: str, day: date, seq: int) -> str:
    """A dossier code in the configured format (``MOTCUA_DOSSIER_CODE_FORMAT``)."""
    return settings.MOTCUA_DOSSIER_CODE_FORMAT.format(
        agency_code=agency_code, yymmdd=day.strftime("%y%m%d"), seq=seq, date=day
    )


def take_codes(wanted: dict[tuple[int, date], int]) -> dict[tuple[int, date], int]:
    """``count`` dossier code numbers per (agency id, local day): the first of each (bulk loading)."""
    return sequences.take("dossiers_codesequence", "day", wanted)


def take_result_numbers(wanted: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """``count`` result numbers per (agency id, year): the first of each (bulk loading)."""
    return sequences.take("dossiers_resultsequence", "year", wanted)


def allocate_code(agency: Agency, moment: datetime) -> str:
    """The next dossier code of ``agency`` for the local day of ``moment``: no gaps, no duplicates."""
    day = calendar.local(moment).date()
    seq = take_codes({(agency.pk, day): 1})[(agency.pk, day)]
    return format_code(agency.code, day, seq)


def format_result_number(seq: int, year: int) -> str:
    """The number of a result document: the agency's sequence of the year, e.g. ``15/2026``."""
    return f"{seq}/{year}"


def result_year(moment: datetime) -> int:
    return calendar.local(moment).year


def allocate_result_number(agency: Agency, moment: datetime) -> str:
    """The next result number of ``agency`` in the local year of ``moment``."""
    year = result_year(moment)
    return format_result_number(take_result_numbers({(agency.pk, year): 1})[(agency.pk, year)], year)


def release_result_number(agency: Agency, number: str) -> bool:
    """Give ``number`` back when nothing bears it (its signature failed, or its approval was refused), if it
    is still the last one given; True when it was. A number given after it stays, and so would a gap."""
    seq, _slash, year = number.partition("/")
    if not (seq.isdigit() and year.isdigit()):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_resultsequence SET last = last - 1 "
            "WHERE agency_id = %s AND year = %s AND last = %s",
            [agency.pk, int(year), int(seq)],
        )
        return cursor.rowcount == 1
