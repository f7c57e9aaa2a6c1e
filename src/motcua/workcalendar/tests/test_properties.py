"""Properties of deadlines over many receptions, amounts and exception sets (hypothesis).

The calendars here hold their exceptions in memory, as ``working_calendar()`` returns them, so the
examples need no database; ``test_the_public_function_agrees`` ties them to the database-backed function.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.workcalendar import selectors, services
from motcua.workcalendar.models import CalendarException, ExceptionKind
from motcua.workcalendar.selectors import WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROPERTY = settings(max_examples=200, deadline=None, database=None)

# Around Tết 2026 and the swaps of 2025–2026, by the minute, with the edges of office hours made likely.
days = st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 12, 31))
edges = st.sampled_from([time(8), time(12), time(13), time(17), time(7, 59), time(12, 1), time(16, 59)])
any_time = st.times().map(lambda t: t.replace(second=0, microsecond=0))
moments = st.builds(lambda day, t: datetime.combine(day, t, VN), days, st.one_of(edges, any_time, any_time))
# Working time in minutes, up to 30 working days.
amounts = st.integers(min_value=0, max_value=30 * 8 * 60).map(lambda m: timedelta(minutes=m))
positive_amounts = st.integers(min_value=1, max_value=30 * 8 * 60).map(lambda m: timedelta(minutes=m))
cutoffs = st.one_of(st.none(), st.sampled_from([time(15), time(16, 30), time(11), time(8)]))


@st.composite
def calendars(draw):
    """A calendar with a few exceptions the national calendar does not already say."""
    exceptions = {}
    for day in draw(st.lists(days, max_size=6, unique=True)):
        worked = selectors.is_national_working_day(day)
        exceptions[day] = ExceptionKind.DAY_OFF if worked else ExceptionKind.WORKING_DAY
    return WorkingCalendar(exceptions)


def is_inside_office_hours(calendar: WorkingCalendar, moment: datetime, *, may_open: bool) -> bool:
    """On a working day, after an opening (or at it when ``may_open``) and not after the closing."""
    if not calendar.is_working_day(moment.date()):
        return False
    t = moment.timetz().replace(tzinfo=None)
    return any(
        (opening <= t if may_open else opening < t) and t <= closing for opening, closing in calendar.periods
    )


@PROPERTY
@given(calendar=calendars(), start=moments, amount=amounts, cutoff=cutoffs)
def test_due_at_is_inside_office_hours_on_a_working_day_or_at_a_closing_time(calendar, start, amount, cutoff):
    counted_from = calendar.counted_from(start, cutoff)
    due_at = calendar.add(counted_from, amount)
    assert counted_from >= start
    assert is_inside_office_hours(calendar, counted_from, may_open=True)
    assert counted_from.time() not in {closing for _opening, closing in calendar.periods}
    # A positive count never ends at an opening: it would have ended at the closing before it.
    assert is_inside_office_hours(calendar, due_at, may_open=not amount)
    assert due_at.tzinfo == VN


@PROPERTY
@given(calendar=calendars(), start=moments, a=amounts, b=positive_amounts)
def test_adding_a_then_b_is_adding_a_plus_b(calendar, start, a, b):
    counted_from = calendar.counted_from(start)
    assert calendar.add(calendar.add(counted_from, a), b) == calendar.add(counted_from, a + b)


@PROPERTY
@given(calendar=calendars(), starts=st.lists(moments, min_size=2, max_size=2), amount=amounts, cutoff=cutoffs)
def test_due_at_is_monotonic_in_the_reception_time(calendar, starts, amount, cutoff):
    early, late = sorted(starts)
    assert calendar.add(calendar.counted_from(early, cutoff), amount) <= calendar.add(
        calendar.counted_from(late, cutoff), amount
    )


@PROPERTY
@given(calendar=calendars(), start=moments, amounts=st.lists(amounts, min_size=2, max_size=2), cutoff=cutoffs)
def test_due_at_is_monotonic_in_the_amount(calendar, start, amounts, cutoff):
    small, large = sorted(amounts)
    counted_from = calendar.counted_from(start, cutoff)
    assert calendar.add(counted_from, small) <= calendar.add(counted_from, large)
    if small < large:
        assert calendar.add(counted_from, small) < calendar.add(counted_from, large)


@PROPERTY
@given(calendar=calendars(), start=moments, amount=amounts, cutoff=cutoffs)
def test_the_working_time_between_reception_count_and_due_date_is_the_amount(calendar, start, amount, cutoff):
    counted_from = calendar.counted_from(start, cutoff)
    due_at = calendar.add(counted_from, amount)
    assert calendar.working_hours_between(counted_from, due_at) == amount
    assert calendar.working_hours_between(due_at, counted_from) == -amount
    if cutoff is None:  # without a cut-off, nothing counts between the reception and the count's start
        assert calendar.working_hours_between(start, counted_from) == timedelta(0)


@pytest.mark.django_db
@settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=moments, minutes=st.integers(min_value=0, max_value=20 * 8 * 60))
def test_the_public_function_agrees(start, minutes):
    """add_working_time (exceptions from the database) gives what a calendar with the same ones gives."""
    if not CalendarException.objects.exists():  # the examples share the test's transaction
        services.set_exception(date(2026, 3, 7), ExceptionKind.WORKING_DAY, "Làm bù")
        services.set_exception(date(2026, 2, 23), ExceptionKind.DAY_OFF, "Nghỉ thêm sau Tết")
    result = selectors.add_working_time(start, hours=Decimal(minutes) / 60)
    calendar = selectors.working_calendar()
    assert len(calendar.exceptions) == 2
    assert result.counted_from == calendar.counted_from(start)
    assert result.due_at == calendar.add(result.counted_from, timedelta(minutes=minutes))
