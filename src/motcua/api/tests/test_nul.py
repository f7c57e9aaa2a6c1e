"""A NUL character anywhere in an API request (path, query string, JSON, form fields)
is a 400 that names where it is, before anything is looked up or stored: PostgreSQL keeps no NUL in text or
``jsonb`` and answered such requests with a server error (found by the fuzzing in test_fuzz.py's spirit:
paths such as /api/v1/tracking/a%00b/ were 500s on PostgreSQL); SQLite stored them."""

import json

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.fixtures import client_for, make_officer, pdf_bytes, upload


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


@pytest.fixture
def desk(agency):
    return client_for(make_officer("motcua.nul", agency))


def refused_at(response, where: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] and list(body["errors"]) == [where]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/procedures/1.001%00/"),
        ("get", "/api/v1/procedures/1.001%00/form/"),
        ("post", "/api/v1/procedures/1.001%00/form/validate/"),
        ("get", "/api/v1/tracking/H26%00/"),
        ("get", "/api/v1/verify/ABC%00/"),
    ],
)
def test_a_nul_in_a_public_path_is_a_400(db, method, url):
    refused_at(getattr(APIClient(), method)(url), "path")


@pytest.mark.parametrize(
    "url",
    ["/api/v1/dossiers/H26%00/", "/api/v1/dossiers/H26%00/actions/", "/api/v1/dossiers/H26%00/receipt/"],
)
def test_a_nul_in_a_dossier_path_is_a_400(citizen, url):
    refused_at(client_for(citizen).get(url), "path")


def test_a_nul_in_the_query_string_is_a_400_in_the_caller_s_language(db):
    response = APIClient().get("/api/v1/administrative-units/?x=%00", HTTP_ACCEPT_LANGUAGE="en")
    refused_at(response, "x")  # a parameter no view reads: before, ignored
    with translation.override("en"):
        assert response.json()["errors"]["x"] == ["Null characters are not allowed."]
    vietnamese = APIClient().get("/api/v1/dossiers/?st%00atus=1")
    refused_at(vietnamese, "status")
    assert vietnamese.json()["errors"]["status"] == ["Không được dùng ký tự rỗng (NUL)."]


def test_a_nul_inside_json_is_refused_and_nothing_changes(sent, desk):
    body = {"action": "request_supplement", "note": "Thiếu giấy", "papers": [{"name": "Giấy\x00 tờ"}]}
    response = desk.post(
        f"/api/v1/dossiers/{sent.code}/actions/", json.dumps(body), content_type="application/json"
    )
    refused_at(response, "papers")
    dossier = Dossier.objects.get(pk=sent.pk)
    assert (dossier.status, dossier.version) == (DossierStatus.SUBMITTED, sent.version)


def test_a_nul_in_a_json_key_is_refused(procedure, online_form):
    body = json.dumps({"data": {"full_name\x00": "x"}})  # before: checked against the form
    url = f"/api/v1/procedures/{procedure.code}/form/validate/"
    refused_at(APIClient().post(url, body, content_type="application/json"), "data")


def test_a_nul_in_a_form_field_name_is_refused(db):
    body = "username=a&password=b&na%00me=c"
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/x-www-form-urlencoded")
    refused_at(response, "name")
