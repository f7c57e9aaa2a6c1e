"""The OpenAPI schema describes the answers the API really gives (each found by the fuzzing in test_fuzz.py):
a root agency's null parent, the 401 of operations that need credentials, the 406 of an Accept header that
allows no JSON, the 429 of the throttles, and the shape of a 400 for a body that is not JSON."""

import pytest
from rest_framework.test import APIClient

from motcua.catalog.tests.factories import make_agency

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
def schema(db):
    return APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def test_a_root_agency_s_parent_is_null_as_the_schema_says(schema):
    make_agency(code="000.00.00.H26", slug="ubnd-tinh", name="UBND tỉnh", level="province")
    assert APIClient().get("/api/v1/agencies/").json()[0]["parent"] is None
    assert schema["components"]["schemas"]["Agency"]["properties"]["parent"]["nullable"] is True


def test_every_operation_documents_the_429_and_those_that_need_credentials_the_401(schema):
    found = dict(operations(schema))
    assert all("429" in operation["responses"] for operation in found.values())
    assert "401" in found["GET /api/v1/dossiers/"]["responses"]
    assert "401" in found["DELETE /api/v1/auth/token/"]["responses"]
    assert "401" not in found["GET /api/v1/procedures/"]["responses"]
    assert "401" not in found["POST /api/v1/auth/token/"]["responses"]


def test_a_body_that_is_not_json_is_a_400_of_the_documented_shape(db):
    response = APIClient().post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["errors"] == {}


def test_an_accept_header_without_json_is_a_406_of_the_documented_shape(schema, db):
    assert all("406" in operation["responses"] for operation in dict(operations(schema)).values())
    response = APIClient().post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT="(iClyDx")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json" and response.json()["detail"]
