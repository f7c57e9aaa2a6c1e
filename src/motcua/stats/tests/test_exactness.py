"""The facts kept as dossiers change equal a count straight over the dossier table (issue 11).

Dossiers are generated at random (seeded: a failure names its seed) and taken through the real services:
sent online or handed in at the desk or by post, refused, withdrawn, received, paused for supplements and
payments, granted (signed) or not, stopped, returned and rated, over several weeks that cross a month, the
year's end and the New Year holiday; meanwhile an agency moves in the tree. After every few steps, and at the
end, the daily facts must equal ``recount.direct_counts()``; ``rebuild_stats`` must give the same facts; and
the agency report must roll up along the tree as it stands. Runs on SQLite and PostgreSQL alike.
"""

import random
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from motcua.dossiers.models import Dossier, DossierAction
from motcua.stats import figures, recount, selectors
from motcua.stats.models import MEASURES, MONTH_END_MEASURES, DailyFact, MonthlyFact
from motcua.stats.periods import Period
from motcua.stats.scope import Scope

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def kept(model=DailyFact, when="day", measures=MEASURES) -> dict:
    facts = {}
    for fact in model.objects.all():
        counts = Counter({m: getattr(fact, m) for m in measures if getattr(fact, m)})
        if counts:
            facts[(getattr(fact, when), fact.agency_id, fact.procedure_id, fact.channel)] = counts
    return facts


def by_month(facts: dict) -> dict:
    months: dict = {}
    for (day, *rest), counts in facts.items():
        months.setdefault((day.replace(day=1), *rest), Counter()).update(counts)
    return months


def assert_exact(when: str):
    direct = recount.direct_counts()
    facts = kept()
    wrong = {
        k: (facts.get(k), direct.get(k))
        for k in facts.keys() | direct.keys()
        if facts.get(k) != direct.get(k)
    }
    assert not wrong, f"{when}: kept facts differ from the direct count (kept, direct): {wrong}"
    assert kept(MonthlyFact, "month") == by_month(facts), f"{when}: monthly facts differ from the daily ones"


@pytest.mark.parametrize("seed", [11, 2026])
def test_kept_facts_equal_a_direct_count(world, seed):
    rng = random.Random(seed)
    dossiers = []
    for round_ in range(14):
        for _ in range(rng.randint(1, 3)):
            dossiers.append(world.send(rng))
        for dossier in dossiers:
            if rng.random() < 0.7:
                world.step(dossier, rng)
        # From 30 minutes to 4 days later (nights, week-ends and the holiday included).
        world.clock.now += timedelta(minutes=rng.choice([30, 150, 60 * 20, 60 * 50, 60 * 96]))
        if round_ == 7:
            # The second commune moves under the first: their figures roll up together from now on.
            world.agencies[1].parent = world.agencies[0]
            world.agencies[1].save(update_fields=["parent"])
        if round_ % 5 == 4:
            assert_exact(f"seed {seed}, round {round_}")
    assert_exact(f"seed {seed}, at the end")

    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert len(statuses) >= 5, f"seed {seed} explored too little: {statuses}"
    assert world.clock.now.date() > date(2027, 1, 1)

    # A month that has ended: "in progress" at its end from the monthly facts equals the ledger's count.
    months = Period(date(2026, 11, 1), world.clock.now.date())
    for first in months.months()[:-1]:
        month = Period.of("month", first.year, first.month)
        for group_by in (None, "agency"):
            kept_ends = figures.in_progress(month, Scope(), group_by, world.clock.now)
            assert kept_ends == figures.in_progress_from_ledger(month, Scope(), group_by, world.clock.now)
        by_month = figures.in_progress(months, Scope(), "month", world.clock.now)
        assert by_month[first] == figures.in_progress_from_ledger(month, Scope(), None, world.clock.now)[None]

    before, months = kept(), kept(MonthlyFact, "month", MEASURES + MONTH_END_MEASURES)
    call_command("rebuild_stats", verbosity=0)
    assert kept() == before and kept(MonthlyFact, "month", MEASURES + MONTH_END_MEASURES) == months

    # Rolled up along the tree as it stands: the first commune's report counts the second's dossiers.
    year = Period(date(2026, 12, 1), date(2027, 3, 31))
    first = selectors.report(year, Scope(agency_id=world.agencies[0].pk), now=world.clock.now)
    received = Dossier.objects.filter(events__action__in=[DossierAction.RECEIVE, DossierAction.REGISTER])
    assert first.figures["received"] == received.distinct().count()
    whole = selectors.report(year, Scope(), now=world.clock.now)
    assert whole.figures == first.figures


def test_a_dossier_counts_on_the_day_of_each_event(world):
    rng = random.Random(5)
    rng.random = lambda: 0.5  # the usual way: sent online, received, proposed, approved
    dossier = world.send(rng)
    world.clock.now = datetime(2026, 12, 31, 16, 0, tzinfo=VN)
    world.step(dossier, rng)  # received on 31 December
    world.clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=VN)  # 1 January is a holiday
    for _ in range(3):
        world.step(dossier, rng)  # assigned, proposed, approved
    december = selectors.report(Period.of("month", 2026, 12), now=world.clock.now).figures
    january = selectors.report(Period.of("month", 2027, 1), now=world.clock.now).figures
    assert (december["received"], january["received"]) == (1, 0)
    assert december["in_progress"] == 1  # at the end of December it was being processed
    assert january["in_progress"] == 1  # waiting for its number at the records office (not yet finished)
    world.step(dossier, rng)  # numbered: resolved in January
    january = selectors.report(Period.of("month", 2027, 1), now=world.clock.now).figures
    assert (january["resolved"], january["granted"], january["e_results"]) == (1, 1, 1)
    assert january["in_progress"] == 0
