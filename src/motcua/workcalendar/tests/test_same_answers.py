"""``WorkingCalendar`` gives exactly the answers of the day-by-day reference (``reference.py``).

Over random office hours (the default day, a 7.5-hour day, a single period, adjacent periods, random ones),
random exception sets, random moments (inside and outside office hours, at their edges to the microsecond,
on weekends and at Tết, in another time zone) and random amounts (0, a microsecond, whole days, many
weeks, across the new year). Both raise the same exception where one does (a year outside the calendar).
"""

import pickle
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workcalendar.models import ExceptionKind
from motcua.workcalendar.national import FIRST_YEAR, LAST_YEAR, is_national_working_day
from motcua.workcalendar.officehours import day_length, parse_office_hours
from motcua.workcalendar.selectors import WorkingCalendar

from .reference import DayByDayCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SAME = settings(max_examples=400, deadline=None, database=None)

OFFICE_HOURS = [
    "08:00-12:00,13:00-17:00",
    "07:30-11:30,13:30-17:00",  # 7.5 hours
    "08:00-16:00",  # one period
    "07:00-09:15,09:15-11:45,13:00-17:10",  # adjacent periods, minutes that are not round
    "00:00-23:59",  # opens at midnight
]


@st.composite
def random_office_hours(draw):
    """One to three periods in order, whole minutes, with gaps of zero or more minutes."""
    periods = []
    at = draw(st.integers(min_value=0, max_value=720))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        length = draw(st.integers(min_value=1, max_value=300))
        if at + length > 23 * 60 + 59:
            break
        periods.append((time(*divmod(at, 60)), time(*divmod(at + length, 60))))
        at += length + draw(st.integers(min_value=0, max_value=120))
    if not periods:
        periods.append((time(8), time(12)))
    return tuple(periods)


office_hours = st.one_of(st.sampled_from(OFFICE_HOURS).map(parse_office_hours), random_office_hours())

# Tết 2026 (16–20 Feb), the swaps of 2025–2026, the new year 2026/2027 and Tết 2027 (5–11 Feb).
NEAR = (date(2025, 12, 1), date(2027, 3, 31))
near_days = st.dates(min_value=NEAR[0], max_value=NEAR[1])
# The calendar's first and last weeks, where one of the two may run out of years.
edge_days = st.one_of(
    st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(FIRST_YEAR, 1, 15)),
    st.dates(min_value=date(LAST_YEAR, 12, 15), max_value=date(LAST_YEAR, 12, 31)),
)
any_days = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
days = st.one_of(near_days, near_days, near_days, edge_days, any_days)


@st.composite
def exception_sets(draw, around=near_days):
    """Exceptions that flip the national calendar, and now and then one that repeats it."""
    exceptions = {}
    for day in draw(st.lists(around, max_size=12, unique=True)):
        worked = is_national_working_day(day)
        flip = draw(st.integers(min_value=0, max_value=9)) > 0
        exceptions[day] = ExceptionKind.DAY_OFF if worked == flip else ExceptionKind.WORKING_DAY
    return exceptions


@st.composite
def calendars(draw):
    """The new calendar and the reference, with the same office hours and exceptions."""
    periods = draw(office_hours)
    exceptions = draw(st.one_of(exception_sets(), exception_sets(edge_days), st.just({})))
    return WorkingCalendar(exceptions, periods), DayByDayCalendar(exceptions, periods)


