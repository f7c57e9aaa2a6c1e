"""The indicators as a reader sees them: numerator, denominator, rate and points, live as dossiers change."""

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.dossiers.models import Dossier
from motcua.stats import selectors
from motcua.stats.indicators import INDICATORS, Indicator
from motcua.stats.models import ScoreScheme
from motcua.stats.periods import Period, PeriodError
from motcua.stats.scope import Scope
from motcua.stats.scoring import DEFAULT_WEIGHTS, earned, validate_weights
from motcua.stats.services import save_scheme

DECEMBER = Period.of("month", 2026, 12)


def usual(world, times=1):
    """``times`` dossiers sent online and taken the usual way (received, proposed, approved, numbered)."""
    rng = random.Random(1)
    rng.random = lambda: 0.5
    made = [world.send(rng) for _ in range(times)]
    for dossier in made:
        for _ in range(5):
            world.step(dossier, rng)
    return [Dossier.objects.get(pk=d.pk) for d in made]


class TestLive:
    def test_a_dossier_received_counts_at_once(self, world):
        rng = random.Random(3)
        rng.random = lambda: 0.5
        dossier = world.send(rng)
        assert selectors.report(DECEMBER, now=world.clock.now).figures["received"] == 0  # sent, not received
        world.step(dossier, rng)
        figures = selectors.report(DECEMBER, now=world.clock.now).figures
        assert (figures["received"], figures["received_online"], figures["in_progress"]) == (1, 1, 1)

    def test_resolved_in_time_with_its_numerator_denominator_and_points(self, world):
        usual(world, 2)
        report = selectors.report(DECEMBER, now=world.clock.now)
        row = report.indicator("resolved_in_time")
        assert (row["numerator"], row["denominator"], row["rate"]) == (2, 2, 1.0)
        assert row["points"] == row["max_points"] == DEFAULT_WEIGHTS["resolved_in_time"]["points"]
        assert report.indicator("results_electronic")["rate"] == 1.0


class TestNotAvailable:
    def test_nothing_to_divide_is_no_rate_and_no_points_never_zero(self, world):
        report = selectors.report(DECEMBER, now=world.clock.now)
        row = report.indicator("petitions_on_time")  # no petition handled in the period
        assert (row["numerator"], row["denominator"], row["rate"], row["points"]) == (0, 0, None, None)
        satisfaction = next(g for g in report.groups if g["key"] == "satisfaction")
        assert satisfaction["available_points"] == 0  # no ratings either: nothing to score, not zero

    def test_an_indicator_without_data_in_motcua_has_no_rate_whatever_the_figures(self):
        missing = Indicator("x", "progress", "X", "x ÷ y", "received", "received", available=False)
        assert missing.rate({"received": 5}) is None

    def test_the_score_counts_only_the_points_available(self, world):
        usual(world)
        total = selectors.report(DECEMBER, now=world.clock.now).total
        assert total["available_points"] < total["max_points"] == 100
        assert total["score"] == round(100 * total["points"] / total["available_points"], 1)


class TestScoreSchemes:
    def test_every_indicator_has_default_points_and_the_groups_make_100(self):
        assert set(DEFAULT_WEIGHTS) == {i.key for i in INDICATORS}
        assert sum(w["points"] for w in DEFAULT_WEIGHTS.values()) == 100

    def test_a_threshold_gives_every_point_from_it(self):
        weight = {"points": 10, "full_at": 0.8, "zero_at": 0.2}
        assert [earned(r, weight) for r in (0.1, 0.2, 0.5, 0.8, 0.95)] == [0, 0, 5.0, 10, 10]
        assert earned(None, weight) is None

    def test_a_new_scheme_applies_from_its_date(self, world):
        usual(world)
        weights = {**DEFAULT_WEIGHTS, "resolved_in_time": {"points": 20, "full_at": 1.0, "zero_at": 0.0}}
        save_scheme(ScoreScheme(name="Quy định mới", effective_from=date(2027, 1, 1), weights=weights))
        assert (
            selectors.report(DECEMBER, now=world.clock.now).indicator("resolved_in_time")["max_points"] == 12
        )
        assert selectors.weights_on(date(2027, 1, 1))["resolved_in_time"]["points"] == 20

    @pytest.mark.parametrize(
        "weights",
        [
            [],
            {"resolved_in_time": {"points": 1, "full_at": 1, "zero_at": 0}},
            {**DEFAULT_WEIGHTS, "made_up": {"points": 1, "full_at": 1, "zero_at": 0}},
            {**DEFAULT_WEIGHTS, "dossiers_online": {"points": 5, "full_at": 0.2, "zero_at": 0.5}},
            {**DEFAULT_WEIGHTS, "dossiers_online": {"points": "many", "full_at": 1, "zero_at": 0}},
        ],
    )
    def test_weights_that_cannot_score_are_refused(self, weights):
        with pytest.raises(ValidationError):
            validate_weights(weights)


class TestPeriods:
    def test_the_kinds_of_period(self):
        assert Period.of("quarter", 2026, 2) == Period(date(2026, 4, 1), date(2026, 6, 30), "quarter")
        assert Period.of("half", 2026).end == date(2026, 6, 30)
        assert Period.of("nine_months", 2026).end == date(2026, 9, 30)
        assert Period.of("month", 2028, 2).end == date(2028, 2, 29)
        assert len(Period.of("year", 2026).months()) == 12

    @pytest.mark.parametrize(
        "args", [("month", 2026, 13), ("quarter", 2026, 0), ("week", 2026, 1), ("year", 1990)]
    )
    def test_impossible_periods_say_why(self, args):
        with pytest.raises(PeriodError):
            Period.of(*args)
        with pytest.raises(PeriodError):
            Period(date(2026, 2, 1), date(2026, 1, 1))


class TestGroups:
    def test_by_agency_each_commune_has_its_own(self, world):
        usual(world, 4)
        rows = selectors.grouped(DECEMBER, Scope(), "agency", now=world.clock.now)
        received = {r.label: r.figures["received"] for r in rows}
        assert sum(received.values()) == 4
        by_channel = selectors.grouped(DECEMBER, Scope(), "channel", now=world.clock.now)
        assert [r.key for r in by_channel] == ["online"]
        assert by_channel[0].figures["procedures"] == selectors.report(DECEMBER).figures["procedures"]

    def test_by_month(self, world):
        usual(world)
        rows = selectors.grouped(Period.of("quarter", 2026, 4), Scope(), "month", now=world.clock.now)
        assert [r.label for r in rows] == ["10/2026", "11/2026", "12/2026"]
        assert [r.figures["received"] for r in rows] == [0, 0, 1]
