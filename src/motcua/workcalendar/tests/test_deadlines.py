"""Deadlines as domain.md states them: working days, office hours, holidays, exceptions and cut-off."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError

from motcua.workcalendar import selectors, services
from motcua.workcalendar.models import CalendarException, ExceptionKind
from motcua.workcalendar.officehours import configured_office_hours, parse_office_hours
from motcua.workcalendar.selectors import (
    OutsideCalendar,
    add_working_time,
    is_working_day,
    next_opening,
    working_hours_between,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def due(start, **amount) -> datetime:
    return add_working_time(start, **amount).due_at


# --- domain.md's examples ------------------------------------------------------------------------------


def test_received_monday_at_nine_three_working_days_is_thursday_at_nine():
    result = add_working_time(at(2026, 3, 2, 9), days=3)  # Monday, no holiday that week
    assert result.start == result.counted_from == at(2026, 3, 2, 9)
    assert result.due_at == at(2026, 3, 5, 9)


def test_received_monday_at_four_after_a_three_o_clock_cutoff_is_due_thursday_at_five():
    result = add_working_time(at(2026, 3, 2, 16), days=3, cutoff=time(15))
    assert result.counted_from == at(2026, 3, 3, 8)
    assert result.due_at == at(2026, 3, 5, 17)  # ends exactly at a closing time: not Friday 08:00


def test_the_same_reception_without_a_cutoff_counts_its_last_hour():
    assert due(at(2026, 3, 2, 16), days=3) == at(2026, 3, 5, 16)


def test_the_result_is_aware_and_in_vietnamese_time():
    result = add_working_time(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), days=1)  # 09:00 in Hà Nội
    for moment in (result.start, result.counted_from, result.due_at):
        assert moment.tzinfo == VN
    assert result.start == at(2026, 3, 2, 9)
    assert result.due_at == at(2026, 3, 3, 9)
    assert result.due_at.isoformat() == "2026-03-03T09:00:00+07:00"


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        add_working_time(datetime(2026, 3, 2, 9), days=1)
    with pytest.raises(ValueError):
        next_opening(datetime(2026, 3, 2, 9))
    with pytest.raises(ValueError):
        working_hours_between(at(2026, 3, 2), datetime(2026, 3, 3))


@pytest.mark.parametrize("amount", [{"days": -1}, {"hours": Decimal("-0.5")}, {"days": Decimal("NaN")}])
def test_a_negative_or_undefined_amount_is_refused(amount):
    with pytest.raises(ValueError):
        add_working_time(at(2026, 3, 2, 9), **amount)


@pytest.mark.parametrize("amount", [{"days": 1.5}, {"hours": "4"}, {"days": True}])
def test_an_amount_must_be_exact(amount):
    with pytest.raises(TypeError):
        add_working_time(at(2026, 3, 2, 9), **amount)


# --- holidays ---------------------------------------------------------------------------------------------


def test_what_the_holidays_package_lists_for_2026():
    days_off = selectors.national_year(2026).days_off
    assert sorted(days_off) == [
        date(2026, 1, 1),
        *(date(2026, 2, d) for d in range(16, 21)),  # Tết: 29 Tết (Mon 16) to mùng 4 (Fri 20)
        date(2026, 4, 26),  # Hùng Kings day, a Sunday...
        date(2026, 4, 27),  # ...so Monday off instead
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),  # swapped with Saturday 22 August
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),  # Vietnam Cultural Day, from 2026
    ]
    assert selectors.national_year(2026).weekend_workdays == {date(2026, 8, 22)}


def test_tet_2026_received_the_last_working_day_before_the_break():
    # Friday 13 Feb 2026; Tết (17 Feb) closes the office from Monday 16 to Friday 20.
    assert not any(is_working_day(date(2026, 2, d)) for d in range(14, 23))
    result = add_working_time(at(2026, 2, 13, 9), days=3)
    # 7 hours on Friday, 8 on Monday 23, 8 on Tuesday 24, the last hour on Wednesday 25.
    assert result.due_at == at(2026, 2, 25, 9)
    assert due(at(2026, 2, 13, 16, 30), days=1) == at(2026, 2, 23, 16, 30)


def test_a_holiday_on_a_sunday_moves_the_day_off_to_monday():
    assert not is_working_day(date(2026, 4, 27))  # Hùng Kings day observed
    # Friday 24 April 10:00 + 2 days: Monday 27 is off, so Tuesday 28 and Wednesday 29 count.
    assert due(at(2026, 4, 24, 10), days=2) == at(2026, 4, 29, 10)


def test_a_make_up_saturday_the_package_knows_is_worked():
    assert is_working_day(date(2026, 8, 22))
    assert not is_working_day(date(2026, 8, 31))
    # Friday 21 August 09:00 + 1 day: the make-up Saturday counts.
    assert due(at(2026, 8, 21, 9), days=1) == at(2026, 8, 22, 9)


def test_a_swap_across_the_new_year_is_known():
    # Monday 31 Dec 2018 off, made up on Saturday 5 Jan 2019: the swap is listed under 2018.
    assert not is_working_day(date(2018, 12, 31))
    assert is_working_day(date(2019, 1, 5))
    assert due(at(2019, 1, 4, 9), days=1) == at(2019, 1, 5, 9)


def test_years_outside_the_calendar_are_refused():
    with pytest.raises(OutsideCalendar):
        selectors.national_year(1999)
    with pytest.raises(OutsideCalendar):
        add_working_time(at(2100, 12, 30, 9), days=10)


# --- the administrator's exceptions ----------------------------------------------------------------------


def test_an_extra_day_off_is_skipped():
    before = due(at(2026, 3, 2, 9), days=3)
    services.set_exception(date(2026, 3, 4), ExceptionKind.DAY_OFF, "Ngày nghỉ của tỉnh")
    assert not is_working_day(date(2026, 3, 4))
    assert due(at(2026, 3, 2, 9), days=3) == before + timedelta(days=1) == at(2026, 3, 6, 9)


def test_a_make_up_working_saturday_counts():
    services.set_exception(date(2026, 3, 7), ExceptionKind.WORKING_DAY, "Làm bù")
    assert is_working_day(date(2026, 3, 7))
    # Friday 6 March 09:00 + 1 day: Saturday 7 09:00, with the Saturday's office hours.
    assert due(at(2026, 3, 6, 9), days=1) == at(2026, 3, 7, 9)
    assert next_opening(at(2026, 3, 6, 17)) == at(2026, 3, 7, 8)


def test_a_holiday_the_province_works():
    services.set_exception(date(2026, 11, 24), ExceptionKind.WORKING_DAY, "Tỉnh làm việc")
    assert due(at(2026, 11, 23, 9), days=1) == at(2026, 11, 24, 9)


def test_a_change_of_exception_counts_at_once_and_removing_it_restores_the_calendar():
    start = at(2026, 3, 2, 9)
    assert due(start, days=3) == at(2026, 3, 5, 9)
    services.set_exception(date(2026, 3, 3), ExceptionKind.DAY_OFF, "Nghỉ")
    assert due(start, days=3) == at(2026, 3, 6, 9)
    exception = CalendarException.objects.get(date=date(2026, 3, 3))
    exception.date = date(2026, 3, 4)
    services.save_exception(exception)
    assert is_working_day(date(2026, 3, 3)) and not is_working_day(date(2026, 3, 4))
    assert due(start, days=3) == at(2026, 3, 6, 9)
    assert services.remove_exception(date(2026, 3, 4)) is True
    assert services.remove_exception(date(2026, 3, 4)) is False
    assert due(start, days=3) == at(2026, 3, 5, 9)


def test_an_exception_that_changes_nothing_is_refused():
    with pytest.raises(ValidationError) as failure:
        services.set_exception(date(2026, 3, 3), ExceptionKind.WORKING_DAY, "Thứ Ba")
    assert "date" in failure.value.message_dict
    with pytest.raises(ValidationError):
        services.set_exception(date(2026, 3, 7), ExceptionKind.DAY_OFF, "Thứ Bảy")
    with pytest.raises(ValidationError):
        services.set_exception(date(2026, 2, 17), ExceptionKind.DAY_OFF, "Tết")
    with pytest.raises(ValidationError):
        services.set_exception(date(2101, 3, 1), ExceptionKind.WORKING_DAY, "Tương lai")
    with pytest.raises(ValidationError):
        services.set_exception(date(2026, 3, 7), ExceptionKind.WORKING_DAY, "")  # a reason is required
    assert not CalendarException.objects.exists()


def test_one_query_per_computation(django_assert_num_queries):
    services.set_exception(date(2026, 3, 7), ExceptionKind.WORKING_DAY, "Làm bù")
    with django_assert_num_queries(1):
        add_working_time(at(2026, 3, 2, 9), days=30)
    with django_assert_num_queries(1):
        working_hours_between(at(2026, 3, 2, 9), at(2026, 6, 2, 9))
    calendar = selectors.working_calendar()
    with django_assert_num_queries(0):
        for day in range(1, 28):
            calendar.add_working_time(at(2026, 2, day, 10), days=5)


# --- office hours -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "counted_from"),
    [
        (at(2026, 3, 2, 12, 30), at(2026, 3, 2, 13)),  # during lunch: after lunch
        (at(2026, 3, 2, 12), at(2026, 3, 2, 13)),  # at the morning's closing time
        (at(2026, 3, 2, 6, 45), at(2026, 3, 2, 8)),  # before opening
        (at(2026, 3, 2, 17), at(2026, 3, 3, 8)),  # at closing: next working morning
        (at(2026, 3, 2, 22), at(2026, 3, 3, 8)),  # in the evening
        (at(2026, 3, 1, 10), at(2026, 3, 2, 8)),  # on a Sunday
        (at(2026, 2, 28, 9), at(2026, 3, 2, 8)),  # on a Saturday
        (at(2026, 2, 13, 17, 30), at(2026, 2, 23, 8)),  # Friday evening before Tết
        (at(2026, 3, 2, 8), at(2026, 3, 2, 8)),  # at opening: at once
    ],
)
def test_reception_outside_office_hours_counts_from_the_next_opening(received, counted_from):
    assert add_working_time(received, days=1).counted_from == counted_from
    assert next_opening(received) == counted_from


def test_reception_during_lunch():
    assert due(at(2026, 3, 2, 12, 30), hours=4) == at(2026, 3, 2, 17)


def test_reception_on_a_sunday():
    assert due(at(2026, 3, 1, 10), days=2) == at(2026, 3, 3, 17)


@pytest.mark.parametrize(
    ("received", "counted_from"),
    [
        (at(2026, 3, 2, 15, 1), at(2026, 3, 3, 8)),  # after the cut-off: next working day
        (at(2026, 3, 2, 15), at(2026, 3, 2, 15)),  # at the cut-off itself: still today
        (at(2026, 3, 2, 14, 59), at(2026, 3, 2, 14, 59)),
        (at(2026, 3, 6, 16), at(2026, 3, 9, 8)),  # Friday after the cut-off: Monday
        (at(2026, 2, 13, 15, 30), at(2026, 2, 23, 8)),  # before Tết: after the break
        (at(2026, 3, 1, 16), at(2026, 3, 2, 8)),  # Sunday: Monday's opening, not Tuesday's
    ],
)
def test_reception_after_the_cutoff_counts_from_the_next_working_day(received, counted_from):
    assert add_working_time(received, days=1, cutoff=time(15)).counted_from == counted_from


@pytest.mark.parametrize(
    ("received", "amount", "due_at"),
    [
        (at(2026, 3, 2, 9), {"hours": 4}, at(2026, 3, 2, 14)),  # across lunch
        (at(2026, 3, 2, 8), {"hours": 4}, at(2026, 3, 2, 12)),  # ends at 12:00: due at 12:00
        (at(2026, 3, 2, 13), {"hours": 4}, at(2026, 3, 2, 17)),  # ends at 17:00: due at 17:00
        (at(2026, 3, 2, 16), {"hours": 4}, at(2026, 3, 3, 11)),
        (at(2026, 3, 2, 8), {"days": 1}, at(2026, 3, 2, 17)),  # one day from opening: same day's close
        (at(2026, 3, 2, 8), {"days": Decimal("0.5")}, at(2026, 3, 2, 12)),
        (at(2026, 3, 6, 13), {"days": Decimal("0.5")}, at(2026, 3, 6, 17)),  # Friday, not Monday
        (at(2026, 3, 2, 9), {"days": 1, "hours": 2}, at(2026, 3, 3, 11)),
        (at(2026, 3, 2, 9, 15), {"hours": Decimal("0.25")}, at(2026, 3, 2, 9, 30)),
        (at(2026, 3, 2, 9), {}, at(2026, 3, 2, 9)),
        (at(2026, 3, 2, 18), {}, at(2026, 3, 3, 8)),
    ],
)
def test_hours_and_days(received, amount, due_at):
    assert due(received, **amount) == due_at


def test_other_office_hours(settings):
    settings.MOTCUA_OFFICE_HOURS = "07:30-11:30,13:30-17:30"
    result = add_working_time(at(2026, 3, 2, 12), days=1)
    assert result.counted_from == at(2026, 3, 2, 13, 30)  # lunch: from 13:30
    assert result.due_at == at(2026, 3, 3, 11, 30)
    assert due(at(2026, 3, 2, 7, 30), hours=4) == at(2026, 3, 2, 11, 30)
    assert next_opening(at(2026, 3, 2, 17, 45)) == at(2026, 3, 3, 7, 30)


def test_one_working_day_is_one_office_day(settings):
    settings.MOTCUA_OFFICE_HOURS = "08:00-12:00"
    assert due(at(2026, 3, 2, 9), days=2) == at(2026, 3, 4, 9)


def test_working_hours_between():
    assert working_hours_between(at(2026, 3, 2, 9), at(2026, 3, 5, 9)) == timedelta(hours=24)
    assert working_hours_between(at(2026, 3, 2, 11), at(2026, 3, 2, 14)) == timedelta(hours=2)  # lunch
    assert working_hours_between(at(2026, 3, 6, 16), at(2026, 3, 9, 9)) == timedelta(hours=2)  # weekend
    assert working_hours_between(at(2026, 2, 13, 8), at(2026, 2, 24, 8)) == timedelta(hours=16)  # Tết
    assert working_hours_between(at(2026, 3, 5, 9), at(2026, 3, 2, 9)) == -timedelta(hours=24)
    assert working_hours_between(at(2026, 3, 1, 9), at(2026, 3, 1, 15)) == timedelta(0)  # a Sunday


def test_is_working_day_takes_a_date():
    with pytest.raises(TypeError):
        is_working_day(at(2026, 3, 2, 9))


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("08:00-12:00,13:00-17:00", ((time(8), time(12)), (time(13), time(17)))),
        (" 7:30 - 11:30 , 13:30-17:00 ", ((time(7, 30), time(11, 30)), (time(13, 30), time(17)))),
        ("08:00-16:00", ((time(8), time(16)),)),
    ],
)
def test_office_hours_are_parsed(text, periods):
    assert parse_office_hours(text) == periods


MALFORMED = ["", "8-12", "08:00-12:00;13:00-17:00", "12:00-08:00", "08:00-12:00,11:00-17:00"]
MALFORMED += ["13:00-17:00,08:00-12:00", "08:00-24:00", "08:60-12:00", "08:00-12:00,"]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_office_hours_stop_the_start(settings, text):
    settings.MOTCUA_OFFICE_HOURS = text
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_OFFICE_HOURS"):
        configured_office_hours()
    with pytest.raises(ImproperlyConfigured, match=r"e\.g\. '08:00-12:00,13:00-17:00'"):
        apps.get_app_config("workcalendar").ready()


class TestCalendarDays:
    """Some procedures publish their time in calendar days ("20 ngày"), counted from an opening."""

    def test_same_clock_time_days_later(self, db):
        start = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # Monday
        result = selectors.add_calendar_days(start, 10)
        assert result.due_at == datetime(2026, 3, 12, 9, 0, tzinfo=VN)

    def test_a_last_day_off_moves_to_the_next_working_day_closing(self, db):
        start = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # Monday; +5 days is Saturday 7 March
        result = selectors.add_calendar_days(start, 5)
        assert result.due_at == datetime(2026, 3, 9, 17, 0, tzinfo=VN)

    def test_reception_after_hours_counts_from_the_next_opening(self, db):
        start = datetime(2026, 3, 6, 18, 0, tzinfo=VN)  # Friday evening
        result = selectors.add_calendar_days(start, 3)
        assert result.counted_from == datetime(2026, 3, 9, 8, 0, tzinfo=VN)
        assert result.due_at == datetime(2026, 3, 12, 8, 0, tzinfo=VN)
