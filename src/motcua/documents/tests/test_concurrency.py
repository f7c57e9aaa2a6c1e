"""Leaders approving several dossiers at the same moment: every result gets its own verification code, and
a transaction that has to retry leaves no file behind.

Real threads, each with its own connection, each issuing inside a transaction as the approve transition
does. On SQLite (pytest-django's shared in-memory database) a busy writer makes the others fail at once
("database table is locked") instead of waiting; they retry then, as the busy timeout does in production.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from motcua.core.testing import retrying, run_threads
from motcua.documents import pdf, selectors
from motcua.documents.models import Document, DocumentKind
from motcua.dossiers.tests.paper_fixtures import blank_pdf, issue_result, make_dossier

pytestmark = pytest.mark.django_db(transaction=True)


def test_results_issued_at_once_get_distinct_codes(birth_dossier, leader, monkeypatch):
    # The rendering is not what is tested here: a blank page, signed for real.
    monkeypatch.setattr(pdf, "render_pdf", lambda template_name, context, request=None: blank_pdf())
    procedure, agency = birth_dossier.procedure, birth_dossier.agency
    numbers = [f"000.00.20.H99-261202-000{n}" for n in range(2, 7)]
    dossiers = [birth_dossier] + [make_dossier(procedure, agency, code=c, applicant=None) for c in numbers]

    def approve(i):
        with transaction.atomic():
            result = issue_result(dossiers[i], number=f"{i + 1}/GKS", signed_by=leader)
        return result.verification_code

    codes = run_threads(len(dossiers), lambda i: retrying(lambda: approve(i)))

    assert len(set(codes)) == len(dossiers)
    results = Document.objects.filter(kind=DocumentKind.RESULT)
    assert set(results.values_list("verification_code", flat=True)) == set(codes)
    assert all(selectors.verify_code(code).genuine for code in codes)
    # Each retried attempt deleted its file: one file per stored result, none more.
    stored = sorted(p for p in (Path(settings.PRIVATE_MEDIA_ROOT) / "documents").rglob("*") if p.is_file())
    assert len(stored) == len(dossiers)