def _microseconds(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _time(us: int) -> time:
    us = min(max(us, 0), 86_400_000_000 - 1)
    seconds, micro = divmod(us, 1_000_000)
    minutes, second = divmod(seconds, 60)
    return time(*divmod(minutes, 60), second, micro)


@st.composite
def moments(draw, periods, around=days):
    """A moment on a random day: at an edge of the office hours (to the microsecond or the minute), at
    midnight, or anywhere; now and then given in UTC rather than in Vietnamese time."""
    edges = sorted({_microseconds(t) for period in periods for t in period})
    nudge = st.sampled_from([0, 0, 1, -1, 60_000_000, -60_000_000])
    at_edge = st.builds(lambda e, n: _time(e + n), st.sampled_from(edges), nudge)
    anywhere = st.integers(min_value=0, max_value=86_400_000_000 - 1).map(_time)
    extremes = st.sampled_from([time.min, time.max])
    t = draw(st.one_of(at_edge, at_edge, anywhere, extremes))
    moment = datetime.combine(draw(around), t, VN)
    return moment.astimezone(UTC) if draw(st.integers(min_value=0, max_value=4)) == 0 else moment


@st.composite
def amounts(draw, day: timedelta):
    """0, a microsecond, a few minutes, whole days (± 1 µs), the length of a period, many weeks."""
    us = day // timedelta(microseconds=1)
    whole_days = st.integers(min_value=1, max_value=400)
    return timedelta(
        microseconds=draw(
            st.one_of(
                st.just(0),
                st.just(1),
                st.integers(min_value=1, max_value=10 * 60_000_000),
                st.builds(lambda n, e: n * us + e, whole_days, st.sampled_from([0, 0, 1, -1])),
                st.integers(min_value=1, max_value=60 * us),
                st.integers(min_value=1, max_value=400 * us),
            )
        )
    )


cutoffs = st.one_of(
    st.none(),
    st.sampled_from([time(15), time(16, 30), time(11), time(8), time(12), time(0), time(23, 59)]),
    st.times(),
)


def outcome(call):
    """The answer, or the kind of exception raised instead: the two must fail alike too."""
    try:
        value = call()
    except (ValueError, TypeError) as exc:
        return ("raises", type(exc).__name__)
    if isinstance(value, datetime):
        return ("datetime", value, value.isoformat(), value.tzinfo)
    return ("value", value)


def same(new, reference, method, *args, **kwargs):
    expected = outcome(lambda: getattr(reference, method)(*args, **kwargs))
    assert outcome(lambda: getattr(new, method)(*args, **kwargs)) == expected
    return expected


@SAME
@given(data=st.data())
def test_add(data):
    new, reference = data.draw(calendars())
    start = data.draw(moments(new.periods))
    amount = data.draw(amounts(new.day_length))
    same(new, reference, "add", start, amount)


@SAME
@given(data=st.data())
def test_add_from_where_the_count_starts(data):
    """As deadlines call it: from ``counted_from``, which is always inside office hours."""
    new, reference = data.draw(calendars())
    start = data.draw(moments(new.periods))
    cutoff = data.draw(cutoffs)
    counted_from = same(new, reference, "counted_from", start, cutoff)
    if counted_from[0] == "datetime":
        same(new, reference, "add", counted_from[1], data.draw(amounts(new.day_length)))


@SAME
@given(data=st.data())
def test_next_opening_and_is_working_day(data):
    new, reference = data.draw(calendars())
    moment = data.draw(moments(new.periods))
    same(new, reference, "next_opening", moment)
    day = data.draw(days)
    same(new, reference, "is_working_day", day)
    for day in new.exceptions:
        same(new, reference, "is_working_day", day)


@SAME
@given(data=st.data())
def test_add_working_time(data):
    new, reference = data.draw(calendars())
    start = data.draw(moments(new.periods))
    working_days = data.draw(
        st.one_of(
            st.integers(min_value=0, max_value=300),
            st.integers(min_value=0, max_value=30_000).map(lambda n: Decimal(n) / 100),
        )
    )
    hours = data.draw(
        st.one_of(st.just(0), st.integers(min_value=0, max_value=8_000).map(lambda n: Decimal(n) / 100))
    )
    same(new, reference, "add_working_time", start, days=working_days, hours=hours, cutoff=data.draw(cutoffs))


@SAME
@given(data=st.data())
def test_add_calendar_days(data):
    new, reference = data.draw(calendars())
    start = data.draw(moments(new.periods))
    calendar_days = data.draw(st.integers(min_value=0, max_value=400))
    same(new, reference, "add_calendar_days", start, calendar_days, cutoff=data.draw(cutoffs))


@SAME
@given(data=st.data())
def test_working_hours_between(data):
    new, reference = data.draw(calendars())
    a = data.draw(moments(new.periods))
    first, last = date.min + timedelta(days=800), date.max - timedelta(days=800)
    around = min(max(a.date(), first), last)  # up to two years away, past the calendar's ends too
    nearby = st.dates(min_value=around - timedelta(days=730), max_value=around + timedelta(days=730))
    b = data.draw(st.one_of(moments(new.periods, nearby), moments(new.periods), st.just(a)))
    if data.draw(st.booleans()):  # b a little after or before a: the same day, the next one, …
        four_days = 4 * 86_400_000_000
        b = a + timedelta(microseconds=data.draw(st.integers(min_value=-four_days, max_value=four_days)))
    same(new, reference, "working_hours_between", a, b)


# --- a grid around Tết 2026, every quarter of an hour --------------------------------------------------


@pytest.mark.parametrize("text", OFFICE_HOURS[:3])
def test_every_quarter_hour_around_tet(text):
    periods = parse_office_hours(text)
    exceptions = {date(2026, 2, 14): ExceptionKind.WORKING_DAY, date(2026, 2, 24): ExceptionKind.DAY_OFF}
    new, reference = WorkingCalendar(exceptions, periods), DayByDayCalendar(exceptions, periods)
    day = day_length(periods)
    lengths = [timedelta(minutes=30), timedelta(hours=3), timedelta(hours=4)]
    sizes = [timedelta(0), timedelta(microseconds=1), *lengths, day, day + timedelta(microseconds=1), 3 * day]
    start = datetime(2026, 2, 11, tzinfo=VN)
    for quarter in range(16 * 24 * 4):
        moment = start + timedelta(minutes=15 * quarter)
        assert new.next_opening(moment) == reference.next_opening(moment)
        for amount in sizes:
            assert new.add(moment, amount) == reference.add(moment, amount), (moment, amount)
        for other in (moment + timedelta(hours=7), moment + timedelta(days=3, minutes=20)):
            assert new.working_hours_between(moment, other) == reference.working_hours_between(moment, other)


def test_the_national_calendar_of_every_year():
    """The new calendar without exceptions says what ``is_national_working_day`` says, every day."""
    new = WorkingCalendar({}, parse_office_hours(OFFICE_HOURS[0]))
    day = date(FIRST_YEAR, 1, 1)
    while day.year <= LAST_YEAR:
        assert new.is_working_day(day) == is_national_working_day(day), day
        day += timedelta(days=1)


def test_the_exceptions_are_a_snapshot_and_a_calendar_pickles():
    exceptions = {date(2026, 3, 9): ExceptionKind.DAY_OFF}
    calendar = WorkingCalendar(exceptions)
    exceptions[date(2026, 3, 10)] = ExceptionKind.DAY_OFF  # the caller's dict is not the calendar's
    with pytest.raises(TypeError):
        calendar.exceptions[date(2026, 3, 11)] = ExceptionKind.DAY_OFF
    start = datetime(2026, 3, 6, 9, tzinfo=VN)
    assert calendar.add_working_time(start, days=2).due_at == datetime(2026, 3, 11, 9, tzinfo=VN)
    copy = pickle.loads(pickle.dumps(calendar))  # noqa: S301 (our own bytes)
    assert copy.exceptions == calendar.exceptions and copy.periods == calendar.periods
    assert copy.add_working_time(start, days=2) == calendar.add_working_time(start, days=2)
