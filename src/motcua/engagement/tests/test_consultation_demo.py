"""The demo consultations: one open (comments approved, rejected, pending), one closed with its answers
published, through the real services by the demo officers; loaded once."""

import pytest

from motcua.accounts.demo import ensure_demo_accounts
from motcua.catalog.demo import load_demo
from motcua.engagement.consultation_demo import load_demo_consultations
from motcua.engagement.models import CommentStatus, ConsultationPhase
from motcua.engagement.selectors import consultations as selectors

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_and_a_closed_consultation_with_published_answers():
    load_demo(forms=False)
    ensure_demo_accounts()

    assert load_demo_consultations() == 2
    assert load_demo_consultations() == 0  # loaded once

    listed = selectors.public_list()
    (open_one,), (closed,) = listed[ConsultationPhase.OPEN], listed[ConsultationPhase.CLOSED]
    statuses = sorted(open_one.comments.values_list("status", flat=True))
    assert statuses == sorted([CommentStatus.APPROVED] * 3 + [CommentStatus.REJECTED, CommentStatus.PENDING])
    record = selectors.public_record(closed)
    answers = [c["response"] for a in record["articles"] for c in a["comments"]] + [
        c["response"] for c in record["comments"]
    ]
    assert closed.responses_published_at is not None and len(answers) == 2 and all(answers)
    assert closed.comments.earliest("submitted_at").submitted_at < closed.closes_at
