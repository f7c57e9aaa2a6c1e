"""Issuing a signed result: rendered, numbered, signed with the agency's certificate (PAdES), stored, and
kept in the applicant's document store; what the PDF says, read back as a person, a phone and pyHanko
would."""

import datetime
import hashlib
import io
import re
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from motcua.documents import pdf, pki, selectors, services, verification
from motcua.documents.models import Document, DocumentKind, StoredDocument
from motcua.documents.qr import BORDER, PNG_SCALE, make_qr
from motcua.dossiers.papers import result as result_paper
from motcua.dossiers.tests.paper_fixtures import (
    RESULT_NUMBER,
    blank_pdf,
    build_leader,
    issue_result,
    make_dossier,
)

from .test_paper_receipt_pdf import text_of

pytestmark = pytest.mark.django_db


def validate(signed: bytes):
    """pyHanko's own validation of the first signature, trusting the demo CA only."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    return signature, validate_pdf_signature(signature, ValidationContext(trust_roots=pki.trust_roots()))


def test_the_result_is_a_pdf_signed_by_the_agency_as_a_whole(issued_result, birth_dossier):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    signed = issued_result["pdf"]
    assert signed.startswith(b"%PDF-")
    signature, status = validate(signed)

    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE  # nothing after the signature
    assert signature.field_name == pki.SIGNATURE_FIELD
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert signature.docmdp_level.name == "NO_CHANGES"  # certified: viewers flag any later change
    # Signed by the agency's demo certificate, whose path of trust ends at the demo CA.
    agency_certificate = pki.active_certificate(birth_dossier.agency)
    assert status.signing_cert.sha256.hex() == agency_certificate.fingerprint
    path = [c.sha256.hex() for c in status.validation_path.iter_certs(include_root=True)]
    assert path == [pki.fingerprint(pki.demo_ca_certificate()), agency_certificate.fingerprint]


def test_the_document_records_what_verification_needs(issued_result, birth_dossier, leader):
    document = issued_result["document"]
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / document.file.name

    assert document.kind == DocumentKind.RESULT and document.number == RESULT_NUMBER
    assert stored.read_bytes() == issued_result["pdf"]
    assert document.sha256 == hashlib.sha256(issued_result["pdf"]).hexdigest()
    group = "[0-9A-HJKMNP-TV-Z]{4}"  # Crockford's base32: no I, L, O, U
    assert re.fullmatch(f"{group}-{group}-{group}", document.verification_code)
    assert document.signed_by == leader and document.signer_name == "Phạm Quang Minh"
    assert document.signer_title == "Giám đốc" and document.issued_at is not None
    assert document.agency == birth_dossier.agency
    assert document.certificate == pki.active_certificate(birth_dossier.agency)
    assert document.certificate_fingerprint == document.certificate.fingerprint
    assert document.signed_digest == verification.open_signature(issued_result["pdf"]).claimed_digest
    assert result_paper.standing(birth_dossier) == document
    assert document.subject == birth_dossier and document.title == "Giấy khai sinh"


def test_the_birth_certificate_prints_the_form_data_and_its_verification_code(issued_result):
    text = text_of(issued_result["pdf"])
    code = issued_result["document"].verification_code

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"Số: {RESULT_NUMBER}" in text
    assert "Hải Đông, ngày" in text  # the place name before the date (Decree 30/2020)
    assert "GIẤY KHAI SINH" in text
    assert "Họ, chữ đệm, tên: NGUYỄN MINH KHANG" in text
    assert "Ngày, tháng, năm sinh: 02/10/2024" in text
    assert "Giới tính: Nam; dân tộc: Kinh; quốc tịch: Việt Nam" in text  # choices as their labels
    assert "Họ, chữ đệm, tên người mẹ: Trần Thị Bình" in text
    assert "Người đi khai sinh: Nguyễn Văn An (Cha)" in text
    assert "Đăng ký khai sinh cho công dân theo tờ khai." in text  # the decision text
    assert "GIÁM ĐỐC (Đã ký số) Phạm Quang Minh" in text
    assert f"Mã xác minh: {code}" in text
    assert f"{settings.MOTCUA_PUBLIC_URL}/xac-minh/{code}/" in text.replace(" ", "")


def test_the_qr_code_on_the_result_opens_its_verification_page(issued_result):
    reader = pypdf.PdfReader(io.BytesIO(issued_result["pdf"]))
    (image,) = reader.pages[0].images
    pixels = image.image.convert("L")
    url = f"http://127.0.0.1:8000/xac-minh/{issued_result['document'].verification_code}/"
    symbol = make_qr(url)
    size = symbol.symbol_size(scale=1, border=BORDER)[0]
    half = PNG_SCALE // 2
    printed = [
        [pixels.getpixel((x * PNG_SCALE + half, y * PNG_SCALE + half)) < 128 for x in range(size)]
        for y in range(size)
    ]
    assert printed == [[bool(module) for module in row] for row in symbol.matrix_iter(border=BORDER)]


def test_the_result_is_kept_in_the_applicants_document_store(issued_result, birth_dossier):
    (kept,) = selectors.store_of(birth_dossier.applicant)
    assert kept.document == issued_result["document"]
    assert kept.title == f"Giấy khai sinh số {RESULT_NUMBER}"
    # Kept once, however often it is asked.
    services.keep_in_store(issued_result["document"], owner=birth_dossier.applicant, title="x")
    assert StoredDocument.objects.count() == 1


def test_a_procedure_without_its_own_template_gets_the_default_result(birth_dossier, leader):
    dossier = make_dossier(
        birth_dossier.procedure,
        birth_dossier.agency,
        code="000.00.20.H99-261202-0002",
        form=birth_dossier.form,
        data=birth_dossier.data,
        procedure_record={**birth_dossier.procedure_record, "code": "9.999999"},
    )
    assert result_paper.templates(dossier) == [
        "dossiers/papers/results/9.999999.html",
        "dossiers/papers/result.html",
    ]
    context = result_paper.result_context(
        dossier,
        agency=dossier.agency,
        number="7/QĐ-UBND",
        verification_code="7K2M-9QXD-4HNB",
        issued_at=dossier.received_at,
        signer_name="Phạm Quang Minh",
        decision_text="Chấp thuận.",
    )
    html = render_to_string(result_paper.templates(dossier), context)

    assert "<h1>Giấy khai sinh</h1>" in html  # the title from the procedure's result
    assert "Số: 7/QĐ-UBND" in html and "Cấp cho: <b>Nguyễn Văn An</b>" in html
    # The form data as a table: groups as headings, values as the form shows them.
    assert '<th colspan="2" class="depth-0">Người được khai sinh</th>' in html
    assert '<td class="label depth-1">Giới tính</td><td>Nam</td>' in html
    assert "<td>02/10/2024</td>" in html
    assert "Tôi cam đoan" not in html  # a declaration of the applicant, not a fact of the result
    assert "Mã xác minh: <b" in html and "7K2M-9QXD-4HNB" in html


@pytest.mark.parametrize(
    ("result_type", "title"),
    [
        ("Giấy khai sinh (bản chính) và bản điện tử Giấy khai sinh; bản sao…", "Giấy khai sinh"),
        ("Giấy chứng nhận kết hôn (01 bản chính cho mỗi bên) và bản điện tử.", "Giấy chứng nhận kết hôn"),
        ("Xác nhận thông tin về cư trú (CT07); có giá trị 01 năm.", "Xác nhận thông tin về cư trú"),
        ("Giấy phép xây dựng.", "Giấy phép xây dựng"),
        ("", "Kết quả giải quyết thủ tục hành chính"),
        ("Cơ quan đăng ký kinh doanh cấp xã chuyển tình trạng pháp lý của hộ kinh doanh trong Cơ sở dữ liệu "
         "về đăng ký hộ kinh doanh sang tình trạng đã chấm dứt hoạt động.",
         "Kết quả giải quyết thủ tục hành chính"),
    ],
)  # fmt: skip
def test_the_title_is_the_first_document_the_procedure_names_as_its_result(result_type, title):
    assert result_paper.title({"result_type": result_type}) == title


def test_the_place_name_comes_from_the_agency_or_its_parents(birth_dossier):
    from motcua.catalog.tests.factories import make_agency

    commune = make_agency(code="000.00.50.H99", name="Ủy ban nhân dân xã Tân Phong")
    assert selectors.place_name(commune) == "Tân Phong"
    assert selectors.place_name(birth_dossier.agency) == "Hải Đông"  # … công tỉnh Hải Đông
    assert selectors.place_name(make_agency(code="000.00.51.H99", name="Văn phòng")) == ""


# --- issuing, fast: the rendering replaced by a blank page (signing stays real) ---------------------------


@pytest.fixture
def fast_render(monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", lambda template_name, context, request=None: blank_pdf())


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_a_code_already_given_is_never_given_again(birth_dossier, leader, fast_render, monkeypatch):
    first = issue_result(birth_dossier, number="1/GKS", signed_by=leader)
    codes = iter([first.verification_code, "7K2M-9QXD-4HNB"])
    monkeypatch.setattr(services, "new_verification_code", lambda: next(codes))

    second = issue_result(birth_dossier, number="2/GKS", signed_by=leader)
    assert second.verification_code == "7K2M-9QXD-4HNB"


def test_a_refused_row_leaves_no_file_behind(birth_dossier, leader, fast_render, monkeypatch):
    first = issue_result(birth_dossier, number="1/GKS", signed_by=leader)
    # The one-in-2^60 repeat that slips past the check: the unique constraint refuses the row.
    monkeypatch.setattr(services, "unused_verification_code", lambda: first.verification_code)

    with transaction.atomic(), pytest.raises(IntegrityError):
        issue_result(birth_dossier, number="2/GKS", signed_by=leader)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    assert files_under(root) == [root / first.file.name]
    assert Document.objects.filter(kind=DocumentKind.RESULT).count() == 1


def test_a_rolled_back_approval_leaves_a_file_that_the_sweep_deletes(birth_dossier, leader, fast_render):
    class ApprovalFailed(Exception):
        pass

    with pytest.raises(ApprovalFailed), transaction.atomic():  # a transaction that stores a result
        issue_result(birth_dossier, number="1/GKS", signed_by=leader)
        raise ApprovalFailed  # something after it fails: the rows go, the file stays until the sweep
    assert not Document.objects.exists() and not StoredDocument.objects.exists()
    (orphan,) = files_under(Path(settings.PRIVATE_MEDIA_ROOT) / "documents")

    assert services.delete_orphan_files() == []  # too young: it may belong to a transaction still running
    assert services.delete_orphan_files(older_than=datetime.timedelta(0)) == [
        orphan.relative_to(settings.PRIVATE_MEDIA_ROOT).as_posix()
    ]
    assert not orphan.exists()


def test_the_sweep_keeps_the_files_of_recorded_documents(issued_result):
    assert services.delete_orphan_files(older_than=datetime.timedelta(0)) == []
    assert Path(settings.PRIVATE_MEDIA_ROOT, issued_result["document"].file.name).exists()


def test_an_agency_that_cannot_sign_stores_nothing(birth_dossier, leader, fast_render, settings):
    settings.DEBUG = False
    pki.active_certificate(birth_dossier.agency).delete()
    with pytest.raises(pki.CertificateProblem):
        issue_result(birth_dossier, number="1/GKS", signed_by=leader)
    assert not Document.objects.exists()
    assert files_under(Path(settings.PRIVATE_MEDIA_ROOT)) == []


def test_a_counter_dossier_without_an_account_has_no_store(birth_dossier, leader, fast_render):
    counter = make_dossier(
        birth_dossier.procedure, birth_dossier.agency, code="000.00.20.H99-261202-0003", applicant=None
    )
    document = issue_result(counter, number="3/GKS", signed_by=leader)
    assert services.keep_in_store(document, owner=counter.applicant, title="x") is None
    assert not StoredDocument.objects.exists()


def test_another_agency_can_sign_the_result(birth_dossier, fast_render):
    from motcua.catalog.tests.factories import make_agency

    justice = make_agency(code="000.00.60.H99", name="Sở Tư pháp tỉnh Hải Đông")
    pki.ensure_demo_certificate(justice)
    signer = build_leader(justice, username="lanhdao.so-tu-phap")
    document = issue_result(birth_dossier, number="4/STP", signed_by=signer, agency=justice)
    assert document.agency == justice and document.certificate.agency == justice
    assert selectors.verify_pdf(selectors.document_bytes(document)).document.agency_name == justice.name
