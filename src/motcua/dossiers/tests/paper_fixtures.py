"""Dossiers with their papers, for the tests of the papers (receipt, slips, signed results) and of the
documents app that stores, signs and verifies them: a submitted dossier built directly with the ORM, as
dossiers.services leaves one after sending it, and its receipt and result issued once for the whole run.

A pytest plugin (named in the root conftest.py), so that both apps' tests use the same builders."""

import io
import json
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader, PdfWriter

from motcua.accounts.models import AccountKind, OfficerMembership, OfficerRole, User
from motcua.catalog.models import Channel
from motcua.catalog.services import export_queryset, procedure_to_record
from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.documents.models import DocumentKind
from motcua.dossiers.models import Attachment, Dossier, DossierStatus

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.20.H99-261202-0001"
COMPONENTS = [
    {"name": "Tờ khai đăng ký khai sinh theo mẫu", "originals": 1},
    {"name": "Giấy chứng sinh do cơ sở y tế cấp", "originals": 1, "photocopies": 1},
    {"name": "Văn bản ủy quyền (nếu có)", "originals": 1, "is_required": False},
]


def build_agency():
    province = make_agency(code="000.00.00.H99", name="Ủy ban nhân dân tỉnh Hải Đông")
    return make_agency(
        code="000.00.20.H99",
        name="Trung tâm Phục vụ hành chính công tỉnh Hải Đông",
        parent=province,
        address="Số 1 đường Trần Hưng Đạo, phường Hải An",
        phone="0220 3 123 456",
    )


def build_procedure(agency):
    return make_procedure(code="1.001193", name="Đăng ký khai sinh", agencies=[agency], components=COMPONENTS)


def build_citizen():
    return User.objects.create_user("030090012345", full_name="Nguyễn Văn An", kind=AccountKind.CITIZEN)


def text_of(pdf: bytes) -> str:
    """The text of every page of a PDF, NFC-normalised and with runs of white space made single spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def record_of(procedure) -> dict:
    """The procedure as a dossier keeps it when received: the published record, components with orders."""
    record = procedure_to_record(export_queryset().get(pk=procedure.pk))
    for item, component in zip(record["components"], procedure.components.all(), strict=True):
        item["order"] = component.order
    return record


def make_dossier(procedure, agency, **fields) -> Dossier:
    """A dossier as it is right after sending: status 1, a code, its times and the procedure as received."""
    values = {
        "procedure": procedure,
        "agency": agency,
        "procedure_record": record_of(procedure),
        "code": CODE,
        "status": DossierStatus.SUBMITTED,
        "channel": Channel.ONLINE,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "030090012345",
        "applicant_phone": "0912345678",
        "applicant_email": "an@example.com",
        "applicant_address": "Số 5 ngõ 12 phố Lê Lợi, phường Hải An, tỉnh Hải Đông",
        "submitted_at": datetime(2026, 12, 2, 9, 30, tzinfo=LOCAL),
        "received_at": datetime(2026, 12, 2, 9, 30, tzinfo=LOCAL),
        "due_at": datetime(2026, 12, 7, 9, 30, tzinfo=LOCAL),
        "due_is_provisional": True,
    }
    values.update(fields)
    return Dossier.objects.create(**values)


def attach(dossier, order: int, original_name: str) -> Attachment:
    content = b"%PDF-1.4\n% a scanned paper\n"
    attachment = Attachment(
        dossier=dossier,
        component_order=order,
        component_name=COMPONENTS[order - 1]["name"] if order <= len(COMPONENTS) else "Giấy tờ khác",
        original_name=original_name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )
    attachment.file.save(original_name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def build_online_dossier() -> Dossier:
    """Sent online by the citizen: files for the two required components, none for the optional one."""
    agency = build_agency()
    citizen = build_citizen()
    dossier = make_dossier(build_procedure(agency), agency, applicant=citizen, submitted_by=citizen)
    attach(dossier, 1, "to-khai.pdf")
    attach(dossier, 2, "giay-chung-sinh-1.jpg")
    attach(dossier, 2, "giay-chung-sinh-2.jpg")
    return dossier


@pytest.fixture
def dossier(db):
    return build_online_dossier()


@pytest.fixture
def counter_officer(dossier):
    user = User.objects.create_user("motcua.tthcc-tinh", full_name="Lê Thị Hoa", kind=AccountKind.OFFICER)
    OfficerMembership.objects.create(user=user, agency=dossier.agency, role=OfficerRole.DESK)
    return user


_issued = {}


@pytest.fixture
def issued_receipt(dossier):
    """The receipt of ``dossier`` issued through ``papers.receipt``, for the tests that only read the PDF.

    Rendering is the slow part, so the bytes are kept for the whole test run: every test builds the same
    dossier, and the rows and files of each test go as usual.
    """
    from motcua.documents import selectors
    from motcua.dossiers import selectors as dossier_selectors
    from motcua.dossiers.papers import receipt

    if not _issued:
        document = receipt.receipt(dossier)
        _issued.update(
            pdf=selectors.document_bytes(document), tracking_url=dossier_selectors.tracking_url(dossier)
        )
    return _issued


def issue_result(dossier, *, number, signed_by, agency=None, decision_text="", signer_title=""):
    """Sign and store the result of ``dossier`` as an approval does, without the approval's transition."""
    from motcua.documents import services
    from motcua.dossiers.papers import result

    signing = services.signing_for(agency or dossier.agency)
    signed = result.sign(
        dossier,
        signing,
        number=number,
        signed_by=signed_by,
        decision_text=decision_text,
        signer_title=signer_title,
    )
    return result.store(dossier, signed, signed_by=signed_by)


