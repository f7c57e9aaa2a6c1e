"""A period's flows read its whole months from the monthly facts and the days of a month it covers in part
from the daily facts (a year of a province: a few thousand rows, not one per day, agency, procedure and
channel). That both add up to the direct count is held by ``test_exactness`` and ``test_loadtest``."""

from datetime import date

from motcua.stats.figures import split
from motcua.stats.periods import Period


def test_a_period_is_split_into_whole_months_and_the_days_around_them():
    assert split(Period.of("year", 2026)) == ((date(2026, 1, 1), date(2026, 12, 1)), [])
    # The year so far: January to November whole, 1 to 7 December day by day.
    assert split(Period(date(2026, 1, 1), date(2026, 12, 7))) == (
        (date(2026, 1, 1), date(2026, 11, 1)),
        [(date(2026, 12, 1), date(2026, 12, 7))],
    )
    assert split(Period(date(2026, 1, 15), date(2026, 4, 30))) == (
        (date(2026, 2, 1), date(2026, 4, 1)),
        [(date(2026, 1, 15), date(2026, 1, 31))],
    )
    assert split(Period(date(2025, 12, 20), date(2026, 2, 10))) == (
        (date(2026, 1, 1), date(2026, 1, 1)),
        [(date(2025, 12, 20), date(2025, 12, 31)), (date(2026, 2, 1), date(2026, 2, 10))],
    )
    # No whole month in it: every day from the daily facts.
    no_month = Period(date(2026, 2, 3), date(2026, 3, 10))
    assert split(no_month) == (None, [(date(2026, 2, 3), date(2026, 3, 10))])
    assert split(Period(date(2024, 2, 1), date(2024, 2, 29))) == ((date(2024, 2, 1), date(2024, 2, 1)), [])


def test_the_procedures_counted_follow_every_change_of_the_catalogue(agency, procedure):
    """The procedures' flags are kept between requests, until the catalogue's revision changes."""
    from django.utils import timezone

    from motcua.catalog.tests.factories import make_procedure
    from motcua.stats.figures import catalogue
    from motcua.stats.scope import Scope

    this_year = Period.of("year", timezone.localdate().year)
    before = catalogue(this_year, Scope())[None]["procedures"]
    assert catalogue(this_year, Scope())[None]["procedures"] == before  # kept
    make_procedure(agencies=[agency], online_level=4)
    assert catalogue(this_year, Scope())[None]["procedures"] == before + 1
    procedure.is_active = False
    procedure.save()
    assert catalogue(this_year, Scope())[None]["procedures"] == before
