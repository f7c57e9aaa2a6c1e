"""The API's throttles: per account, per address for anonymous calls, stricter for the POSTs that create
something; a 429 in JSON with Retry-After; rates from the environment. Tiny rates, the cache emptied by the
project's conftest before and after each test."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from rest_framework.test import APIClient

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.fixtures import client_for, make_officer, pdf_bytes, upload
from motcua.settings import env_rate

UNITS = "/api/v1/administrative-units/"  # public, not cached: every call reaches the throttles


@pytest.fixture
def rates(settings):
    def set_rates(anon="1000/min", user="1000/min", create="1000/min"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user, "create": create},
        }

    return set_rates


def anonymous(ip: str) -> APIClient:
    return APIClient(REMOTE_ADDR=ip)


def test_drafts_past_the_create_rate_get_a_429_in_json(rates, citizen, procedure, online_form):
    rates(create="3/min")
    client = client_for(citizen)
    for _ in range(3):
        assert client.post("/api/v1/dossiers/", {"procedure": procedure.code}).status_code == 201
    with translation.override("en"):
        refused = client.post("/api/v1/dossiers/", {"procedure": procedure.code}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json() == {"detail": f"Too many requests. Please try again in {wait} seconds."}
    assert Dossier.objects.filter(applicant=citizen).count() == 3
    # Reading is not creating: the list still answers.
    assert client.get("/api/v1/dossiers/").status_code == 200


def test_the_429_speaks_vietnamese_by_default(rates, citizen, procedure, online_form):
    rates(create="1/min")
    client = client_for(citizen)
    client.post("/api/v1/dossiers/", {"procedure": procedure.code})
    refused = client.post("/api/v1/dossiers/", {"procedure": procedure.code})
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Quá nhiều yêu cầu")


def test_uploads_count_under_the_create_rate(rates, citizen, procedure, online_form):
    rates(create="2/min")
    client = client_for(citizen)
    draft = client.post("/api/v1/dossiers/", {"procedure": procedure.code}).json()
    url = f"/api/v1/dossiers/{draft['id']}/attachments/"
    first = client.post(url, {"component": 1, "file": upload(pdf_bytes())}, format="multipart")
    assert first.status_code == 201, first.json()
    refused = client.post(url, {"component": 2, "file": upload(pdf_bytes())}, format="multipart")
    assert refused.status_code == 429
    assert Dossier.objects.get(uuid=draft["id"]).attachments.count() == 1


def test_the_create_rate_is_per_account(rates, citizen, other_citizen, procedure, online_form):
    rates(create="1/min")
    first, second = client_for(citizen), client_for(other_citizen)  # same address
    assert first.post("/api/v1/dossiers/", {"procedure": procedure.code}).status_code == 201
    assert first.post("/api/v1/dossiers/", {"procedure": procedure.code}).status_code == 429
    assert second.post("/api/v1/dossiers/", {"procedure": procedure.code}).status_code == 201


def test_minting_tokens_is_limited_per_address(rates, citizen):
    rates(create="2/min")
    body = {"username": citizen.username, "password": "wrong-password"}
    here, elsewhere = anonymous("203.0.113.7"), anonymous("203.0.113.8")
    assert [here.post("/api/v1/auth/token/", body).status_code for _ in range(3)] == [400, 400, 429]
    assert elsewhere.post("/api/v1/auth/token/", body).status_code == 400


def test_anonymous_calls_are_counted_per_address(rates):
    rates(anon="2/min")
    here, elsewhere = anonymous("198.51.100.1"), anonymous("198.51.100.2")
    assert [here.get(UNITS).status_code for _ in range(3)] == [200, 200, 429]
    assert elsewhere.get(UNITS).status_code == 200


def test_signed_in_calls_are_counted_per_account_wherever_they_come_from(rates, agency):
    rates(anon="1/min", user="2/min")
    officer = make_officer("motcua.nhanh", agency)
    client = client_for(officer)
    assert client.get(UNITS, REMOTE_ADDR="198.51.100.1").status_code == 200
    assert client.get(UNITS, REMOTE_ADDR="198.51.100.2").status_code == 200  # not the anonymous rate
    assert client.get(UNITS, REMOTE_ADDR="198.51.100.3").status_code == 429
    assert anonymous("198.51.100.1").get(UNITS).status_code == 200  # the address is not blamed


def test_the_address_comes_from_one_function(rates, monkeypatch):
    from motcua.api import throttling

    rates(anon="1/min")
    monkeypatch.setattr(throttling, "client_ip", lambda request: "192.0.2.50")
    assert anonymous("198.51.100.1").get(UNITS).status_code == 200
    assert anonymous("198.51.100.2").get(UNITS).status_code == 429  # the same client for the function


def test_an_empty_rate_turns_a_scope_off(rates, citizen, procedure, online_form):
    rates(create=None)
    client = client_for(citizen)
    answers = [client.post("/api/v1/dossiers/", {"procedure": procedure.code}) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [201] * 5


@pytest.mark.parametrize("url", ["/api/v1/tracking/H26-X/", "/api/v1/verify/ABCD-EFGH/"])
def test_the_look_up_limits_answer_in_one_language(settings, db, url):
    settings.MOTCUA_TRACKING_RATE = settings.MOTCUA_VERIFY_RATE = 1
    client = anonymous("198.51.100.9")
    client.get(url)
    refused = client.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    # Before, DRF added its English "Expected available in N seconds." to the Vietnamese message.
    assert refused.json() == {"detail": "Tra cứu quá nhiều lần; vui lòng thử lại sau một phút."}


def test_rates_from_the_environment(monkeypatch):
    monkeypatch.setenv("MOTCUA_API_RATE_CREATE", "5/h")
    assert env_rate("MOTCUA_API_RATE_CREATE", "20/min") == "5/h"
    monkeypatch.setenv("MOTCUA_API_RATE_CREATE", "off")
    assert env_rate("MOTCUA_API_RATE_CREATE", "20/min") is None
    monkeypatch.delenv("MOTCUA_API_RATE_CREATE")
    assert env_rate("MOTCUA_API_RATE_CREATE", "20/min") == "20/min"
    for wrong in ("fast", "²/min", "10/week", "-1/min"):
        monkeypatch.setenv("MOTCUA_API_RATE_CREATE", wrong)
        with pytest.raises(ImproperlyConfigured):
            env_rate("MOTCUA_API_RATE_CREATE", "20/min")
