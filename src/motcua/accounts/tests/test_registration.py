"""Citizen and business registration, e-mail verification and the change of contact details."""

import re

import pytest
from django.core import mail

from motcua.accounts import services
from motcua.accounts.models import BusinessProfile, CitizenProfile, SecurityEvent, User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

CITIZEN = {
    "full_name": "Nguyễn Văn Nam",
    "personal_id": "030095001234",
    "birth_date": "1995-07-20",
    "phone": "0903 123 456",
    "email": "nam@example.com",
    "address": "Xã Tân Phong",
    "password1": PASSWORD,
    "password2": PASSWORD,
}
BUSINESS = {
    "tax_code": "0301234562",
    "business_name": "Công ty TNHH Ví Dụ",
    "representative_name": "Lê Văn Bình",
    "phone": "02203123456",
    "email": "ketoan@example.com",
    "address": "",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def register_citizen(client, **changes):
    return client.post("/tai-khoan/dang-ky/cong-dan/", {**CITIZEN, **changes})


def errors_of(response, field):
    return response.context["form"].errors.get(field, [])


def test_a_citizen_registers_and_is_signed_in(client):
    response = register_citizen(client)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    user = User.objects.get(username="030095001234")
    assert user.kind == "citizen" and user.full_name == "Nguyễn Văn Nam" and user.phone == "0903123456"
    assert user.citizen.personal_id == "030095001234" and user.citizen.gender == "male"
    assert not user.email_verified
    assert client.get("/tai-khoan/").context["account"] == user
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nam@example.com"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"personal_id": "03009500123"}, "personal_id"),  # 11 digits
        ({"personal_id": "03009500123A"}, "personal_id"),
        ({"personal_id": "003095001234"}, "personal_id"),  # 003 is no province code
        ({"personal_id": "030295001234"}, "personal_id"),  # says born in 2095, not 1995
        ({"birth_date": "1996-07-20"}, "personal_id"),  # the ID says 1995
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "20/13/1995"}, "birth_date"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "0123456789"}, "phone"),  # 01x prefixes are gone
        ({"email": "not-an-address"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),  # only digits, common
        ({"password1": "Ab1", "password2": "Ab1"}, "password1"),  # too short
        ({"password2": "Something-else-2025"}, "password2"),
    ],
)
def test_each_registration_rule_shows_its_message_next_to_the_field(client, changes, field):
    response = register_citizen(client, **changes)
    assert response.status_code == 200
    assert errors_of(response, field), response.context["form"].errors
    assert not User.objects.exists()
    page = response.content.decode()
    assert 'class="error-summary"' in page and f'href="#id_{field}"' in page
    assert 'aria-invalid="true"' in page and f'id="id_{field}_error"' in page


def test_a_personal_id_already_registered_is_refused(client, citizen):
    client.get("/ngon-ngu/en/")
    response = register_citizen(client, personal_id=citizen.citizen.personal_id, birth_date="1990-03-08")
    assert "already exists" in " ".join(errors_of(response, "personal_id"))
    assert User.objects.count() == 1


def test_the_page_is_in_vietnamese_by_default_and_english_on_request(client):
    register = "/tai-khoan/dang-ky/cong-dan/"
    assert '<html lang="vi">' in client.get(register).content.decode()
    client.get("/ngon-ngu/en/")
    assert "Citizen registration" in client.get(register).content.decode()


def test_a_business_registers_with_its_tax_code(client):
    response = client.post("/tai-khoan/dang-ky/doanh-nghiep/", BUSINESS)
    assert response.status_code == 302
    profile = BusinessProfile.objects.get(tax_code="0301234562")
    assert profile.user.username == "0301234562" and profile.user.kind == "business"
    assert profile.representative_name == "Lê Văn Bình"


@pytest.mark.parametrize("tax_code", ["0301234563", "030123456", "0301234562-00", "abcdefghij"])
def test_a_bad_tax_code_is_refused(client, tax_code):
    response = client.post("/tai-khoan/dang-ky/doanh-nghiep/", {**BUSINESS, "tax_code": tax_code})
    assert errors_of(response, "tax_code")
    assert not BusinessProfile.objects.exists()


def test_a_duplicate_tax_code_and_a_bad_phone_are_refused(client):
    client.post("/tai-khoan/dang-ky/doanh-nghiep/", BUSINESS)
    client.post("/tai-khoan/dang-xuat/")
    response = client.post("/tai-khoan/dang-ky/doanh-nghiep/", {**BUSINESS, "phone": "999"})
    assert errors_of(response, "tax_code") and errors_of(response, "phone")
    assert BusinessProfile.objects.count() == 1