# --- signed results -------------------------------------------------------------------------------------

BIRTH_FORM = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "1.001193-khai-sinh.json"
RESULT_NUMBER = "125/GKS-UBND"


def build_birth_dossier(**fields) -> Dossier:
    """The online birth registration of the demo: form 1.001193 with its example data, sent by a citizen."""
    from motcua.forms.models import OnlineForm

    definition = json.loads(BIRTH_FORM.read_text(encoding="utf-8"))
    agency = build_agency()
    procedure = make_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        agencies=[agency],
        components=COMPONENTS,
        result_type="Giấy khai sinh (bản chính) và bản điện tử Giấy khai sinh; bản sao Giấy khai sinh nếu "
        "người yêu cầu đề nghị.",
    )
    form = OnlineForm.objects.create(
        procedure=procedure, version=1, schema=definition["schema"], ui=definition["ui"]
    )
    citizen = build_citizen()
    data = definition["example"]["data"]
    values = {"applicant": citizen, "submitted_by": citizen, "form": form, "data": data}
    values.update(fields)
    return make_dossier(procedure, agency, **values)


def build_leader(agency, username="lanhdao.tthcc-tinh") -> User:
    leader = User.objects.create_user(username, full_name="Phạm Quang Minh", kind=AccountKind.OFFICER)
    OfficerMembership.objects.create(user=leader, agency=agency, role=OfficerRole.LEADER)
    return leader


@pytest.fixture
def birth_dossier(db, demo_pki):
    """The birth registration, its agency holding its demo certificate (as setup_demo_pki leaves it)."""
    from motcua.documents import pki

    dossier = build_birth_dossier()
    pki.ensure_demo_certificate(dossier.agency)
    return dossier


@pytest.fixture
def leader(birth_dossier):
    return build_leader(birth_dossier.agency)


_result = {}


@pytest.fixture
def issued_result(birth_dossier, leader):
    """The signed result of ``birth_dossier`` and its PDF: issued (rendered and signed) once for the whole
    run; later tests get the same PDF recorded again as the same document, without rendering or signing."""
    from motcua.documents import pki, selectors, services
    from motcua.dossiers.papers import result

    if not _result:
        document = issue_result(
            birth_dossier,
            number=RESULT_NUMBER,
            signed_by=leader,
            signer_title="Giám đốc",
            decision_text="Đăng ký khai sinh cho công dân theo tờ khai.",
        )
        _result["pdf"] = selectors.document_bytes(document)
        _result["facts"] = {
            name: getattr(document, name)
            for name in (
                "number", "verification_code", "issued_at", "signer_name", "signer_title", "signed_digest",
                "title", "procedure_code", "procedure_name",
            )
        }  # fmt: skip
        return {"document": document, "pdf": _result["pdf"]}
    certificate = pki.ensure_demo_certificate(birth_dossier.agency)
    document = services.store_document(
        birth_dossier,
        DocumentKind.RESULT,
        _result["pdf"],
        agency=birth_dossier.agency,
        signed_by=leader,
        certificate=certificate,
        certificate_fingerprint=certificate.fingerprint,
        **_result["facts"],
    )
    result.keep_for_applicant(birth_dossier, document)
    return {"document": document, "pdf": _result["pdf"]}


# --- PDFs to verify: the issued one, and what may become of it -------------------------------------------


def blank_pdf() -> bytes:
    """A one-page PDF without any signature (what pypdf writes)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signer_from_file(path: Path):
    """A pyHanko signer straight from a demo PKCS#12 file, registered nowhere (as a forger would have)."""
    from pyhanko.sign import signers

    from motcua.documents import pki

    return signers.SimpleSigner.load_pkcs12_data(path.read_bytes(), [], passphrase=pki.demo_passphrase())


def flip_signed_byte(pdf: bytes) -> bytes:
    """One bit changed inside the first content stream: within the signed bytes, the file still opens."""
    at = pdf.index(b"stream\n") + len(b"stream\n") + 20
    altered = bytearray(pdf)
    altered[at] ^= 0x01
    return bytes(altered)


def with_annotation_added(pdf: bytes) -> bytes:
    """An incremental update appended after the signature, as editors save: a note on the first page."""
    from pypdf.annotations import FreeText

    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_annotation(0, FreeText(text="Đã sửa", rect=(50, 50, 200, 100)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def resaved(pdf: bytes) -> bytes:
    """The whole file rewritten by pypdf: the same pages, other bytes."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
