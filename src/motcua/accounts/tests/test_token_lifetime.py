"""API tokens end: they expire, die with any password change and with deactivation, are limited per
account, and their owner lists and revokes them on the account page and through the API (issue 9)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone, translation

from motcua.accounts import selectors, services
from motcua.accounts.models import AccountKind, ApiToken, SecurityEvent, User

from .conftest import PASSWORD, login

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"
LIST_URL = "/api/v1/auth/tokens/"
NEW_PASSWORD = "Mat-khau-moi-2026"


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def obtain(client, username, password=PASSWORD, **extra):
    return client.post(
        URL, {"username": username, "password": password, **extra}, content_type="application/json"
    )


def works(client, raw) -> bool:
    return client.get(URL, **bearer(raw)).status_code == 200


@pytest.fixture
def other_citizen(db):
    user = User.objects.create_user("001090000002", password=PASSWORD, kind=AccountKind.CITIZEN)
    return user


# --- lifetime --------------------------------------------------------------------------------------------


@override_settings(MOTCUA_API_TOKEN_DAYS=2)
def test_a_token_lives_the_configured_days_and_then_stops(client, citizen):
    response = obtain(client, citizen.username)
    raw = response.json()["token"]
    token = ApiToken.objects.get()
    assert timedelta(days=2) - timedelta(minutes=1) < token.expires_at - timezone.now() <= timedelta(days=2)
    assert response.json()["expires_at"] and client.get(URL, **bearer(raw)).json()["expires_at"]
    assert works(client, raw)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not works(client, raw)
    assert list(selectors.live_tokens(citizen)) == []


# --- password changes, by every path -------------------------------------------------------------------


def test_changing_the_password_on_the_account_page_ends_the_tokens(client, citizen):
    raw = obtain(client, citizen.username).json()["token"]
    client.force_login(citizen)
    response = client.post(
        "/tai-khoan/mat-khau/doi/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(Client(), raw)
    token = ApiToken.objects.get()
    assert token.revoked_at is not None  # visible in the admin, and logged
    revoked = SecurityEvent.objects.get(kind="token_revoked")
    assert revoked.detail["reason"] == "password_changed" and revoked.detail["token"] == token.prefix


def test_a_password_reset_ends_the_tokens(client, citizen):
    raw = obtain(client, citizen.username).json()["token"]
    client.post("/tai-khoan/mat-khau/quen/", {"email": "ha@example.com"})
    link = re.search(r"http://testserver(/tai-khoan/mat-khau/dat-lai/\S+/)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert login(Client(), citizen.username, NEW_PASSWORD).status_code == 302
    assert not works(client, raw)


def test_an_administrator_setting_the_password_ends_the_tokens(client, citizen):
    raw = obtain(client, citizen.username).json()["token"]
    admin = User.objects.create_superuser("quan.tri", password=PASSWORD, otp_exempt=True)
    staff = Client()
    staff.force_login(admin)
    response = staff.post(
        f"/admin/accounts/user/{citizen.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not works(client, raw)


def test_set_password_and_even_a_bulk_update_end_the_tokens(client, citizen):
    first = obtain(client, citizen.username).json()["token"]
    citizen.set_password(NEW_PASSWORD)
    assert works(client, first)  # not saved: the password in force is still the old one
    citizen.save()
    assert not works(client, first)

    second = obtain(client, citizen.username, NEW_PASSWORD).json()["token"]
    # No save(), no signal: the fingerprint still tells.
    User.objects.filter(pk=citizen.pk).update(password=make_password("Mot-mat-khau-khac-2027"))
    assert not works(client, second)


def test_saving_other_fields_keeps_the_tokens(client, citizen):
    raw = obtain(client, citizen.username).json()["token"]
    citizen.full_name = "Phạm Thu Hằng"
    citizen.save()
    login(Client(), citizen.username)  # saves last_login
    assert works(client, raw)
    assert ApiToken.objects.get().revoked_at is None


def test_deactivating_the_account_ends_the_tokens_for_good(client, citizen):
    raw = obtain(client, citizen.username).json()["token"]
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    assert not works(client, raw)
    assert SecurityEvent.objects.get(kind="token_revoked").detail["reason"] == "account_deactivated"
    citizen.is_active = True
    citizen.save()
    assert not works(client, raw)  # reactivation does not bring them back


# --- limit ----------------------------------------------------------------------------------------------


@override_settings(MOTCUA_API_TOKEN_LIMIT=3)
def test_an_account_holds_at_most_the_configured_number_of_live_tokens(client, citizen):
    tokens = [obtain(client, citizen.username).json()["token"] for _ in range(3)]
    with translation.override("en"):
        refused = obtain(client, citizen.username, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert ApiToken.objects.count() == 3
    # Expired and revoked tokens do not count.
    assert client.delete(URL, **bearer(tokens[0])).status_code == 204
    assert obtain(client, citizen.username).status_code == 201
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    assert [obtain(client, citizen.username).status_code for _ in range(4)] == [201, 201, 201, 400]


@override_settings(MOTCUA_API_TOKEN_LIMIT=1)
def test_the_limit_message_is_clear_in_both_languages(citizen):
    services.create_api_token(citizen)
    with translation.override("en"), pytest.raises(services.TokenLimitReached) as english:
        services.create_api_token(citizen)
    assert "the most valid API tokens allowed (1)" in english.value.messages[0]
    with translation.override("vi"), pytest.raises(services.TokenLimitReached) as vietnamese:
        services.create_api_token(citizen)
    assert "thu hồi" in vietnamese.value.messages[0].lower()


# --- the owner lists and revokes: account page ---------------------------------------------------------


def test_the_account_page_lists_the_owner_s_live_tokens(client, citizen, other_citizen):
    live, _raw = services.create_api_token(citizen, name="Phần mềm kế toán")
    revoked, _raw = services.create_api_token(citizen, name="Cũ")
    services.revoke_api_token(revoked)
    others, _raw = services.create_api_token(other_citizen, name="Của người khác")
    client.force_login(citizen)
    page = client.get("/tai-khoan/").content.decode()
    assert "Phần mềm kế toán" in page and live.prefix in page
    assert f"/tai-khoan/api-token/{live.pk}/thu-hoi/" in page
    assert revoked.prefix not in page and others.prefix not in page


def test_the_owner_revokes_a_token_on_the_account_page(client, citizen):
    token, raw = services.create_api_token(citizen, name="Máy chủ")
    client.force_login(citizen)
    assert client.get(f"/tai-khoan/api-token/{token.pk}/thu-hoi/").status_code == 405
    response = client.post(f"/tai-khoan/api-token/{token.pk}/thu-hoi/")
    assert response["Location"] == "/tai-khoan/"
    assert not works(client, raw)
    event = SecurityEvent.objects.get(kind="token_revoked")
    assert event.user == citizen and event.detail["by"] == citizen.username


def test_nobody_revokes_another_account_s_token(client, citizen, other_citizen):
    token, raw = services.create_api_token(other_citizen)
    client.force_login(citizen)
    assert client.post(f"/tai-khoan/api-token/{token.pk}/thu-hoi/").status_code == 404
    assert works(Client(), raw)
    anonymous = Client().post(f"/tai-khoan/api-token/{token.pk}/thu-hoi/")
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]
    assert works(Client(), raw)


def test_revoking_on_the_account_page_needs_the_csrf_token(citizen):
    token, raw = services.create_api_token(citizen)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    assert browser.post(f"/tai-khoan/api-token/{token.pk}/thu-hoi/").status_code == 403
    assert works(browser, raw)


# --- the owner lists and revokes: API -------------------------------------------------------------------


def test_the_api_lists_the_owner_s_live_tokens(client, citizen, other_citizen):
    services.create_api_token(citizen, name="Cũ")
    _in_use, raw = services.create_api_token(citizen, name="Đang dùng")
    services.create_api_token(other_citizen)
    response = client.get(LIST_URL, **bearer(raw))
    assert response.status_code == 200
    rows = response.json()
    assert [row["name"] for row in rows] == ["Đang dùng", "Cũ"]
    assert [row["current"] for row in rows] == [True, False]
    assert set(rows[0]) == {"id", "name", "prefix", "created_at", "last_used_at", "expires_at", "current"}
    assert client.get(LIST_URL).status_code == 401


def test_the_api_revokes_only_the_owner_s_tokens(client, citizen, other_citizen):
    mine, _raw = services.create_api_token(citizen)
    in_use, raw = services.create_api_token(citizen)
    others, others_raw = services.create_api_token(other_citizen)
    assert client.delete(f"{LIST_URL}{others.pk}/", **bearer(raw)).status_code == 404
    assert works(client, others_raw)
    assert client.delete(f"{LIST_URL}{mine.pk}/", **bearer(raw)).status_code == 204
    assert client.delete(f"{LIST_URL}{mine.pk}/", **bearer(raw)).status_code == 404
    assert [row["id"] for row in client.get(LIST_URL, **bearer(raw)).json()] == [in_use.pk]
    assert client.delete(f"{LIST_URL}{in_use.pk}/").status_code == 401


def test_the_api_with_the_website_session_needs_the_csrf_token(citizen):
    token, raw = services.create_api_token(citizen)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    assert browser.get(LIST_URL).json()[0]["id"] == token.pk
    assert browser.delete(f"{LIST_URL}{token.pk}/").status_code == 403
    assert works(browser, raw)
