"""National e-ID login against a real OIDC provider on 127.0.0.1 (no mocks of the protocol)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from motcua.accounts.models import CitizenProfile, ExternalIdentity, SecurityEvent, User

from .oidc_provider import LoopbackProvider

pytestmark = pytest.mark.django_db

CLAIMS = {
    "personal_id": "001190012345",
    "name": "Phạm Thu Hà",
    "birthdate": "1990-03-08",
    "email": "ha.vneid@example.com",
    "email_verified": True,
    "phone_number": "+84912000111",
}


@pytest.fixture
def provider(settings):
    with LoopbackProvider() as running:
        running.claims = dict(CLAIMS)
        settings.MOTCUA_OIDC_ISSUER = running.issuer
        settings.MOTCUA_OIDC_CLIENT_ID = running.client_id
        settings.MOTCUA_OIDC_CLIENT_SECRET = running.client_secret
        yield running


def start(client):
    response = client.get("/tai-khoan/dinh-danh/")
    assert response.status_code == 302
    return response["Location"]


def approve(authorize_url: str) -> str:
    """The browser at the provider: it approves at once and sends the browser back with a code."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def oidc_login(client):
    return client.get(approve(start(client)))


def test_the_login_request_carries_state_nonce_and_pkce(client, provider):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [provider.client_id]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == ["http://testserver/tai-khoan/dinh-danh/callback/"]


def test_a_new_citizen_is_created_from_the_claims(client, provider):
    response = oidc_login(client)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    profile = CitizenProfile.objects.get(personal_id="001190012345")
    user = profile.user
    assert user.full_name == "Phạm Thu Hà" and user.username == "001190012345"
    assert str(profile.birth_date) == "1990-03-08" and profile.gender == "female"
    assert user.phone == "0912000111" and user.email_verified
    assert not user.has_usable_password()
    link = ExternalIdentity.objects.get(user=user)
    assert (link.provider, link.subject) == (provider.issuer, provider.subject)
    assert client.get("/tai-khoan/").context["account"] == user
    # The next login finds the link: still one account.
    client.post("/tai-khoan/dang-xuat/")
    assert oidc_login(client).status_code == 302
    assert User.objects.count() == 1 and ExternalIdentity.objects.count() == 1


def test_a_registered_citizen_is_linked_by_personal_id_not_duplicated(client, provider, citizen):
    assert oidc_login(client).status_code == 302
    assert User.objects.count() == 1
    assert ExternalIdentity.objects.get().user == citizen
    assert client.get("/tai-khoan/").context["account"] == citizen
    citizen.refresh_from_db()
    assert citizen.email == "ha@example.com"  # the account's own data is not overwritten
    assert SecurityEvent.objects.filter(kind="external_linked", user=citizen).exists()


@pytest.mark.parametrize("tamper", ["payload", "wrong_key", "nonce", "audience", "expired"])
def test_a_bad_id_token_is_refused(client, provider, tamper):
    provider.tamper = tamper
    response = oidc_login(client)
    assert response.status_code == 400
    assert provider.token_requests == 1  # refused after a real exchange, on the token itself
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_replayed_state_is_refused(client, provider):
    callback = approve(start(client))
    assert client.get(callback).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    replay = client.get(callback)
    assert replay.status_code == 400
    assert provider.token_requests == 1  # refused before the provider was even asked
    assert "_auth_user_id" not in client.session


def test_a_state_from_another_browser_is_refused(client, provider):
    from django.test import Client

    callback = approve(start(Client()))  # started in another session
    assert client.get(callback).status_code == 400
    assert provider.token_requests == 0


def test_a_personal_id_that_does_not_match_the_birth_date_is_refused(client, provider):
    provider.claims["birthdate"] = "1985-01-01"
    response = oidc_login(client)
    assert response.status_code == 400
    assert not User.objects.exists()


def test_without_configuration_the_button_and_pages_are_absent(client, settings):
    settings.MOTCUA_OIDC_ISSUER = ""
    assert client.get("/tai-khoan/dinh-danh/").status_code == 404
    assert "/tai-khoan/dinh-danh/" not in client.get("/tai-khoan/dang-nhap/").content.decode()


def test_the_login_page_offers_the_national_e_id(client, provider):
    assert "/tai-khoan/dinh-danh/" in client.get("/tai-khoan/dang-nhap/").content.decode()
