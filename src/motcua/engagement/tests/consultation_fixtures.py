"""Builders of the consultation tests: a draft of the department (Sở Xây dựng) in the petitions' agency tree
(``petition_fixtures``: its moderator, handler and leader, the province's moderator above it, the officers of
a commune elsewhere), published and open, and closed by moving its dates (the clock is not the subject)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.engagement.models import Consultation
from motcua.engagement.services import consultations as services

from .petition_fixtures import H, L, M

ARTICLES = [
    {
        "label": "Điều 1",
        "title": "Phạm vi điều chỉnh",
        "text": "Quy định này áp dụng cho việc cấp giấy phép xây dựng.",
    },
    {"label": "Điều 2", "title": "Thời hạn", "text": "Thời hạn cấp giấy phép là 15 ngày làm việc."},
]


def draft_values(**changes) -> dict:
    now = timezone.now()
    values = {
        "title": "Dự thảo Quy định cấp giấy phép xây dựng",
        "summary": "Lấy ý kiến nhân dân về dự thảo quy định.",
        "document_kind": "Quyết định",
        "document_number": "",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "articles": [dict(article) for article in ARTICLES],
    }
    values.update(changes)
    return values


def close(consultation: Consultation) -> Consultation:
    """Move the consultation's dates so that it closed an hour ago."""
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - timedelta(days=31), closes_at=now - timedelta(hours=1)
    )
    consultation.refresh_from_db()
    return consultation


def say(consultation, citizen, article=None, ip="192.0.2.50", **changes):
    values = {"by": citizen, "content": "Đề nghị rút ngắn thời hạn còn 10 ngày làm việc.", "client_ip": ip}
    values.update(changes)
    return services.comment(consultation, article=article, **values)


@pytest.fixture
def draft_consultation(tree, people):
    """A draft of the department, not yet published."""
    return services.create_consultation(
        agency=tree["department"], by=people[f"department.{M}"], **draft_values()
    )


@pytest.fixture
def consultation(draft_consultation, people):
    """The same draft, published and open for comments."""
    return services.publish_consultation(draft_consultation, by=people[f"department.{M}"])


__all__ = ["ARTICLES", "H", "L", "M", "close", "draft_values", "say"]
