import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from motcua.catalog.models import AgencyKind, AuthorityLevel
from motcua.catalog.tests.factories import make_agency, make_procedure, make_sector
from motcua.engagement.tests.consultation_fixtures import consultation, draft_consultation  # noqa: F401
from motcua.engagement.tests.dialogue_fixtures import (  # noqa: F401 - fixtures
    answered,
    approved,
    dialogue_people,
    live_session,
    upcoming_session,
)
from motcua.engagement.tests.petition_fixtures import people, petition, routed, tree  # noqa: F401 - fixtures
from motcua.stats.tests.conftest import world  # noqa: F401 - fixture (dossiers through the real services)


@pytest.fixture(autouse=True)
def _vietnamese():
    # Each test starts in the default language, whatever an earlier request activated.
    with translation.override("vi"):
        yield


@pytest.fixture
def catalogue():
    """A small province: a committee, a department, a commune, two sectors and a few procedures."""
    province = make_agency(
        code="000.00.00.H26",
        slug="ubnd-tinh",
        name="Ủy ban nhân dân tỉnh Hải Đông",
        kind=AgencyKind.PEOPLES_COMMITTEE,
    )
    justice = make_agency(
        code="000.00.12.H26",
        slug="so-tu-phap",
        name="Sở Tư pháp",
        kind=AgencyKind.DEPARTMENT,
        parent=province,
        address="12 Trần Hưng Đạo, phường Hải Đông",
        phone="0220 3850 123",
        email="stp@haidong.gov.vn",
        office_hours="Thứ Hai – Thứ Sáu, 7:30–11:30 và 13:30–17:00",
    )
    commune = make_agency(
        code="000.12.34.H26",
        slug="ubnd-xa-an-binh",
        name="UBND xã An Bình",
        level=AuthorityLevel.COMMUNE,
        kind=AgencyKind.PEOPLES_COMMITTEE,
        parent=province,
    )
    civil = make_sector(code="HT", slug="ho-tich", name="Hộ tịch")
    land = make_sector(code="DD", slug="dat-dai", name="Đất đai")
    default_storage.save("catalog/forms/1.001193/01.docx", ContentFile(b"form"))
    birth = make_procedure(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        sector=civil,
        agencies=[commune],
        implementing_body="UBND cấp xã",
        applicant_types=["citizen"],
        online_level=4,
        popularity=900,
        effective_from="2023-07-01",
        requirements="Người đi đăng ký phải xuất trình giấy tờ tùy thân.",
        result_type="Giấy khai sinh",
        steps=[{"title": "Nộp hồ sơ", "description": "Tại bộ phận một cửa UBND xã."}],
        methods=[
            {"channel": "in_person", "processing_time": "1", "time_unit": "working_day"},
            {"channel": "online", "processing_time": "1", "time_unit": "working_day"},
        ],
        fees=[
            {"channel": "in_person", "name": "Lệ phí đăng ký khai sinh", "amount": 8000},
            {"channel": "online", "name": "Lệ phí đăng ký khai sinh trực tuyến", "amount": 0},
        ],
        components=[
            {
                "name": "Tờ khai đăng ký khai sinh",
                "originals": 1,
                "form_name": "Mẫu TK-KS",
                "form_template": "catalog/forms/1.001193/01.docx",
            },
            {"name": "Giấy chứng sinh", "originals": 1, "photocopies": 2, "is_required": False},
        ],
        legal_basis=[{"number": "60/2014/QH13", "title": "Luật Hộ tịch"}],
    )
    death = make_procedure(
        code="1.000656", name="Thủ tục đăng ký khai tử", sector=civil, agencies=[commune], online_level=3
    )
    land_info = make_procedure(
        code="1.004227",
        name="Cung cấp thông tin đất đai",
        sector=land,
        agencies=[justice],
        authority_level=AuthorityLevel.PROVINCE,
        online_level=1,
        methods=[{"channel": "in_person", "processing_time": "16", "time_unit": "working_hour"}],
    )
    land_copy = make_procedure(
        code="2.000100",
        name="Trích lục bản đồ địa chính",
        sector=land,
        agencies=[justice],
        authority_level=AuthorityLevel.PROVINCE,
        online_level=2,
        methods=[{"channel": "in_person", "processing_time": "5", "time_unit": "working_day"}],
    )
    return {
        "province": province,
        "justice": justice,
        "commune": commune,
        "civil": civil,
        "land": land,
        "birth": birth,
        "death": death,
        "land_info": land_info,
        "land_copy": land_copy,
    }
