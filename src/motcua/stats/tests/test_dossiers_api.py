"""``GET /api/v1/stats/dossiers/``: the dossiers behind a figure, for officers, never another agency's."""

import random
from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from motcua.accounts.models import OfficerRole, User
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import PASSWORD, client_for, make_officer
from motcua.stats import selectors
from motcua.stats.behind import FIGURES, dossier_ids
from motcua.stats.periods import Period
from motcua.stats.scope import Scope
from motcua.stats.tests.conftest import World

URL = "/api/v1/stats/dossiers/"
DECEMBER = Period.of("month", 2026, 12)
QUERY = {"from": "2026-12-01", "to": "2026-12-31"}


def populate(world: World, seed: int = 7, rounds: int = 6) -> list[Dossier]:
    """Dossiers of both communes taken a random way through the real services, over a week of December."""
    rng = random.Random(seed)
    dossiers = []
    for _ in range(rounds):
        dossiers += [world.send(rng) for _ in range(2)]
        for dossier in dossiers:
            if rng.random() < 0.8:
                world.step(dossier, rng)
        world.clock.now += timedelta(hours=rng.choice([2, 20]))
    assert world.clock.now.date() <= date(2026, 12, 31)
    for agency in world.agencies:  # the seed gives each commune figures of its own
        assert selectors.report(DECEMBER, Scope(agency_id=agency.pk), world.clock.now).figures["received"]
    return dossiers


def expected_codes(world, figure, agency) -> set[str]:
    """What the figure counts, straight from ``behind``: the list must give exactly these."""
    ids = dossier_ids(figure, DECEMBER, Scope(agency_id=agency.pk), world.clock.now)
    return set(Dossier.objects.filter(pk__in=ids).values_list("code", flat=True))


def every_page(api, query) -> list[dict]:
    rows, page = [], 1
    while True:
        body = api.get(URL, {**query, "page": page, "page_size": 3}).json()
        rows += body["results"]
        if not body["next"]:
            assert body["count"] == len(rows)
            return rows
        page += 1


@pytest.fixture
def busy(world):
    populate(world)
    return world


def test_an_officer_gets_exactly_the_dossiers_behind_each_figure_of_their_agency(busy):
    agency = busy.agencies[0]
    api = client_for(busy.staff[agency.pk][OfficerRole.SPECIALIST])
    report = selectors.report(DECEMBER, Scope(agency_id=agency.pk), busy.clock.now)
    checked = 0
    for figure in FIGURES:
        rows = every_page(api, {**QUERY, "figure": figure})  # the agency defaults to the officer's unit
        codes = {row["code"] for row in rows}
        assert len(rows) == len(codes) == (report.figures[figure] or 0), figure
        assert codes == expected_codes(busy, figure, agency), figure
        assert {row["agency"]["code"] for row in rows} <= {agency.code}, figure
        checked += bool(rows)
    assert checked >= 5  # the scenario gave most figures something to list


def test_another_agencys_dossiers_are_forbidden(busy):
    agency, other = busy.agencies
    api = client_for(busy.staff[agency.pk][OfficerRole.LEADER])
    for value in (other.code, other.slug):
        answer = api.get(URL, {**QUERY, "figure": "received", "agency": value})
        assert answer.status_code == 403
        assert "results" not in answer.json()
    # Its own figure never carries a dossier of the other commune.
    codes = {row["code"] for row in every_page(api, {**QUERY, "figure": "received", "agency": agency.code})}
    assert codes and not codes & expected_codes(busy, "received", other)


def test_anonymous_and_citizens_get_nothing(busy):
    assert APIClient().get(URL, {"figure": "received"}).status_code in (401, 403)
    answer = client_for(busy.citizen).get(URL, {"figure": "received"})
    assert answer.status_code == 403


def test_a_system_administrator_sees_the_province(busy):
    admin = User.objects.create_superuser("quan.tri", password=PASSWORD, otp_exempt=True)
    api = client_for(admin)
    codes = {row["code"] for row in every_page(api, {**QUERY, "figure": "received"})}
    assert codes == expected_codes(busy, "received", busy.agencies[0]) | expected_codes(
        busy, "received", busy.agencies[1]
    )


def test_a_parent_agencys_leader_asks_for_the_agencies_below_but_sees_only_their_own_dossiers(busy):
    agency, other = busy.agencies
    other.parent = agency
    other.save(update_fields=["parent"])
    leader = busy.staff[agency.pk][OfficerRole.LEADER]
    api = client_for(leader)
    below = {row["code"] for row in every_page(api, {**QUERY, "figure": "received", "agency": other.code})}
    assert below == set()  # the figure counts the commune below; its dossiers are not the leader's to open
    whole = every_page(api, {**QUERY, "figure": "received", "agency": agency.code})
    assert {row["code"] for row in whole} == expected_codes(busy, "received", agency) - expected_codes(
        busy, "received", other
    )
    direct = every_page(api, {**QUERY, "figure": "received", "agency": agency.code, "direct": "true"})
    assert {row["code"] for row in direct} == {row["code"] for row in whole}
    # A desk officer of the parent opens its own figures only, not the commune below.
    desk = client_for(make_officer("motcua.cha", agency, role=OfficerRole.DESK))
    assert desk.get(URL, {**QUERY, "figure": "received", "agency": other.code}).status_code == 403


@pytest.mark.parametrize(
    "query, field",
    [
        ({}, "figure"),
        ({"figure": "weather"}, "figure"),
        ({"figure": "received", "from": "2026-13-01"}, "from"),
        ({"figure": "received", "from": "2026-12-31", "to": "2026-12-01"}, "from"),
        ({"figure": "received", "agency": "không-có"}, "agency"),
        ({"figure": "received", "procedure": "0.000000"}, "procedure"),
        ({"figure": "received", "page": "0"}, "page"),
    ],
)
def test_a_bad_query_says_which_field(world, query, field):
    api = client_for(world.staff[world.agencies[0].pk][OfficerRole.DESK])
    answer = api.get(URL, query)
    assert answer.status_code == 400
    assert field in answer.json()["errors"]


def test_the_schema_documents_it(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "figure",
        "from",
        "to",
        "agency",
        "sector",
        "procedure",
        "direct",
        "page",
        "page_size",
    }
    assert "group_by" not in {p["name"] for p in operation["parameters"]}
    assert {"200", "400", "403"} <= set(operation["responses"])
