"""API tokens: obtain, use, revoke; stored hashed; lockout and two-step verification apply."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.admin import ApiTokenAdmin
from motcua.accounts.models import ApiToken

from .conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def obtain(client, username, password=PASSWORD, **extra):
    return client.post(
        URL, {"username": username, "password": password, **extra}, content_type="application/json"
    )


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_obtain_use_and_revoke_a_token(client, citizen):
    response = obtain(client, citizen.username)
    assert response.status_code == 201
    token = response.json()["token"]
    assert len(token) >= 40
    stored = ApiToken.objects.get()
    assert stored.key_hash != token and token not in stored.key_hash and stored.prefix == token[:8]

    me = client.get(URL, **bearer(token))
    assert me.status_code == 200
    assert me.json()["username"] == citizen.username and me.json()["kind"] == "citizen"
    stored.refresh_from_db()
    assert stored.last_used_at is not None

    assert client.delete(URL, **bearer(token)).status_code == 204
    refused = client.get(URL, **bearer(token))
    assert refused.status_code == 401 and "detail" in refused.json()
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_password_gets_a_message(client, citizen):
    response = obtain(client, citizen.username, "wrong-password")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and body["errors"]["non_field_errors"]
    assert not ApiToken.objects.exists()


def test_missing_fields_are_named(client):
    response = client.post(URL, {}, content_type="application/json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"username", "password"}


def test_the_lockout_applies_to_the_api(client, citizen):
    codes = [obtain(client, citizen.username, "wrong").status_code for _ in range(5)]
    assert codes == [400, 400, 400, 400, 429]
    locked = obtain(client, citizen.username)
    assert locked.status_code == 429 and "detail" in locked.json()
    assert not ApiToken.objects.exists()


def test_an_unknown_or_malformed_token_is_refused(client):
    assert client.get(URL, **bearer("nope")).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer").status_code == 401
    assert client.get(URL).status_code == 401


def test_an_officer_needs_the_one_time_code(client, officer):
    assert obtain(client, officer.username).json()["errors"]["otp"]  # no device yet
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    assert obtain(client, officer.username).status_code == 400
    assert obtain(client, officer.username, otp=current_code(device)).status_code == 201


def test_session_login_still_works_for_the_api(client, citizen):
    client.force_login(citizen)
    assert client.get("/api/v1/procedures/").status_code == 200


def test_an_administrator_revokes_any_token(client, citizen, officer):
    token = obtain(client, citizen.username).json()["token"]
    admin = ApiTokenAdmin(ApiToken, site)
    request = RequestFactory().post("/admin/")
    request.user = officer
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    admin.revoke(request, ApiToken.objects.all())
    assert ApiToken.objects.get().revoked_at is not None
    assert client.get(URL, **bearer(token)).status_code == 401


def test_the_schema_documents_the_endpoint_and_bearer_scheme(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"} | {
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"]
    }
    assert {"post", "get", "delete"} <= set(schema["paths"]["/api/v1/auth/token/"])


def test_a_token_request_nested_beyond_the_parser_is_a_400(client):
    """100,000 nested brackets were a RecursionError (a server error) before the JSON parser caught it."""
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]
