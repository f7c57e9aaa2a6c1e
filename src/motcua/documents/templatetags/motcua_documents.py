"""Filters of the document templates: dates as administrative documents write them, QR codes."""

from datetime import datetime

from django import template
from django.utils import timezone

from motcua.documents.qr import qr_data_uri as _qr_data_uri

register = template.Library()


@register.filter
def qr_data_uri(value) -> str:
    """``{{ url|qr_data_uri }}``: the QR code of the text as a PNG ``data:`` URI for ``<img src>``."""
    return _qr_data_uri(str(value))


@register.filter
def time_and_date(value) -> str:
    """``09 giờ 05 phút, ngày 02/12/2026``, in local time (Asia/Ho_Chi_Minh); empty for no value."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


@register.filter
def date_line(value) -> str:
    """``ngày 05 tháng 3 năm 2026``: the date under the motto, in local time for a datetime.

    Decree 30/2020 writes a zero before days under 10 and before months 1 and 2 only (``tháng 02``, but
    ``tháng 3``): "tháng 1" could be misread as the start of "tháng 10"…"12".
    """
    if not value:
        return ""
    day = timezone.localtime(value) if isinstance(value, datetime) else value
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
