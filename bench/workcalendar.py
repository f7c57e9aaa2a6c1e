#!/usr/bin/env python
"""Working-time arithmetic benchmark: the calendar's tables against the day-by-day reference, in one run.

No server and no data beyond one table: it sets Django up with the default SQLite settings in a temporary
folder, creates the working calendar's table (``migrate workcalendar``), records a few exceptions, and
measures, in microseconds per call (the best of ``--repeat`` rounds over ``--starts`` reception moments
spread over 2026, inside and outside office hours):

- ``WorkingCalendar.add`` of 1, 5, 15 and 60 working days, from where the count of the reception starts;
- ``WorkingCalendar.working_hours_between`` over 20 calendar days;
- a calendar built for one call then ``add_working_time`` of 3 working days (no query): what each public
  function does after its query;
- the module function ``add_working_time`` (3 working days): its query, a new calendar, the computation.

The reference is ``motcua.workcalendar.tests.reference.DayByDayCalendar`` (the arithmetic before the
tables), given the same exceptions; the reference module function is the old one: the same query, then
the day-by-day calendar. The last column is reference / new.

    .venv/bin/python bench/workcalendar.py [--starts 500] [--repeat 5]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    os.environ["MOTCUA_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.workcalendar import services
    from motcua.workcalendar.models import ExceptionKind

    call_command("migrate", "workcalendar", verbosity=0)
    # A year's worth of an administrator's exceptions: a provincial day off, a make-up Saturday, a swap.
    services.set_exception(date(2026, 3, 9), ExceptionKind.DAY_OFF, "Ngày nghỉ của tỉnh")
    services.set_exception(date(2026, 3, 7), ExceptionKind.WORKING_DAY, "Làm bù")
    services.set_exception(date(2026, 12, 31), ExceptionKind.DAY_OFF, "Hoán đổi ngày làm việc")


def receptions(count: int, tz) -> list[datetime]:
    """Reception moments over 2026, any day, any minute from 06:00 to 20:00 (so some outside hours)."""
    rng = random.Random(2026)
    first = datetime(2026, 1, 1, 6, tzinfo=tz)
    return [first + timedelta(days=rng.randrange(365), minutes=rng.randrange(14 * 60)) for _ in range(count)]


def per_call(function, inputs: list, repeat: int) -> float:
    """Microseconds per call of ``function(x)`` over ``inputs``: the best of ``repeat`` rounds."""
    for x in inputs[:20]:  # warm the caches the process keeps (the national tables)
        function(x)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for x in inputs:
            function(x)
        best = min(best, time.perf_counter() - started)
    return best / len(inputs) * 1e6


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--starts", type=int, default=500, help="reception moments per measurement")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per measurement; the best counts")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="motcua-bench-calendar-") as var_dir:
        setup(var_dir)
        from django.db import connection

        from motcua.workcalendar import selectors
        from motcua.workcalendar.tests.reference import DayByDayCalendar

        new = selectors.working_calendar()
        reference = DayByDayCalendar(new.exceptions)
        starts = receptions(args.starts, new.tz)
        counted = [new.counted_from(start) for start in starts]
        assert counted == [reference.counted_from(start) for start in starts]
        exceptions = dict(new.exceptions)

        def old_add_working_time(start, **amount):
            """The module function as it was: one query, then the day-by-day calendar."""
            since = selectors.local(start).date()
            return DayByDayCalendar(selectors._exceptions(since=since)).add_working_time(start, **amount)

        rows = []
        for n in (1, 5, 15, 60):
            amount = selectors.working_time(days=n)
            rows.append(
                (
                    f"add, {n} working day{'s' if n > 1 else ''}",
                    counted,
                    lambda c, amount=amount: new.add(c, amount),
                    lambda c, amount=amount: reference.add(c, amount),
                )
            )
        rows.append(
            (
                "working_hours_between, 20 days",
                starts,
                lambda s: new.working_hours_between(s, s + timedelta(days=20)),
                lambda s: reference.working_hours_between(s, s + timedelta(days=20)),
            )
        )
        rows.append(
            (
                "new calendar + add_working_time, 3 days",
                starts,
                lambda s: selectors.WorkingCalendar(exceptions).add_working_time(s, days=3),
                lambda s: DayByDayCalendar(exceptions).add_working_time(s, days=3),
            )
        )
        rows.append(
            (
                "module add_working_time, 3 days (1 query)",
                starts,
                lambda s: selectors.add_working_time(s, days=3),
                lambda s: old_add_working_time(s, days=3),
            )
        )

        print(f"{'µs per call':<44}{'tables':>10}{'day by day':>12}{'ratio':>9}")
        for name, inputs, ours, theirs in rows:
            assert [ours(x) for x in inputs] == [theirs(x) for x in inputs], name
            fast, slow = per_call(ours, inputs, args.repeat), per_call(theirs, inputs, args.repeat)
            print(f"{name:<44}{fast:>10.2f}{slow:>12.2f}{slow / fast:>8.1f}×", flush=True)
        print(f"({len(starts)} receptions over 2026, best of {args.repeat} rounds; {connection.vendor})")


if __name__ == "__main__":
    main()
