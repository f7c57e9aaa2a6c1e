"""GET /api/v1/calendar/due-date/ (``catalog.calendar_api``): its contract and its answers to bad input, in
Vietnamese and English."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.catalog.tests.factories import make_procedure
from motcua.workcalendar import services
from motcua.workcalendar.models import ExceptionKind

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due-date/"


def vi(msgid: str, **params) -> str:
    """The message as a Vietnamese client receives it; fails when locale/ has no translation for it."""
    with translation.override("vi"):
        message = translation.gettext(msgid)
    assert message != msgid, f"no Vietnamese for {msgid!r}"
    return message % params if params else message


def test_three_working_days_from_monday_morning(client):
    response = client.get(URL, {"start": "2026-03-02T09:00:00+07:00", "working_days": "3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "start": "2026-03-02T09:00:00+07:00",
        "counted_from": "2026-03-02T09:00:00+07:00",
        "due_at": "2026-03-05T09:00:00+07:00",
    }


def test_the_procedures_cutoff_counts_from_the_next_working_day(client):
    make_procedure(code="1.001193", cutoff_time="15:00")
    make_procedure(code="1.000656")  # no cut-off
    params = {"start": "2026-03-02T16:00:00+07:00", "working_days": "3"}
    with_cutoff = client.get(URL, {**params, "procedure": "1.001193"}).json()
    assert with_cutoff["counted_from"] == "2026-03-03T08:00:00+07:00"
    assert with_cutoff["due_at"] == "2026-03-05T17:00:00+07:00"
    without = client.get(URL, {**params, "procedure": "1.000656"}).json()
    assert without["due_at"] == "2026-03-05T16:00:00+07:00"


def test_any_offset_is_answered_in_vietnamese_time(client):
    body = client.get(URL, {"start": "2026-03-02T02:00:00Z", "working_hours": "4"}).json()
    assert body == {
        "start": "2026-03-02T09:00:00+07:00",
        "counted_from": "2026-03-02T09:00:00+07:00",
        "due_at": "2026-03-02T14:00:00+07:00",
    }


def test_an_unencoded_plus_in_the_query_string_is_understood(client):
    # "?start=2026-03-02T09:00:00+07:00" typed as is: the "+" arrives as a space.
    response = client.get(f"{URL}?start=2026-03-02T09:00:00+07:00&working_days=1")
    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-03-03T09:00:00+07:00"


def test_days_and_hours_add_up_and_exceptions_count(client):
    services.set_exception(date(2026, 3, 3), ExceptionKind.DAY_OFF, "Nghỉ")
    body = client.get(
        URL, {"start": "2026-03-02T09:00:00+07:00", "working_days": "1.5", "working_hours": "2"}
    ).json()
    assert body["due_at"] == "2026-03-04T16:00:00+07:00"  # 7 hours on Monday, Tuesday off, 7 on Wednesday


def test_reception_on_a_sunday(client):
    body = client.get(URL, {"start": "2026-03-01T10:00:00+07:00", "working_days": "0"}).json()
    assert body["counted_from"] == body["due_at"] == "2026-03-02T08:00:00+07:00"


DAYS = "The number of working days must be a number from 0 to %(max)s, with at most two decimals."
HOURS = "The number of working hours must be a number from 0 to %(max)s, with at most two decimals."
EXAMPLE = {"example": "2026-02-13T09:00:00+07:00"}
GOOD = {"start": "2026-03-02T09:00:00+07:00", "working_days": "3"}

BAD_INPUT = [
    (
        {**GOOD, "start": "2026-03-02T09:00:00"},
        "start",
        "Give the time zone of the reception time too, e.g. %(example)s.",
        EXAMPLE,
    ),
    (
        {**GOOD, "start": "2026-03-02"},
        "start",
        "Give the time zone of the reception time too, e.g. %(example)s.",
        EXAMPLE,
    ),
    (
        {**GOOD, "start": "thứ hai"},
        "start",
        "'%(value)s' is not a date and time such as %(example)s.",
        {"value": "thứ hai", **EXAMPLE},
    ),
    ({"working_days": "3"}, "start", "Give the date and time of reception, e.g. %(example)s.", EXAMPLE),
    (
        {**GOOD, "start": "1999-12-31T09:00:00+07:00"},
        "start",
        "Deadlines can be computed for the years %(first)s to %(last)s only.",
        {"first": 2000, "last": 2100},
    ),
    (
        {"start": "2100-12-01T09:00:00+07:00", "working_days": "100"},
        "start",
        "Deadlines can be computed for the years %(first)s to %(last)s only.",
        {"first": 2000, "last": 2100},
    ),
    ({**GOOD, "working_days": "-1"}, "working_days", DAYS, {"max": 1000}),
    ({**GOOD, "working_days": "1001"}, "working_days", DAYS, {"max": 1000}),
    ({**GOOD, "working_days": "1e9"}, "working_days", DAYS, {"max": 1000}),
    ({**GOOD, "working_days": "ba"}, "working_days", DAYS, {"max": 1000}),
    ({**GOOD, "working_days": "NaN"}, "working_days", DAYS, {"max": 1000}),
    ({**GOOD, "working_days": "0.125"}, "working_days", DAYS, {"max": 1000}),
    ({**GOOD, "working_hours": "8001"}, "working_hours", HOURS, {"max": 8000}),
    (
        {"start": GOOD["start"]},
        "working_days",
        "Give the processing time in working days (or working hours).",
        {},
    ),
    (
        {**GOOD, "procedure": "9.999999"},
        "procedure",
        "No published procedure has the code %(code)s.",
        {"code": "9.999999"},
    ),
    # Refused before the view, like a NUL anywhere in the API (api.middleware).
    ({**GOOD, "procedure": "1.001193\x00"}, "procedure", "Null characters are not allowed.", {}),
]


@pytest.mark.parametrize(("params", "field", "msgid", "values"), BAD_INPUT)
def test_bad_input_is_a_400_in_vietnamese(client, params, field, msgid, values):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": vi("The request has invalid values."),
        "errors": {field: [vi(msgid, **values)]},
    }


@pytest.mark.parametrize(("params", "field", "msgid", "values"), BAD_INPUT)
def test_bad_input_is_a_400_in_english_on_request(client, params, field, msgid, values):
    response = client.get(URL, params, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request has invalid values.",
        "errors": {field: [msgid % values]},
    }


@pytest.mark.parametrize(
    ("office_hours", "most"),
    [("07:30-11:30,13:30-17:00", "7500"), ("08:00-12:00,13:00-17:10", "8166.66")],
)
def test_the_most_working_hours_are_a_thousand_office_days(client, settings, office_hours, most):
    settings.MOTCUA_OFFICE_HOURS = office_hours  # a 7.5-hour day; a day of 8 hours 10 minutes
    assert client.get(URL, {"start": GOOD["start"], "working_hours": most}).status_code == 200
    over = str(Decimal(most) + Decimal("0.01"))
    response = client.get(
        URL, {"start": GOOD["start"], "working_hours": over}, headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"working_hours": [HOURS % {"max": most}]}


def test_an_inactive_procedure_is_unknown(client):
    make_procedure(code="1.001193", cutoff_time="15:00", is_active=False)
    response = client.get(URL, {**GOOD, "procedure": "1.001193"}, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"procedure": ["No published procedure has the code 1.001193."]}


def test_every_bad_parameter_is_named_at_once(client):
    response = client.get(URL, {"start": "x", "working_days": "-3", "working_hours": "y", "procedure": "z"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"start", "working_days", "working_hours", "procedure"}


def test_the_schema_describes_the_endpoint(client):
    schema = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}).json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "start",
        "working_days",
        "working_hours",
        "procedure",
    }
    # 406: an Accept header without JSON; 429: the API's throttles (both documented for every operation)
    assert set(operation["responses"]) == {"200", "400", "406", "429"}
    component = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[
        1
    ]
    assert set(schema["components"]["schemas"][component]["properties"]) == {
        "start",
        "counted_from",
        "due_at",
    }
