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
