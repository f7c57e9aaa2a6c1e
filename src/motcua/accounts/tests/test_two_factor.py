"""Two-step verification (TOTP): forced on officers, exempt for demo officers, optional for citizens."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import SecurityEvent

from .conftest import current_code, login

pytestmark = pytest.mark.django_db


def signed_in(client):
    return "_auth_user_id" in client.session


def test_an_officer_without_a_device_must_set_one_up_before_being_signed_in(client, officer):
    response = login(client, officer.username)
    assert response["Location"] == "/tai-khoan/xac-thuc-hai-buoc/cai-dat/"
    assert not signed_in(client)
    assert client.get("/tai-khoan/").status_code == 302  # nothing is open yet
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/cai-dat/")
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert page.context["secret"].replace(" ", "") != ""
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/cai-dat/", {"token": "000000"}).status_code == 200
    assert not signed_in(client)
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guesses; this test is not about that
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/cai-dat/", {"token": current_code(device)})
    assert response.status_code == 302 and signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    assert SecurityEvent.objects.filter(kind="otp_confirmed", user=officer).exists()


def test_an_officer_with_a_device_must_enter_a_code(client, officer):
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    assert login(client, officer.username)["Location"] == "/tai-khoan/xac-thuc-hai-buoc/"
    assert not signed_in(client)
    wrong = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": "123456"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["token"]
    assert SecurityEvent.objects.filter(kind="otp_failed", user=officer).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guesses; this test is not about that
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": current_code(device)})
    assert response.status_code == 302 and signed_in(client)
    assert client.session["otp_device_id"] == device.persistent_id


def test_the_code_step_cannot_be_guessed_forever(client, officer):
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    login(client, officer.username)
    for _ in range(5):
        client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": "123456"})
    response = client.get("/tai-khoan/xac-thuc-hai-buoc/")
    assert response["Location"] == "/tai-khoan/dang-nhap/"  # back to the password, which axes counts


def test_demo_officers_are_exempt(client, officer):
    officer.otp_exempt = True
    officer.save()
    assert login(client, officer.username)["Location"] == "/mot-cua/"  # officers land on their queues
    assert signed_in(client)


def test_the_requirement_can_be_turned_off(client, officer, settings):
    settings.MOTCUA_OFFICER_2FA_REQUIRED = False
    assert login(client, officer.username)["Location"] == "/mot-cua/"


def test_a_superuser_is_asked_too(client, django_user_model):
    django_user_model.objects.create_superuser("quantri", "q@example.com", "Mat-khau-dai-2025")
    response = login(client, "quantri", "Mat-khau-dai-2025")
    assert response["Location"] == "/tai-khoan/xac-thuc-hai-buoc/cai-dat/"


def test_a_citizen_may_opt_in_and_is_then_asked(client, citizen):
    assert login(client, citizen.username)["Location"] == "/tai-khoan/"
    client.get("/tai-khoan/xac-thuc-hai-buoc/cai-dat/")
    device = TOTPDevice.objects.get(user=citizen)
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/cai-dat/", {"token": current_code(device)})
    assert response["Location"] == "/tai-khoan/"
    client.post("/tai-khoan/dang-xuat/")
    assert login(client, citizen.username)["Location"] == "/tai-khoan/xac-thuc-hai-buoc/"
    assert not signed_in(client)


def test_a_citizen_may_turn_it_off_with_a_code_an_officer_may_not(client, citizen, officer):
    device = TOTPDevice.objects.create(user=citizen, name="app", confirmed=True)
    client.force_login(citizen)
    client.post("/tai-khoan/xac-thuc-hai-buoc/tat/", {"token": current_code(device)})
    assert not TOTPDevice.objects.filter(user=citizen).exists()
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client.force_login(officer)
    client.post("/tai-khoan/xac-thuc-hai-buoc/tat/", {"token": current_code(device)})
    assert TOTPDevice.objects.filter(user=officer).exists()
