from datetime import date

import pytest
from django_otp.oath import totp

from motcua.accounts import services
from motcua.accounts.models import AccountKind, OfficerMembership, OfficerRole, User
from motcua.catalog.models import Agency

PASSWORD = "Ha-Noi-mua-thu-2025"


@pytest.fixture
def citizen(db):
    return services.register_citizen(
        full_name="Phạm Thu Hà",
        personal_id="001190012345",
        birth_date=date(1990, 3, 8),
        phone="0912000111",
        email="ha@example.com",
        password=PASSWORD,
        address="Phường Hải An",
    )


@pytest.fixture
def agency(db):
    return Agency.objects.create(
        code="000.00.20.H99", slug="tthcc-tinh", name="Trung tâm Phục vụ hành chính công", level="province",
        kind="service_centre",
    )  # fmt: skip


@pytest.fixture
def officer(agency):
    user = User.objects.create_user(
        "motcua.test", email="officer@example.com", password=PASSWORD, kind=AccountKind.OFFICER
    )
    OfficerMembership.objects.create(user=user, agency=agency, role=OfficerRole.DESK)
    return user


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(client, username, password=PASSWORD, **extra):
    return client.post("/tai-khoan/dang-nhap/", {"username": username, "password": password}, **extra)
