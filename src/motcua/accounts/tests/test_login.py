"""Login, logout, the header, password reset and the lockout after repeated failures."""

import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail

from motcua.accounts import services
from motcua.accounts.models import SecurityEvent

from .conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


def test_login_and_logout(client, citizen):
    response = login(client, citizen.username)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    page = client.get("/tai-khoan/").content.decode()
    assert "Phạm Thu Hà" in page and 'action="/tai-khoan/dang-xuat/"' in page
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405  # logging out is a POST
    assert client.post("/tai-khoan/dang-xuat/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert list(SecurityEvent.objects.filter(user=citizen).values_list("kind", flat=True)) == [
        "logout",
        "login",
    ]


def test_login_goes_back_to_a_safe_next_page_only(client, citizen):
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": citizen.username, "password": PASSWORD, "next": "/thu-tuc/"}
    )
    assert response["Location"] == "/thu-tuc/"
    client.post("/tai-khoan/dang-xuat/")
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": citizen.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/tai-khoan/"


def test_a_wrong_password_is_explained(client, citizen):
    response = login(client, citizen.username, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'class="error-summary"' in response.content.decode()


def test_anonymous_header_has_plain_links_only(client):
    page = client.get("/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert 'href="/tai-khoan/dang-nhap/"' in header and 'href="/tai-khoan/dang-ky/"' in header
    assert "<form" not in header and "csrfmiddlewaretoken" not in page


def test_password_reset_by_e_mail(client, citizen):
    response = client.post("/tai-khoan/mat-khau/quen/", {"email": "ha@example.com"})
    assert response["Location"] == "/tai-khoan/mat-khau/quen/da-gui/"
    assert mail.outbox[0].to == ["ha@example.com"]
    link = re.search(r"http://testserver(/tai-khoan/mat-khau/dat-lai/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    new = "Mat-khau-moi-2026"
    response = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == "/tai-khoan/mat-khau/dat-lai/xong/"
    assert login(client, citizen.username, new).status_code == 302
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, citizen):
    response = client.post("/tai-khoan/mat-khau/quen/", {"email": "nobody@example.com"})
    assert response["Location"] == "/tai-khoan/mat-khau/quen/da-gui/"
    assert mail.outbox == []


# --- lockout --------------------------------------------------------------------------------------------


def fail(client, username, times):
    return [login(client, username, "wrong-password").status_code for _ in range(times)]


def test_five_failures_lock_the_account_and_the_lock_is_logged(client, citizen, caplog):
    caplog.set_level(logging.INFO, logger="motcua.security")
    assert fail(client, citizen.username, 4) == [200] * 4
    assert fail(client, citizen.username, 1) == [429]
    locked = login(client, citizen.username)  # the right password does not help now
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    events = SecurityEvent.objects.filter(kind="locked")
    assert events.count() == 1  # one entry per lock, however many tries follow
    assert events.get().user == citizen
    assert any(
        "event=locked" in r.getMessage() and citizen.username in r.getMessage() for r in caplog.records
    )


def test_the_lock_holds_for_every_address(client, citizen):
    for number in range(5):
        login(client, citizen.username, "wrong", REMOTE_ADDR=f"10.0.0.{number}")
    assert login(client, citizen.username, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_an_administrator_unlocks_and_the_unlock_is_logged(client, citizen, officer):
    fail(client, citizen.username, 5)
    assert services.unlock_account(citizen.username, by=officer) > 0
    unlock = SecurityEvent.objects.get(kind="unlocked")
    assert unlock.user == citizen and unlock.detail["by"] == officer.username
    assert login(client, citizen.username).status_code == 302


def test_the_lock_ends_after_the_cool_off_and_the_end_is_logged(client, citizen, settings):
    fail(client, citizen.username, 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert login(client, citizen.username).status_code == 302
    unlock = SecurityEvent.objects.get(kind="unlocked")
    assert unlock.detail["reason"] == "cool-off over"
    assert list(
        SecurityEvent.objects.filter(kind__in=["locked", "unlocked"])
        .order_by("id")
        .values_list("kind", flat=True)
    ) == ["locked", "unlocked"]


def test_the_admin_login_goes_through_the_accounts_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_the_login_page_names_the_portal_not_the_host(client, settings):
    """Django's login view set ``site_name`` to the host ("127.0.0.1:18791" in the demo, "testserver" here),
    and the page's title showed it instead of the portal's name."""
    page = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert f"<title>Đăng nhập · {settings.MOTCUA_SITE_NAME}</title>" in page
    assert "testserver" not in page


def test_officers_land_on_their_queues_and_the_header_offers_them_no_citizen_items(client, officer, citizen):
    officer.otp_exempt = True
    officer.save()
    assert login(client, officer.username)["Location"] == "/mot-cua/"
    page = client.get("/mot-cua/").content.decode()
    assert 'href="/mot-cua/"' in page and 'href="/tai-khoan/"' in page  # their queues and their account
    assert 'href="/ho-so/"' not in page and 'href="/kho-du-lieu/"' not in page  # a citizen's dossiers, store
    client.post("/tai-khoan/dang-xuat/")
    assert login(client, citizen.username)["Location"] == "/tai-khoan/"
    page = client.get("/tai-khoan/").content.decode()
    assert 'href="/ho-so/"' in page and 'href="/kho-du-lieu/"' in page and 'href="/mot-cua/"' not in page
