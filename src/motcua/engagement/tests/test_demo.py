"""The demo petitions: sent and handled through the real services by the demo officers, with a history."""

import pytest
from django.utils import timezone

from motcua.accounts.demo import ensure_demo_accounts
from motcua.catalog.demo import load_demo
from motcua.engagement.demo import PETITIONS, load_demo_petitions
from motcua.engagement.models import Petition, PetitionStatus
from motcua.engagement.selectors import petitions as selectors

pytestmark = pytest.mark.django_db


def test_the_demo_has_published_answers_a_history_and_loads_once():
    load_demo(forms=False)
    ensure_demo_accounts()

    assert load_demo_petitions() == len(PETITIONS)
    assert load_demo_petitions() == 0  # loaded once

    published = list(selectors.published())
    assert len(published) == 3
    assert list(selectors.published("thu bay")) == [p for p in published if "thứ Bảy" in p.published_subject]
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert statuses == {
        PetitionStatus.ANSWERED,
        PetitionStatus.DECLINED,
        PetitionStatus.IN_HAND,
        PetitionStatus.RECEIVED,
    }
    oldest = Petition.objects.order_by("received_at").first()
    assert (timezone.now() - oldest.received_at).days >= 59
    assert oldest.code == f"PAKN-{timezone.localtime(oldest.received_at):%y%m%d}-0001"
    assert all(
        p.ended_at is None or p.received_at < p.ended_at <= timezone.now() for p in Petition.objects.all()
    )
    assert Petition.objects.filter(satisfied=True).count() == 1


def test_the_demo_has_a_finished_dialogue_and_an_upcoming_one():
    from motcua.engagement.demo import load_demo_dialogues
    from motcua.engagement.models import QuestionStatus, SessionStatus
    from motcua.engagement.selectors import dialogues as dialogue_selectors

    load_demo(forms=False)
    ensure_demo_accounts()

    assert load_demo_dialogues() == 2
    assert load_demo_dialogues() == 0  # loaded once

    [finished] = dialogue_selectors.public_sessions(SessionStatus.FINISHED)
    [upcoming] = dialogue_selectors.public_sessions(SessionStatus.UPCOMING)
    counts = dialogue_selectors.status_counts(finished)
    assert (
        counts[QuestionStatus.ANSWERED],
        counts[QuestionStatus.REJECTED],
        counts[QuestionStatus.MERGED],
    ) == (
        3,
        1,
        1,
    )
    assert [c.is_done for c in dialogue_selectors.commitments(finished)] == [False, True]
    assert dialogue_selectors.status_counts(upcoming)[QuestionStatus.PENDING] == 3
    assert list(dialogue_selectors.search("giay phep xay dung"))
    assert finished.ends_at < timezone.now()
