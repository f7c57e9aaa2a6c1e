"""The electronic payment receipt (biên lai điện tử): what its PDF says, its number (per agency and year,
without gaps), one receipt per payment however often asked, kept with the dossier and in the applicant's
store, and verifiable at /xac-minh/ like a result."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from motcua.documents import selectors, services
from motcua.documents.models import Document, DocumentKind, ReceiptSequence
from motcua.documents.verification import Reason

pytestmark = pytest.mark.django_db

PAID_AT = datetime(2026, 12, 3, 10, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def issue(dossier, reference="MC20261203000001", **changes):
    values = {
        "dossier": dossier,
        "payer_name": "Nguyễn Văn An",
        "payer_id_number": "030090012345",
        "amount": 200_000,
        "lines": [
            {"name": "Lệ phí đăng ký khai sinh", "amount": 150_000},
            {"name": "Phí cấp bản sao trích lục", "amount": 50_000},
        ],
        "agency": dossier.agency,
        "paid_at": PAID_AT,
        "payment_reference": reference,
        "gateway_label": "VNPay (hộp cát)",
    }
    values.update(changes)
    return services.issue_payment_receipt(**values)


def pdf_text(document) -> str:
    reader = PdfReader(io.BytesIO(selectors.document_bytes(document)))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_receipt_prints_payer_amounts_in_figures_and_words_fees_and_payment(birth_dossier):
    receipt = issue(birth_dossier)

    text = pdf_text(receipt)
    assert receipt.kind == DocumentKind.PAYMENT_RECEIPT and receipt.number == "0000001/2026"
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and "Số biên lai: 0000001/2026" in text
    assert "Nguyễn Văn An" in text and "030090012345" in text
    assert "Lệ phí đăng ký khai sinh" in text and "150.000 đ" in text and "50.000 đ" in text
    assert "200.000 đ" in text and "Bằng chữ: Hai trăm nghìn đồng" in text
    assert "MC20261203000001" in text and "VNPay (hộp cát)" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH HẢI ĐÔNG" in text  # the agency, as the header prints it
    assert receipt.verification_code in text and birth_dossier.code in text
    # Signed like a result, since the agency has a certificate.
    assert receipt.certificate is not None and receipt.signed_digest


def test_it_is_kept_with_the_dossier_and_in_the_applicants_store(birth_dossier):
    receipt = issue(birth_dossier)

    assert selectors.documents_about(birth_dossier, DocumentKind.PAYMENT_RECEIPT).get() == receipt
    entry = selectors.store_of(birth_dossier.applicant).get()
    assert entry.document == receipt and entry.title == "Biên lai thu phí, lệ phí số 0000001/2026"
    assert entry.issuer == birth_dossier.agency.name


def test_issuing_it_again_for_the_same_payment_returns_the_first_and_uses_no_number(birth_dossier):
    first = issue(birth_dossier)
    again = issue(birth_dossier)

    assert again.pk == first.pk
    assert Document.objects.filter(kind=DocumentKind.PAYMENT_RECEIPT).count() == 1
    assert ReceiptSequence.objects.get().last == 1


def test_numbers_follow_each_other_without_gaps_per_agency_and_year(birth_dossier):
    numbers = [issue(birth_dossier, reference=f"MC-{i}").number for i in range(3)]
    next_year = issue(birth_dossier, reference="MC-2027", paid_at=PAID_AT.replace(year=2027))

    assert numbers == ["0000001/2026", "0000002/2026", "0000003/2026"]
    assert next_year.number == "0000001/2027"


def test_a_refused_receipt_gives_its_number_back(birth_dossier):
    with pytest.raises(ValueError):
        issue(birth_dossier, amount=300_000)  # the lines add up to 200,000
    assert issue(birth_dossier).number == "0000001/2026"


def test_the_verification_page_finds_the_receipt_by_its_code_and_its_file(birth_dossier, client):
    receipt = issue(birth_dossier)

    by_code = selectors.verify_code(receipt.verification_code)
    assert by_code.genuine and by_code.document.kind == DocumentKind.PAYMENT_RECEIPT
    assert by_code.document.number == "0000001/2026"
    by_file = selectors.verify_pdf(selectors.document_bytes(receipt))
    assert by_file.genuine and by_file.reason == Reason.GENUINE
    page = client.get(f"/xac-minh/{receipt.verification_code}/")
    assert page.status_code == 200 and "0000001/2026" in page.content.decode()
