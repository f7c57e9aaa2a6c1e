"""The time of a petition (thời hạn xử lý phản ánh, kiến nghị): when it is due, counted in working days from
its reception by the calendar every deadline of Motcua comes from (``workcalendar``), and whether it was
answered in time. The number of days is data (``PetitionTerm``, per kind), changed in the admin when the
province's rules change; a petition keeps the due time it was given when it arrived."""

from datetime import datetime

from motcua.workcalendar import selectors as working_calendar

from .models import Petition, PetitionTerm


def term_days(kind: str) -> int:
    """The working days a petition of ``kind`` has to be answered (the admin's term, else the default)."""
    days = PetitionTerm.objects.filter(kind=kind).values_list("working_days", flat=True).first()
    return days or PetitionTerm.DEFAULT_TERM_DAYS


def due_at(kind: str, received_at: datetime) -> datetime:
    """When a petition of ``kind`` received at ``received_at`` must be answered."""
    return working_calendar.add_working_time(received_at, days=term_days(kind)).due_at


def answered_on_time(petition: Petition, at: datetime) -> bool:
    """An answer approved at ``at`` is on time when it comes no later than the petition's due time."""
    return at <= petition.due_at


def is_overdue(petition: Petition, now: datetime) -> bool:
    """Still open past its due time."""
    return petition.is_open and now > petition.due_at
