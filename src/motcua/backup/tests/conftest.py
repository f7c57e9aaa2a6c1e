"""A populated instance to back up, and a picture of it to compare after a restore.

The instance: a submitted dossier with two papers (and its receipt), a decided one with its signed result
numbered and issued, the officers who handled them, and the audit entries all this wrote.
"""

import io
import shutil
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from motcua.accounts.models import OfficerRole
from motcua.audit import services as audit
from motcua.audit.models import AuditEntry
from motcua.documents import pki
from motcua.documents.models import Document, DocumentKind
from motcua.dossiers import services
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.dossiers.papers import receipt as receipt_paper
from motcua.dossiers.papers import result as result_paper
from motcua.dossiers.tests.fixtures import jpeg_with_exif, make_officer, pdf_bytes, upload
from motcua.dossiers.tests.test_workflow import Clock


@pytest.fixture
def populated(citizen, procedure, online_form, valid_data, agency, demo_pki, monkeypatch):
    Clock(monkeypatch)
    pki.ensure_demo_certificate(agency)
    staff = {role: make_officer(f"{role}.sao-luu", agency, role=role) for role in OfficerRole.values}

    def sent(*papers):
        draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
        for order, paper in enumerate(papers, start=1):
            services.add_attachment(draft, component_order=order, upload=paper, by=citizen)
        return services.submit(draft, by=citizen)

    submitted = sent(upload(pdf_bytes(pages=2)), upload(jpeg_with_exif(), "anh.jpg", "image/jpeg"))
    receipt_paper.receipt(submitted)  # stored when first asked for
    decided = services.receive(sent(upload(pdf_bytes())), by=staff["desk"])
    decided = services.assign(decided, by=staff["leader"], assignee=staff["specialist"].username)
    decided = services.propose(decided, by=staff["specialist"])
    decided = services.approve(decided, by=staff["leader"], note="Đồng ý")
    decided = services.number_result(decided, by=staff["records"])
    result = result_paper.standing(decided)
    assert result is not None and result.kind == DocumentKind.RESULT
    return SimpleNamespace(submitted=submitted, decided=decided, result=result, staff=staff)


@pytest.fixture
def backup(tmp_path):
    """A small instance (two audit entries, a file in each storage) and its backup."""
    audit.record("backup.test", target_label="trước sao lưu")
    audit.record("backup.test", target_label="trước sao lưu 2")
    storages["default"].save("news/anh.txt", ContentFile(b"public"))
    storages["private"].save("dossiers/x/giay-to.pdf", ContentFile(b"%PDF-1.4 private"))
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    return folder


def state() -> tuple:
    with storages["private"].open("dossiers/x/giay-to.pdf") as fh:
        private = fh.read()
    return list(AuditEntry.objects.values_list("seq", "hash")), private


def read(field_file) -> bytes:
    with field_file.open("rb") as fh:
        return fh.read()


def picture() -> dict:
    """Everything a round trip must keep: rows of each kind and the bytes of every stored file."""
    return {
        "dossiers": list(Dossier.objects.order_by("pk").values_list("pk", "code", "status", "applicant_id")),
        "events": list(DossierEvent.objects.order_by("pk").values_list("pk", "action", "to_status")),
        "attachments": [(a.pk, a.file.name, a.size, read(a.file)) for a in Attachment.objects.order_by("pk")],
        "documents": [
            (d.pk, d.kind, d.file.name, d.sha256, read(d.file)) for d in Document.objects.order_by("pk")
        ],
        "audit": list(AuditEntry.objects.order_by("seq").values_list("seq", "action", "hash", "prev_hash")),
    }


def wipe() -> None:
    """The disaster: every table emptied and every stored file gone."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)
