"""A populated instance is backed up, lost, and restored: every dossier, paper, signature and audit entry
comes back, on whichever database the suite runs (CI runs it on SQLite and on PostgreSQL)."""

import io

import pytest
from django.core.management import call_command

from motcua.audit.selectors import verify_chain
from motcua.documents import selectors as documents
from motcua.dossiers.models import Dossier

from .conftest import picture, wipe

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lost_instance_comes_back_whole(populated, tmp_path):
    before = picture()
    assert len(before["attachments"]) == 3 and len(before["audit"]) >= 7
    assert {kind for _, kind, *_ in before["documents"]} >= {"receipt", "result"}
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    assert "Backup written to" in out.getvalue()

    wipe()
    assert not Dossier.objects.exists()

    out = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), interactive=False, stdout=out)
    report = out.getvalue()
    assert "Restore complete; every check passed." in report
    assert picture() == before
    # The signed result still verifies, as the public verification page would say.
    answer = documents.verify_pdf(documents.document_bytes(populated.result))
    assert answer.genuine, answer.reason
    assert verify_chain().ok
    # A repeat changes nothing and writes no file again.
    out = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), interactive=False, stdout=out)
    assert "files (private): 0 written" in out.getvalue()
    assert picture() == before
