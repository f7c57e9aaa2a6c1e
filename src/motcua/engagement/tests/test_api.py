"""The ratings API: ``/api/v1/dossiers/{code}/rating/`` (the applicant rates once and reads; the receiving
agency's officers read; anyone else gets the dossier's own 404) and ``/api/v1/ratings/`` (an officer's
list of their agencies' ratings), with the pages' permissions."""

import pytest

from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.fixtures import client_for
from motcua.engagement import services
from motcua.engagement.models import DossierRating

from .conftest import CRITERIA, data_of, send

pytestmark = pytest.mark.django_db
BODY = {"overall": 4, "criteria": CRITERIA, "comment": "Tốt"}


def url(dossier) -> str:
    return f"/api/v1/dossiers/{dossier.code}/rating/"


def test_the_applicant_rates_once_and_reads_it(returned, citizen, agency, procedure):
    api = client_for(citizen)
    assert api.get(url(returned)).status_code == 404  # not rated yet
    response = api.post(url(returned), BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["dossier"] == returned.code and body["agency"] == agency.code
    assert body["procedure"] == procedure.code and body["procedure_name"] == procedure.name
    assert (body["overall"], body["satisfied"], body["criteria"], body["comment"]) == (
        4,
        True,
        CRITERIA,
        "Tốt",
    )
    assert body["rated_at"] and body["overall_label"]
    assert api.get(url(returned)).json() == body
    again = api.post(url(returned), {**BODY, "overall": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409 and "already been rated" in again.json()["detail"]
    assert DossierRating.objects.get().overall == 4


def test_invalid_values_are_named_by_field(returned, citizen):
    body = {"overall": 6, "criteria": {**CRITERIA, "officers": "tốt", "result": None}, "comment": "x" * 2001}
    del body["criteria"]["access"]
    response = client_for(citizen).post(url(returned), body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"overall", "criteria", "comment"}
    assert set(errors["criteria"]) == {"access", "officers", "result"}
    assert errors["criteria"]["access"] == ["Choose a score from 1 to 5."]
    assert "whole number from 1" in errors["overall"][0]
    assert not DossierRating.objects.exists()


def test_too_early_is_a_conflict(in_progress, citizen):
    response = client_for(citizen).post(url(in_progress), BODY, format="json")
    assert response.status_code == 409 and not DossierRating.objects.exists()


def test_another_citizen_gets_404_as_for_the_dossier(returned, citizen, other_citizen):
    services.rate_dossier(returned, by=citizen, overall=3, criteria=CRITERIA)
    api = client_for(other_citizen)
    assert api.get(url(returned)).status_code == 404
    assert api.post(url(returned), BODY, format="json").status_code == 404
    assert api.get(f"/api/v1/dossiers/{returned.code}/").status_code == 404  # the dossier's own answer


def test_officers_of_the_agency_read_but_never_rate(returned, citizen, staff):
    services.rate_dossier(returned, by=citizen, overall=3, criteria=CRITERIA, comment="Bình thường")
    api = client_for(staff["specialist"])
    response = api.get(url(returned))
    assert response.status_code == 200 and response.json()["comment"] == "Bình thường"
    assert api.post(url(returned), BODY, format="json").status_code == 403


def test_an_officer_of_another_agency_gets_404(returned, citizen, other_staff):
    services.rate_dossier(returned, by=citizen, overall=3, criteria=CRITERIA)
    api = client_for(other_staff["desk"])
    assert api.get(url(returned)).status_code == 404
    assert api.post(url(returned), BODY, format="json").status_code == 404


def test_anonymous_callers_need_credentials(returned):
    from rest_framework.test import APIClient

    assert APIClient().get(url(returned)).status_code == 401


class TestAgencyList:
    @pytest.fixture
    def two(self, returned, citizen, other_citizen, procedure, online_form, other_agency, other_staff):
        mine = services.rate_dossier(returned, by=citizen, overall=2, criteria=CRITERIA, comment="Của xã Thử")
        dossier = send(other_citizen, procedure, data_of(other_citizen), agency=other_agency)
        dossier_services.refuse(dossier, by=other_staff["desk"], note="Không thuộc thẩm quyền.")
        theirs = services.rate_dossier(
            dossier, by=other_citizen, overall=5, criteria=CRITERIA, comment="Khác"
        )
        return mine, theirs

    def test_an_officer_lists_their_agencies_ratings_only(self, two, staff, other_agency, agency):
        mine, _theirs = two
        api = client_for(staff["desk"])
        body = api.get("/api/v1/ratings/").json()
        assert [r["dossier"] for r in body["results"]] == [mine.dossier.code]
        assert api.get(f"/api/v1/ratings/?agency={other_agency.code}").status_code == 404
        assert api.get(f"/api/v1/ratings/?agency={agency.code}").json()["count"] == 1
        assert api.get("/api/v1/ratings/?from=2000-01-01&to=2000-01-31").json()["count"] == 0
        assert api.get("/api/v1/ratings/?from=2000-02-01&to=2000-01-31").status_code == 400
        assert api.get("/api/v1/ratings/?from=hom-qua").status_code == 400

    def test_a_citizen_lists_nothing(self, two, citizen):
        assert client_for(citizen).get("/api/v1/ratings/").json()["count"] == 0
