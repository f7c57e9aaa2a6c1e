"""``GET /api/v1/stats/indicators/``: public, each indicator with numerator, denominator, rate and points."""

import random

import pytest
from django.utils import translation
from rest_framework.test import APIClient

URL = "/api/v1/stats/indicators/"


@pytest.fixture
def api():
    return APIClient()


def test_the_province_for_a_period(world, api):
    rng = random.Random(1)
    rng.random = lambda: 0.5
    dossier = world.send(rng)
    world.step(dossier, rng)
    answer = api.get(URL, {"from": "2026-12-01", "to": "2026-12-31"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["from"], body["to"]) == ("2026-12-01", "2026-12-31")
    online = next(i for i in body["indicators"] if i["key"] == "dossiers_online")
    assert (online["numerator"], online["denominator"], online["rate"]) == (1, 1, 1.0)
    assert online["points"] == online["max_points"] == 10
    assert {g["key"] for g in body["groups"]} == {
        "publicity",
        "progress",
        "digitisation",
        "online",
        "satisfaction",
    }


def test_grouped_by_agency_rolled_up(world, api):
    agency = world.agencies[0]
    body = api.get(
        URL, {"from": "2026-12-01", "to": "2026-12-31", "group_by": "agency", "agency": agency.code}
    )
    assert body.status_code == 200
    assert [row["label"] for row in body.json()["breakdown"]] in ([], [agency.name])


@pytest.mark.parametrize(
    "query, field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-12-31", "to": "2026-12-01"}, "from"),
        ({"agency": "không-có"}, "agency"),
        ({"sector": "không-có"}, "sector"),
        ({"procedure": "0.000000"}, "procedure"),
        ({"group_by": "weather"}, "group_by"),
    ],
)
def test_a_bad_query_says_which_field(db, api, query, field):
    with translation.override("vi"):
        answer = api.get(URL, query, HTTP_ACCEPT_LANGUAGE="vi")
    assert answer.status_code == 400
    assert field in answer.json().get("errors", answer.json()) or field in str(answer.json())


def test_the_schema_documents_it(db, api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "from",
        "to",
        "agency",
        "sector",
        "procedure",
        "group_by",
    }
