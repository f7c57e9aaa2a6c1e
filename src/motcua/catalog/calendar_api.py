"""The due-date API (``/api/v1/calendar/due-date/``): when a dossier received at a given moment is due.

The calendar (``workcalendar.selectors.add_working_time``) counts; this view reads the request and, when a
procedure is named, looks up its cut-off hour. It lives in ``catalog`` because it knows procedures: the
calendar knows none, and stays a leaf that others use.
"""

import re
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.rest.errors import BAD_REQUEST
from motcua.workcalendar import selectors as workcalendar
from motcua.workcalendar.officehours import configured_office_hours, day_length

from . import selectors
from .models import Procedure, procedure_code_validator

MAX_WORKING_DAYS = 1000
# An unencoded "+07:00" in a query string arrives as " 07:00"; the space can only have been a plus.
_SPACE_FOR_PLUS = re.compile(r"^(\S+T\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)$")


class DueDateSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="The moment of reception, in Asia/Ho_Chi_Minh.")
    counted_from = serializers.DateTimeField(
        help_text="Where the count starts: the reception itself, or the next opening of the office."
    )
    due_at = serializers.DateTimeField(help_text="The due date and time.")


def _start(text: str | None, errors: dict) -> datetime | None:
    example = "2026-02-13T09:00:00+07:00"
    if not text:
        errors["start"] = [_("Give the date and time of reception, e.g. %(example)s.") % {"example": example}]
        return None
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", text.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        errors["start"] = [
            _("'%(value)s' is not a date and time such as %(example)s.") % {"value": text, "example": example}
        ]
        return None
    if moment.tzinfo is None:
        errors["start"] = [
            _("Give the time zone of the reception time too, e.g. %(example)s.") % {"example": example}
        ]
        return None
    if not workcalendar.FIRST_YEAR <= moment.year <= workcalendar.LAST_YEAR:
        errors["start"] = [_outside_calendar()]
        return None
    return moment


def _outside_calendar() -> str:
    return _("Deadlines can be computed for the years %(first)s to %(last)s only.") % {
        "first": workcalendar.FIRST_YEAR,
        "last": workcalendar.LAST_YEAR,
    }


def _hours_max() -> Decimal:
    """As many working hours as ``MAX_WORKING_DAYS`` office days (8,000 with the default 8-hour day), to
    two decimals at most, as the hours asked for."""
    minutes = day_length(configured_office_hours()) // timedelta(minutes=1)
    hours = Decimal(MAX_WORKING_DAYS * minutes) / 60
    return hours if hours == hours.to_integral_value() else hours.quantize(Decimal("0.01"), ROUND_DOWN)


def _amount(params, name: str, maximum: int | Decimal, message: str, errors: dict) -> Decimal | None:
    text = params.get(name)
    if text is None or text.strip() == "":
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = None
    # Two decimals at most, as processing times are published (e.g. 0.5 day).
    if (
        value is None
        or not value.is_finite()
        or not 0 <= value <= maximum
        or value != value.quantize(Decimal("0.01"))
    ):
        errors[name] = [message % {"max": maximum}]
        return None
    return value


@extend_schema(
    tags=["calendar"],
    summary="Due date of a dossier",
    description=(
        "When a dossier received at `start` is due, for a processing time of `working_days` working days "
        "plus `working_hours` working hours. Only office hours of working days count: weekends, Vietnamese "
        "public holidays (lunar Tết included, with substitute days) and the days off the administration "
        "announces do not; make-up working Saturdays do. Reception outside office hours counts from the next "
        "opening; reception after the procedure's cut-off hour counts from the next working day. Times are "
        "ISO 8601 with their offset; write `+` as `%2B` in a query string."
    ),
    parameters=[
        OpenApiParameter(
            "start", str, required=True, description="Reception time, e.g. `2026-02-13T09:00:00+07:00`."
        ),
        OpenApiParameter(
            "working_days",
            str,
            description=f"Working days, 0 to {MAX_WORKING_DAYS}, at most two decimals (e.g. `3`, `0.5`).",
        ),
        OpenApiParameter("working_hours", str, description="Working hours added to the days, e.g. `4`."),
        OpenApiParameter("procedure", str, description="A published procedure's code, for its cut-off hour."),
    ],
    responses={
        200: DueDateSerializer,
        400: BAD_REQUEST,
    },
    examples=[
        OpenApiExample(
            "Three working days",
            value={
                "start": "2026-02-13T09:00:00+07:00",
                "counted_from": "2026-02-13T09:00:00+07:00",
                "due_at": "2026-02-25T09:00:00+07:00",
            },
            response_only=True,
        )
    ],
)
class DueDateView(APIView):
    def get(self, request):
        params = request.query_params
        errors: dict[str, list[str]] = {}
        start = _start(params.get("start"), errors)
        hours_max = _hours_max()
        days = _amount(
            params,
            "working_days",
            MAX_WORKING_DAYS,
            _("The number of working days must be a number from 0 to %(max)s, with at most two decimals."),
            errors,
        )
        hours = _amount(
            params,
            "working_hours",
            hours_max,
            _("The number of working hours must be a number from 0 to %(max)s, with at most two decimals."),
            errors,
        )
        if days is None and hours is None and not {"working_days", "working_hours"} & set(errors):
            errors["working_days"] = [_("Give the processing time in working days (or working hours).")]
        cutoff = None
        code = (params.get("procedure") or "").strip()
        if code:
            try:
                # A malformed code is not looked up at all (a NUL would upset PostgreSQL).
                procedure_code_validator(code)
                cutoff = selectors.procedure_detail(code).cutoff_time
            except (DjangoValidationError, Procedure.DoesNotExist):
                errors["procedure"] = [_("No published procedure has the code %(code)s.") % {"code": code}]
        if errors:
            raise ValidationError(errors)
        try:
            result = workcalendar.add_working_time(start, days=days or 0, hours=hours or 0, cutoff=cutoff)
        except workcalendar.OutsideCalendar:  # the due date would fall after the calendar's last year
            raise ValidationError({"start": [_outside_calendar()]}) from None
        return Response(DueDateSerializer(result).data)