def test_a_branch_tax_code_of_13_digits_is_accepted(client):
    response = client.post("/tai-khoan/dang-ky/doanh-nghiep/", {**BUSINESS, "tax_code": "0301234562-001"})
    assert response.status_code == 302
    assert BusinessProfile.objects.get().tax_code == "0301234562001"


# --- e-mail verification --------------------------------------------------------------------------------


def link_in(message) -> str:
    return re.search(r"http://testserver(/tai-khoan/xac-minh-email/[^/\s]+/)", message.body).group(1)


def test_the_e_mail_link_verifies_the_address(client):
    register_citizen(client)
    link = link_in(mail.outbox[0])
    assert client.get(link).status_code == 200
    user = User.objects.get()
    assert user.email_verified
    assert SecurityEvent.objects.filter(kind="email_verified", user=user).exists()


def test_a_tampered_or_expired_link_is_refused(client, settings):
    register_citizen(client)
    link = link_in(mail.outbox[0])
    assert client.get(link[:-3] + "xx/").status_code == 400
    settings.MOTCUA_EMAIL_VERIFICATION_DAYS = 0
    assert client.get(link).status_code == 400
    assert not User.objects.get().email_verified


# --- contact details ------------------------------------------------------------------------------------


def test_a_new_e_mail_is_used_only_once_verified(client, citizen):
    client.force_login(citizen)
    services.verify_email(services.email_verification_token(citizen, citizen.email))
    response = client.post("/tai-khoan/lien-he/", {"phone": "+84 987 000 111", "email": "ha.moi@example.com"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "0987000111"
    assert citizen.email == "ha@example.com" and citizen.pending_email == "ha.moi@example.com"
    assert citizen.email_verified  # the old address stays in use until the new one is confirmed
    assert mail.outbox[0].to == ["ha.moi@example.com"]
    assert client.get(link_in(mail.outbox[0])).status_code == 200
    citizen.refresh_from_db()
    assert citizen.email == "ha.moi@example.com" and citizen.pending_email == "" and citizen.email_verified
    assert SecurityEvent.objects.filter(kind="contact_changed", user=citizen).exists()


def test_a_link_for_an_address_replaced_since_is_refused(client, citizen):
    client.force_login(citizen)
    client.post("/tai-khoan/lien-he/", {"phone": citizen.phone, "email": "first@example.com"})
    first_link = link_in(mail.outbox[-1])
    client.post("/tai-khoan/lien-he/", {"phone": citizen.phone, "email": "second@example.com"})
    assert client.get(first_link).status_code == 400
    citizen.refresh_from_db()
    assert citizen.email == "ha@example.com" and citizen.pending_email == "second@example.com"


def test_a_bad_phone_is_refused_on_the_contact_page(client, citizen):
    client.force_login(citizen)
    response = client.post("/tai-khoan/lien-he/", {"phone": "12", "email": citizen.email})
    assert response.status_code == 200 and response.context["form"].errors["phone"]
    citizen.refresh_from_db()
    assert citizen.phone == "0912000111"


def test_the_account_pages_need_a_login(client):
    for path in ["/tai-khoan/", "/tai-khoan/lien-he/", "/tai-khoan/mat-khau/doi/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_gender_comes_from_the_personal_id(citizen):
    profile = CitizenProfile.objects.get(user=citizen)
    assert profile.gender == "female"  # fourth digit 1: female born in the 1900s


def test_registration_returns_to_where_the_citizen_was(client, db):
    """From "Submit a dossier online" to registration and back, not to the account page."""
    next_url = "/thu-tuc/1.001193/nop-ho-so/"
    page = client.get(f"/tai-khoan/dang-ky/?next={next_url}").content.decode()
    assert f'href="/tai-khoan/dang-ky/cong-dan/?next={next_url}"' in page
    response = client.post(
        "/tai-khoan/dang-ky/cong-dan/",
        {
            "full_name": "Vũ Thị Lan", "personal_id": "031198004321", "birth_date": "1998-04-02",
            "phone": "0912777888", "email": "lan@example.com", "password1": "Mua-xuan-Hai-Dong-26",
            "password2": "Mua-xuan-Hai-Dong-26", "next": next_url,
        },
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == next_url


def test_registration_drops_a_foreign_next(client, db):
    page = client.get("/tai-khoan/dang-ky/?next=https://evil.example/").content.decode()
    assert 'href="/tai-khoan/dang-ky/cong-dan/"' in page
