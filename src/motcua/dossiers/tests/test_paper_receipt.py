"""Issuing the receipt and appointment slip (form 01): once per dossier, privately stored, e-mailed."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from motcua.catalog.models import Channel
from motcua.documents import selectors
from motcua.documents.models import Document, DocumentKind
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import ApplicantKind, DossierStatus
from motcua.dossiers.papers import mail, receipt_pdf
from motcua.dossiers.papers import receipt as receipt_paper
from motcua.dossiers.tests.paper_fixtures import CODE, COMPONENTS, attach, make_dossier, text_of

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7\n% stands in for a rendered receipt\n"


@pytest.fixture
def fake_renderer(monkeypatch):
    """For tests about storing and reading receipts: skip the drawing, count the receipts drawn."""
    calls = []

    def render(context):
        calls.append(context["dossier"].code)
        return FAKE_PDF + context["dossier"].code.encode()

    monkeypatch.setattr(receipt_pdf, "render", render)
    return calls


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_the_receipt_is_stored_once_in_the_private_storage(dossier, fake_renderer):
    receipt = receipt_paper.receipt(dossier)

    assert receipt.kind == DocumentKind.RECEIPT and receipt.subject == dossier and receipt.number == ""
    assert re.fullmatch(rf"documents/\d{{4}}/\d{{2}}/receipt-{receipt.uuid}\.pdf", receipt.file.name)
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / receipt.file.name
    assert stored.read_bytes().startswith(b"%PDF")
    assert receipt.size == stored.stat().st_size
    assert receipt.sha256 == hashlib.sha256(stored.read_bytes()).hexdigest()
    with pytest.raises(ValueError, match="no public URL"):
        receipt.file.url  # noqa: B018 (reading the property is the test)

    # Asked again (a second e-mail, a download): the same document, not rendered again.
    assert receipt_paper.receipt(dossier) == receipt
    assert selectors.current_document(dossier, "receipt") == receipt
    assert Document.objects.count() == 1 and fake_renderer == [CODE]


def test_two_workers_issuing_the_receipt_at_once_leave_one(dossier, fake_renderer, monkeypatch):
    winner = receipt_paper.receipt(dossier)
    # The loser looked before the winner stored its row, so it renders and stores too.
    real_current = selectors.current_document
    looks = iter([None])
    monkeypatch.setattr(selectors, "current_document", lambda d, k: next(looks, None) or real_current(d, k))

    assert receipt_paper.receipt(dossier) == winner
    assert selectors.documents_about(dossier).count() == 1
    # The loser's file is deleted again: only the winner's is left.
    assert files_under(Path(settings.PRIVATE_MEDIA_ROOT) / "documents") == [
        Path(settings.PRIVATE_MEDIA_ROOT) / winner.file.name
    ]


def test_a_draft_has_no_receipt(dossier, fake_renderer):
    draft = make_dossier(
        dossier.procedure, dossier.agency, code=None, status=DossierStatus.DRAFT, submitted_at=None
    )
    with pytest.raises(ValueError, match="draft"):
        receipt_paper.receipt(draft)
    assert mail.receipt_attachment(draft.pk) is None
    assert mail.receipt_attachment(draft.pk + 1000) is None  # no such dossier (any more)
    assert not Document.objects.exists() and fake_renderer == []


def test_the_outbox_attaches_the_receipt_to_the_e_mail(dossier, fake_renderer):
    filename, content, mimetype = mail.receipt_attachment(dossier.pk)

    assert filename == f"giay-tiep-nhan-{CODE}.pdf"
    assert mimetype == "application/pdf"
    assert (
        content
        == FAKE_PDF + CODE.encode()
        == selectors.document_bytes(selectors.current_document(dossier, "receipt"))
    )


def test_a_receipt_whose_file_changed_is_not_sent(dossier, fake_renderer):
    receipt = receipt_paper.receipt(dossier)
    (Path(settings.PRIVATE_MEDIA_ROOT) / receipt.file.name).write_bytes(b"%PDF-1.7 something else")

    with pytest.raises(selectors.TamperedDocument):
        mail.receipt_attachment(dossier.pk)


def test_an_online_receipt_lists_the_papers_and_names_no_officer(dossier):
    context = receipt_paper.receipt_context(dossier)

    assert context["tracking_url"] == f"http://127.0.0.1:8000/tra-cuu/?code={CODE}"
    assert context["officer_name"] == "" and context["channel"] == "Trực tuyến"
    assert context["id_label"] == "Số định danh cá nhân"
    assert context["processing_time"] == "3 ngày làm việc"
    assert [(p["name"], p["files"]) for p in context["papers"]] == [
        (COMPONENTS[0]["name"], 1),
        (COMPONENTS[1]["name"], 2),
    ]  # the optional paper was not attached


def test_an_optional_paper_is_listed_once_attached(dossier):
    attach(dossier, 3, "uy-quyen.pdf")
    attach(dossier, 9, "giay-khac.pdf")  # a paper the procedure does not list

    papers = receipt_paper.receipt_context(dossier)["papers"]

    assert [(p["name"], p["files"]) for p in papers][2:] == [(COMPONENTS[2]["name"], 1), ("Giấy tờ khác", 1)]


def test_a_counter_receipt_names_the_counter_officer_and_has_signature_lines(dossier, counter_officer):
    dossier.channel = Channel.IN_PERSON
    dossier.submitted_by = counter_officer
    dossier.due_is_provisional = False
    dossier.applicant_kind = ApplicantKind.BUSINESS

    context = receipt_paper.receipt_context(dossier)
    text = text_of(receipt_pdf.render(context))

    assert context["officer_name"] == "Lê Thị Hoa" and context["channel"] == "Trực tiếp"
    assert "Mã số thuế: 030090012345" in text
    assert "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) Nguyễn Văn An" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Lê Thị Hoa" in text
    assert "là dự kiến" not in text  # the desk fixed the appointment


def test_the_provisional_appointment_is_said_so(dossier):
    text = text_of(receipt_pdf.render(receipt_paper.receipt_context(dossier)))
    assert "Thời gian hẹn trả kết quả là dự kiến" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" not in text  # nobody signs an online receipt


def test_the_tracking_address_follows_the_public_url_setting(dossier, settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.haidong.example.vn/"
    assert (
        dossier_selectors.tracking_url(dossier)
        == f"https://dichvucong.haidong.example.vn/tra-cuu/?code={CODE}"
    )
