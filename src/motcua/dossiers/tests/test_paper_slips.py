"""Slips 02 to 06 come out of the dossier's own record, in Vietnamese, as PDFs."""

import io

import pytest
from pypdf import PdfReader

from motcua.accounts.models import OfficerRole
from motcua.dossiers import services
from motcua.dossiers.papers import mail, slips
from motcua.dossiers.tests.fixtures import make_officer, pdf_bytes, upload


def text_of(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def staff(agency):
    return {r: make_officer(f"{r}.phieu", agency, role=r) for r in OfficerRole.values}


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


def test_supplement_request_and_control_sheet(sent, staff):
    dossier = services.receive(sent, by=staff["desk"])
    services.request_supplement(
        dossier, by=staff["desk"], note="Ảnh chụp bị mờ", papers=[{"name": "Giấy chứng sinh", "originals": 1}]
    )
    text = text_of(slips.render_slip(dossier, "supplement_request"))
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text.upper() and "Giấy chứng sinh" in text and "Ảnh chụp bị mờ" in text
    sheet = text_of(slips.render_slip(dossier, "control_sheet"))
    assert dossier.code in sheet and "Yêu cầu bổ sung" in sheet


def test_refusal_and_missing_records(sent, staff):
    with pytest.raises(Exception):  # noqa: B017 - no refusal recorded yet
        slips.render_slip(sent, "refusal")
    services.refuse(sent, by=staff["desk"], note="Hồ sơ không thuộc thẩm quyền")
    assert "không thuộc thẩm quyền" in text_of(slips.render_slip(sent, "refusal"))
    name, content, mime = mail.slip_attachment(sent.pk, "refusal")
    assert content.startswith(b"%PDF")
    assert name == f"phieu-tu-choi-tiep-nhan-{sent.code}.pdf" and mime == "application/pdf"
