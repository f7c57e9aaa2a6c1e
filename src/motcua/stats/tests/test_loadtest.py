"""After ``manage.py seed_load`` the statistics show the seeded history (``stats.loadtest`` rebuilds them once
seeding has finished), exactly: the kept facts equal the direct count over the dossiers."""

from collections import Counter
from datetime import date

from motcua.dossiers.tests.seeding import seed, seed_world
from motcua.stats import selectors
from motcua.stats.figures import in_progress, in_progress_from_ledger
from motcua.stats.models import MEASURES, DailyFact, DossierLedger, MonthlyFact
from motcua.stats.periods import Period
from motcua.stats.recount import direct_counts
from motcua.stats.scope import Scope


def kept_facts(model=DailyFact, when="day") -> dict:
    facts = {}
    for fact in model.objects.all():
        counts = Counter({m: getattr(fact, m) for m in MEASURES if getattr(fact, m)})
        if counts:
            facts[(getattr(fact, when), fact.agency_id, fact.procedure_id, fact.channel)] = counts
    return facts


def test_seeded_history_is_counted_exactly(agency, procedure, time_machine_monday):
    seed_world(agency, procedure)
    printed = seed(dossiers=300, days=200, seed=6)
    assert "Statistics rebuilt: 300 dossiers" in printed

    assert DossierLedger.objects.count() == 300
    facts = kept_facts()
    assert facts == direct_counts()
    months: dict = {}
    for (day, *rest), counts in facts.items():
        months.setdefault((day.replace(day=1), *rest), Counter()).update(counts)
    assert kept_facts(MonthlyFact, "month") == months

    # Any period, whole months or not, adds up to the direct count of its days.
    for period in (Period.of("year", 2025), Period(date(2025, 9, 17), date(2026, 2, 11))):
        figures = selectors.report(period, now=time_machine_monday).figures
        direct = Counter()
        for (day, *_rest), counts in facts.items():
            if period.start <= day <= period.end:
                direct.update(counts)
        assert {m: figures[m] for m in MEASURES} == {m: direct[m] for m in MEASURES}

    # "In progress" at each past month's end, from the monthly facts, equals the ledger's count.
    for first in Period(date(2025, 8, 1), date(2026, 2, 1)).months():
        month = Period.of("month", first.year, first.month)
        for group_by in (None, "agency", "procedure"):
            kept_ends = in_progress(month, Scope(), group_by, time_machine_monday)
            assert kept_ends == in_progress_from_ledger(month, Scope(), group_by, time_machine_monday)
    assert any(fact.open_at_end for fact in MonthlyFact.objects.all())
    # By month, the months that have ended at once: the same, month by month.
    year = Period(date(2025, 6, 1), date(2026, 3, 2))
    by_month = in_progress(year, Scope(), "month", time_machine_monday)
    for first, values in by_month.items():
        month = Period(first, min(Period.of("month", first.year, first.month).end, year.end))
        assert values == in_progress_from_ledger(month, Scope(), None, time_machine_monday)[None], first

    figures = selectors.report(Period.of("year", 2025), now=time_machine_monday).figures
    for name in ("received", "resolved", "digitised", "reused", "with_fee", "paid_online", "ratings"):
        assert figures[name] > 0, name
    assert figures["paid_online"] <= figures["with_fee"] <= figures["received"]
    assert figures["ratings_satisfied"] <= figures["ratings"] <= figures["resolved"]
