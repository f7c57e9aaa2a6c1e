"""The forms API: the published form of a procedure, and checking data against it."""

import pytest

from .conftest import SCHEMA, UI, VALID

pytestmark = pytest.mark.django_db


def test_the_published_form_with_its_components(client, form, component_ids):
    response = client.get("/api/v1/procedures/9.100001/form/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1 and body["schema"] == SCHEMA and body["ui"] == UI
    assert body["components"][1] == {
        "id": component_ids[2],
        "order": 2,
        "name": "Giấy chứng sinh",
        "required": True,
        "copies": {"originals": 1, "certified_copies": 0, "photocopies": 0},
        "field": "birth_certificate",
    }
    assert [c["field"] for c in body["components"]] == [None, "birth_certificate", "authorisation"]


def test_no_form_or_no_procedure_is_a_json_404(client, procedure, form):
    for url in ("/api/v1/procedures/9.999999/form/", "/api/v1/procedures/9.999999/form/validate/"):
        response = (
            client.get(url)
            if url.endswith("form/")
            else client.post(url, {}, content_type="application/json")
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Thủ tục 9.999999 không có biểu mẫu điện tử."}
    form.procedure.is_active = False
    form.procedure.save()
    assert client.get("/api/v1/procedures/9.100001/form/").status_code == 404


def test_a_draft_is_not_served_the_generic_form_is_until_the_draft_is_published(client, procedure):
    from motcua.forms import services
    from motcua.forms.models import OnlineForm

    draft = OnlineForm.objects.create(procedure=procedure, version=1, schema=SCHEMA, ui=UI)
    body = client.get("/api/v1/procedures/9.100001/form/").json()
    assert (body["kind"], body["version"]) == ("generic", 2)
    assert [c["field"] for c in body["components"]] == ["paper_1", "paper_2", "paper_3"]

    services.publish(draft)
    body = client.get("/api/v1/procedures/9.100001/form/").json()
    assert (body["kind"], body["version"], body["schema"]) == ("bespoke", 1, SCHEMA)


def test_a_procedure_not_offering_online_submission_has_no_form(client, db):
    from motcua.catalog.tests.factories import make_procedure

    make_procedure(
        code="9.100002",
        methods=[{"channel": "in_person", "processing_time": "3", "time_unit": "working_day"}],
    )
    assert client.get("/api/v1/procedures/9.100002/form/").status_code == 404
    assert client.get("/api/v1/procedures/9.100002/").json()["online_submission"] is False


def test_the_catalogue_record_keeps_its_own_address(client, form):
    assert client.get("/api/v1/procedures/9.100001/").json()["code"] == "9.100001"


def test_validate_answers_valid_or_the_errors_by_field_path(client, form):
    url = "/api/v1/procedures/9.100001/form/validate/"
    response = client.post(url, {"data": VALID}, content_type="application/json")
    assert (response.status_code, response.json()) == (200, {"valid": True})

    bad = {**VALID, "children": [{"birth_date": "2020-01-01"}], "phone": "123"}
    response = client.post(url, {"data": bad}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "children.0.full_name": ["Fill in this field."],
        "phone": ["Enter a Vietnamese phone number, e.g. 0912345678 or +84912345678."],
    }
    response = client.post(url, {"data": bad}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.json()["errors"]["children.0.full_name"] == ["Vui lòng điền mục này."]


def test_validate_checks_files_when_told_which_components_have_one(client, form, component_ids):
    url = "/api/v1/procedures/9.100001/form/validate/"
    response = client.post(
        url, {"data": VALID, "files": []}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["errors"] == {"birth_certificate": ["Attach this paper."]}
    response = client.post(url, {"data": VALID, "files": [component_ids[2]]}, content_type="application/json")
    assert response.status_code == 200


def test_validate_without_data_is_a_400(client, form):
    response = client.post("/api/v1/procedures/9.100001/form/validate/", {}, content_type="application/json")
    assert response.status_code == 400 and "data" in response.json()["errors"]


def test_administrative_units(client):
    provinces = client.get("/api/v1/administrative-units/").json()
    assert len(provinces) == 35 and provinces[0]["name"] == "Tỉnh Hải Đông"
    assert len(provinces[0]["communes"]) == 9


def test_the_openapi_schema_describes_the_form_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert "/api/v1/procedures/{code}/form/" in paths and "/api/v1/procedures/{code}/form/validate/" in paths
