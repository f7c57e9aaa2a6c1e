"""One length of a working day: the configured office day, for every conversion between days and hours."""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.workcalendar import selectors
from motcua.workcalendar.officehours import (
    days_to_hours,
    hours_to_days,
    parse_office_hours,
    working_day_hours,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("08:00-12:00,13:00-17:00", Decimal(8)),
        ("07:30-11:30,13:30-17:00", Decimal("7.5")),
        ("08:00-16:00", Decimal(8)),
        ("08:00-12:00", Decimal(4)),
        ("07:00-11:45,13:00-16:30", Decimal("8.25")),
    ],
)
def test_the_hours_of_a_working_day_are_those_of_the_configured_office_day(settings, text, hours):
    settings.MOTCUA_OFFICE_HOURS = text
    assert working_day_hours() == hours
    assert isinstance(working_day_hours(), Decimal)
    assert selectors.working_day_hours() == hours  # where the other apps find it


def test_a_change_of_office_hours_counts_at_once(settings):
    settings.MOTCUA_OFFICE_HOURS = "08:00-12:00,13:00-17:00"
    assert working_day_hours() == 8
    assert days_to_hours(3) == 24
    settings.MOTCUA_OFFICE_HOURS = "07:30-11:30,13:30-17:00"
    assert working_day_hours() == Decimal("7.5")
    assert days_to_hours(3) == Decimal("22.5")
    assert hours_to_days(Decimal("22.5")) == 3


def test_days_and_hours_by_default():
    assert days_to_hours(Decimal("0.5")) == 4
    assert days_to_hours(15) == 120
    assert hours_to_days(4) == Decimal("0.5")
    assert hours_to_days(Decimal(12)) == Decimal("1.5")
    assert hours_to_days(Decimal("0.25")) == Decimal("0.03125")  # exact, not rounded to two places


def test_days_and_hours_of_a_seven_and_a_half_hour_day(settings):
    settings.MOTCUA_OFFICE_HOURS = "07:30-11:30,13:30-17:00"
    assert days_to_hours(Decimal("0.5")) == Decimal("3.75")
    assert days_to_hours(Decimal("0.01")) == Decimal("0.075")
    assert days_to_hours(2) == 15
    assert hours_to_days(Decimal("7.5")) == 1
    assert hours_to_days(3) == Decimal("0.4")
    # 1 hour is 2/15 of a day: no finite decimal, 28 significant digits; quantize for display.
    assert hours_to_days(1) == Decimal("0.1333333333333333333333333333")
    assert hours_to_days(1).quantize(Decimal("0.01")) == Decimal("0.13")


def test_office_hours_can_be_given():
    periods = parse_office_hours("07:30-11:30,13:30-17:00")
    assert working_day_hours(periods) == Decimal("7.5")
    assert days_to_hours(2, periods) == 15
    assert hours_to_days(15, periods) == 2
    assert working_day_hours() == 8  # the setting is untouched


@pytest.mark.parametrize("value", [1.5, "4", True, None])
def test_only_exact_numbers(value):
    with pytest.raises(TypeError):
        days_to_hours(value)
    with pytest.raises(TypeError):
        hours_to_days(value)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_only_finite_numbers(value):
    with pytest.raises(ValueError):
        days_to_hours(value)
    with pytest.raises(ValueError):
        hours_to_days(value)


def test_large_numbers_are_not_rounded():
    days, hours = Decimal("123456789012345678901234567.89"), Decimal("987654312098765431209876543.12")
    assert days_to_hours(days) == hours
    assert hours_to_days(hours) == days


office_days = st.sampled_from(
    ["08:00-12:00,13:00-17:00", "07:30-11:30,13:30-17:00", "08:00-16:00", "07:00-11:45,13:00-16:30"]
)
amounts = st.integers(min_value=0, max_value=100_000).map(lambda n: Decimal(n) / 100)  # two decimals


@hypothesis.settings(max_examples=300, deadline=None, database=None)
@given(text=office_days, days=amounts, hours=amounts)
def test_days_and_hours_are_the_same_working_time(text, days, hours):
    """N working days are days_to_hours(N) working hours for the calendar too, and back."""
    periods = parse_office_hours(text)
    day = selectors.day_length(periods)
    assert selectors.working_time(days=days, day=day) == selectors.working_time(
        hours=days_to_hours(days, periods), day=day
    )
    assert hours_to_days(days_to_hours(days, periods), periods) == days
    assert days_to_hours(hours_to_days(hours, periods), periods).quantize(Decimal("0.01")) == hours
    calendar = selectors.WorkingCalendar({}, periods)
    start = datetime(2026, 3, 2, 9, 30, tzinfo=VN)
    assert calendar.add_working_time(start, days=days) == calendar.add_working_time(
        start, hours=days_to_hours(days, periods)
    )


def test_working_time_of_the_other_office_day(settings):
    settings.MOTCUA_OFFICE_HOURS = "07:30-11:30,13:30-17:00"
    calendar = selectors.WorkingCalendar({})
    start = datetime(2026, 3, 2, 7, 30, tzinfo=VN)
    # One working day of 7.5 hours from Monday's opening: Monday's closing.
    assert calendar.add_working_time(start, hours=working_day_hours()).due_at == datetime(
        2026, 3, 2, 17, tzinfo=VN
    )
    assert calendar.add_working_time(start, days=1).due_at.time() == time(17)
