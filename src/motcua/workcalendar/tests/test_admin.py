"""Calendar exceptions in the Django admin, and the procedure's cut-off hour in the catalogue."""

from datetime import date, time

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.utils import translation

from motcua.catalog import services as catalog_services
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import make_procedure
from motcua.workcalendar import services
from motcua.workcalendar.models import CalendarException, ExceptionKind

pytestmark = pytest.mark.django_db

URL = "/admin/workcalendar/calendarexception/"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def exceptions():
    return [
        services.set_exception(date(2025, 4, 26), ExceptionKind.DAY_OFF, "Nghỉ lễ địa phương"),
        services.set_exception(date(2026, 3, 7), ExceptionKind.WORKING_DAY, "Làm bù theo Thông báo 123"),
        services.set_exception(date(2026, 3, 9), ExceptionKind.DAY_OFF, "Hoán đổi ngày làm việc"),
    ]


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_the_list_filters_by_kind_and_year_and_searches_the_reason(admin_client, exceptions):
    off_2025, saturday, swap = exceptions
    assert listed(admin_client.get(URL)) == [swap, saturday, off_2025]
    assert listed(admin_client.get(URL, {"kind": "working_day"})) == [saturday]
    assert listed(admin_client.get(URL, {"year": "2025"})) == [off_2025]
    assert listed(admin_client.get(URL, {"year": "2026", "kind": "day_off"})) == [swap]
    assert listed(admin_client.get(URL, {"q": "thông báo"})) == [saturday]
    page = admin_client.get(URL).content.decode()
    assert 'href="?year=2025"' in page and 'href="?year=2026"' in page


def test_adding_changing_and_deleting_are_logged_with_who_and_when(admin_client, admin_user):
    response = admin_client.post(
        f"{URL}add/", {"date": "2026-03-07", "kind": "working_day", "reason": "Làm bù"}
    )
    assert response.status_code == 302, response.content.decode()
    exception = CalendarException.objects.get()
    assert (exception.date, exception.kind) == (date(2026, 3, 7), ExceptionKind.WORKING_DAY)

    response = admin_client.post(
        f"{URL}{exception.pk}/change/",
        {"date": "2026-03-14", "kind": "working_day", "reason": "Làm bù (dời)"},
    )
    assert response.status_code == 302
    assert CalendarException.objects.get().date == date(2026, 3, 14)

    response = admin_client.post(f"{URL}{exception.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarException.objects.exists()

    log = LogEntry.objects.filter(object_id=str(exception.pk)).order_by("action_time")
    assert [entry.action_flag for entry in log] == [ADDITION, CHANGE, DELETION]
    assert {entry.user for entry in log} == {admin_user}
    assert all(entry.action_time for entry in log)


def test_a_pointless_exception_is_refused_in_the_form(admin_client):
    with translation.override("en"):
        response = admin_client.post(
            f"{URL}add/", {"date": "2026-03-03", "kind": "working_day", "reason": "Thứ Ba"}
        )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"]
    assert not CalendarException.objects.exists()


def test_deleting_several_at_once_goes_through_the_service(admin_client, exceptions):
    response = admin_client.post(
        URL, {"action": "delete_selected", "_selected_action": [e.pk for e in exceptions], "post": "yes"}
    )
    assert response.status_code == 302
    assert not CalendarException.objects.exists()


# --- the procedure's cut-off hour -------------------------------------------------------------------------


def test_the_procedure_form_shows_the_cutoff_time(admin_client):
    procedure = make_procedure(cutoff_time="15:00")
    assert procedure.cutoff_time == time(15)
    page = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/change/").content.decode()
    assert 'name="cutoff_time"' in page
    assert 'value="15:00:00"' in page


@pytest.mark.parametrize(
    ("value", "stored"), [("15:00", time(15)), ("7:30", time(7, 30)), ("15:00:00", time(15)), (None, None)]
)
def test_the_record_import_takes_the_cutoff_time(value, stored):
    procedure = make_procedure(cutoff_time=value)
    assert Procedure.objects.get(pk=procedure.pk).cutoff_time == stored
    record = catalog_services.procedure_to_record(procedure)
    assert record["cutoff_time"] == (stored.strftime("%H:%M") if stored else None)


@pytest.mark.parametrize("value", ["3pm", "25:00", "15h", "15:00:00:00"])
def test_a_bad_cutoff_time_is_named_in_the_import_errors(value):
    with translation.override("en"):
        _values, errors = catalog_services.clean_record(
            {
                "code": "1.000001",
                "name": "Thử",
                "authority_level": "commune",
                "sector": "X",
                "cutoff_time": value,
            },
            row=1,
        )
        said = [str(e) for e in errors if e.field == "cutoff_time"]
    assert said == [
        f"row 1, field cutoff_time: '{value}' is not a time of day in the form HH:MM, e.g. 15:00."
    ]
