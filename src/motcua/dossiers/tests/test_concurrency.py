"""Many applicants sending at once: codes stay gap-free and unique, a draft sent twice at once is sent once.

Real threads, each with its own database connection and transactions. On SQLite the test database is
pytest-django's shared in-memory one, where a busy writer makes others fail at once ("database table is
locked") instead of waiting as the file database of ``make run`` does; the threads retry then, which is what
the busy timeout does for them in production. PostgreSQL waits on the row lock itself.
"""

import pytest

from motcua.core.testing import retrying, run_threads
from motcua.dossiers import services
from motcua.dossiers.models import CodeSequence, Dossier, DossierEvent, DossierStatus

from .fixtures import pdf_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


def ready_draft(citizen, procedure, data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return draft


def test_concurrent_submissions_get_consecutive_codes(citizen, procedure, online_form, valid_data):
    drafts = [ready_draft(citizen, procedure, valid_data) for _ in range(8)]
    codes = run_threads(len(drafts), lambda i: retrying(lambda: services.submit(drafts[i], by=citizen)).code)
    sequences = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert sequences == list(range(1, 9))
    assert len(set(codes)) == 8
    assert CodeSequence.objects.get().last == 8


def test_one_draft_sent_by_several_requests_at_once_is_sent_once(citizen, procedure, online_form, valid_data):
    draft = ready_draft(citizen, procedure, valid_data)
    codes = run_threads(5, lambda i: retrying(lambda: services.submit(draft, by=citizen)).code)
    assert len(set(codes)) == 1
    assert Dossier.objects.filter(status=DossierStatus.SUBMITTED).count() == 1
    assert DossierEvent.objects.filter(dossier=draft).count() == 1
    assert CodeSequence.objects.get().last == 1


def test_one_draft_created_by_several_requests_with_the_same_key_at_once(citizen, procedure, online_form):
    """A retried ``POST /api/v1/dossiers/`` racing the first one: every answer is the same draft."""
    ids = run_threads(
        5,
        lambda i: (
            retrying(
                lambda: services.create_draft(
                    procedure=procedure, applicant=citizen, idempotency_key="retry-1"
                )
            ).pk
        ),
    )
    assert len(set(ids)) == 1
    assert Dossier.objects.filter(applicant=citizen).count() == 1
