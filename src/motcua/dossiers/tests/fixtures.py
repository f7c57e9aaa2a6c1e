"""Fixtures of the dossier tests: a procedure with an online form of two papers, applicants, a desk officer,
and sample files built in memory (a real PDF, a JPEG with EXIF, and impostors)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from motcua.accounts import services as account_services
from motcua.accounts.models import AccountKind, OfficerMembership, OfficerRole, User
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.forms import services as form_services
from motcua.forms.models import OnlineForm

PASSWORD = "Hai-Dong-2026-mua-dong"


@pytest.fixture(autouse=True)
def _vietnamese():
    # Messages in the default language, whatever language an earlier request of the process activated.
    from django.utils import translation

    with translation.override("vi"):
        yield


SCHEMA = {
    "type": "object",
    "properties": {
        "full_name": {"type": "string", "maxLength": 100},
        "personal_id": {"type": "string", "format": "personal-id"},
        "reason": {"type": "string", "maxLength": 200},
        "declaration": {"x-component": 1},
        "evidence": {"x-component": 2, "x-accept": ["pdf", "jpeg", "png", "docx"]},
    },
    "required": ["full_name", "personal_id", "reason", "declaration"],
}
UI = {
    "steps": [
        {
            "id": "who",
            "title": {"vi": "Người nộp", "en": "Applicant"},
            "fields": ["full_name", "personal_id"],
        },
        {
            "id": "what",
            "title": {"vi": "Nội dung", "en": "Request"},
            "fields": ["reason", "declaration", "evidence"],
        },
    ],
    "fields": {
        "full_name": {"label": {"vi": "Họ và tên", "en": "Full name"}, "prefill": "full_name"},
        "personal_id": {
            "label": {"vi": "Số định danh", "en": "Personal ID"},
            "prefill": "personal_id",
            "locked": True,
        },
        "reason": {"label": {"vi": "Lý do", "en": "Reason"}},
        "declaration": {"label": {"vi": "Tờ khai", "en": "Declaration"}},
        "evidence": {"label": {"vi": "Giấy tờ chứng minh", "en": "Evidence"}},
    },
}


@pytest.fixture
def agency(db):
    return make_agency(code="000.00.31.H26", slug="ubnd-xa-thu", name="UBND xã Thử", level="commune")


@pytest.fixture
def other_agency(db):
    return make_agency(code="000.00.32.H26", slug="ubnd-xa-khac", name="UBND xã Khác", level="commune")


# The shared test procedure: 3 working days online, 5 in person, two papers (the second optional).
TEST_PROCEDURE = {
    "code": "9.100001",
    "name": "Cấp giấy xác nhận thử nghiệm",
    "online_level": 4,
    "applicant_types": ["citizen"],
    "methods": [
        {"channel": "online", "processing_time": "3", "time_unit": "working_day"},
        {"channel": "in_person", "processing_time": "5", "time_unit": "working_day"},
    ],
    "components": [
        {"name": "Tờ khai đề nghị", "originals": 1, "is_required": True},
        {"name": "Giấy tờ chứng minh", "photocopies": 1, "is_required": False},
    ],
}


@pytest.fixture
def procedure(agency):
    return make_procedure(agencies=[agency], **TEST_PROCEDURE)


@pytest.fixture
def online_form(procedure):
    form = form_services.save_draft(OnlineForm(procedure=procedure, version=1, schema=SCHEMA, ui=UI))
    return form_services.publish(form)


@pytest.fixture
def citizen(db):
    return account_services.register_citizen(
        full_name="Lê Thị Hoa",
        personal_id="030190054321",
        birth_date=date(1990, 6, 1),
        phone="0912345678",
        email="hoa@example.com",
        password=PASSWORD,
        address="Thôn Đông, xã Thử",
    )


@pytest.fixture
def other_citizen(db):
    return account_services.register_citizen(
        full_name="Phan Văn Tú",
        personal_id="030085011111",
        birth_date=date(1985, 2, 3),
        phone="0987654321",
        email="tu@example.com",
        password=PASSWORD,
    )


def make_officer(username, agency, role=OfficerRole.DESK):
    user = User.objects.create_user(username, password=PASSWORD, kind=AccountKind.OFFICER, otp_exempt=True)
    OfficerMembership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def desk_officer(agency):
    return make_officer("motcua.thu", agency)


@pytest.fixture
def valid_data(citizen):
    return {"full_name": "Lê Thị Hoa", "personal_id": "030190054321", "reason": "Bổ sung hồ sơ vay vốn"}


# --- sample files ----------------------------------------------------------------------------------------


def pdf_bytes(pages: int = 1, padding: int = 0) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Padding": "x" * padding})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° when shown
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name: str = "giay-to.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def pdf():
    return pdf_bytes()


@pytest.fixture
def time_machine_monday(monkeypatch):
    """Now is Monday 2 March 2026, 09:00 in Hà Nội: a plain working morning."""
    from django.utils import timezone as django_timezone

    moment = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(django_timezone, "now", lambda: moment)
    return moment


# --- signing certificates (shared with the documents tests) ---------------------------------------


@pytest.fixture(scope="session")
def demo_pki_dir(tmp_path_factory):
    """The demo CA, made once for the whole run in a folder of its own (agency certificates are added as
    tests need them and kept: an agency code always gets the same certificate)."""
    from motcua.documents import pki

    directory = tmp_path_factory.mktemp("pki")
    pki.ensure_demo_ca(directory)
    return directory


@pytest.fixture
def demo_pki(settings, demo_pki_dir):
    """Signing and verification as in the demo: the demo CA is the one trusted root."""
    settings.MOTCUA_PKI_DIR = demo_pki_dir
    settings.MOTCUA_TRUST_DEMO_CA = True
    settings.MOTCUA_TRUSTED_ROOTS = []
    return demo_pki_dir


def client_for(user):
    """An API client that sends ``user``'s new bearer token, as an integrator's program would."""
    from rest_framework.test import APIClient

    from motcua.accounts import services as account_services

    _, raw = account_services.create_api_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client
