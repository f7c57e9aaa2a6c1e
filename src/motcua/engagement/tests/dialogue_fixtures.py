"""Builders of the dialogue tests, on the petitions' agency tree (``petition_fixtures``): a session organised
by the department (Sở Xây dựng), with the province's vice-chairman (and his secretary) and the department's
leader taking part, announced and live now; questions sent through the real service and taken on by the
real moderation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.accounts.models import OfficerRole
from motcua.dossiers.tests.fixtures import make_officer
from motcua.engagement.models import DialogueSession
from motcua.engagement.services import dialogues as dialogue_services

QUESTION = "Bao giờ tỉnh rút ngắn thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ?"
ANSWER = "Từ quý sau, thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ rút còn 10 ngày làm việc."


@pytest.fixture
def dialogue_people(tree, people):
    """``people`` of the petitions, and: ``vice_chair`` (a leader of the province, on the session),
    ``secretary`` (his secretary there), ``organiser`` (the department's moderator)."""
    vice_chair = make_officer("pho-chu-tich.tinh", tree["province"], role=OfficerRole.LEADER)
    vice_chair.full_name = "Trần Văn Bình"
    vice_chair.save(update_fields=["full_name"])
    secretary = make_officer("thu-ky.tinh", tree["province"], role=OfficerRole.HANDLER)
    return {
        **people,
        "vice_chair": vice_chair,
        "secretary": secretary,
        "organiser": people["department.moderator"],
    }


def session_values(tree, dialogue_people, *, starts_in=timedelta(hours=-1), length=timedelta(hours=3)):
    starts = timezone.now() + starts_in
    return {
        "title": "Đối thoại về thủ tục cấp phép xây dựng",
        "summary": "Lãnh đạo tỉnh và Sở Xây dựng trả lời câu hỏi của người dân về cấp phép xây dựng.",
        "organiser": tree["department"],
        "starts_at": starts,
        "ends_at": starts + length,
        "agencies": [tree["department"], tree["commune"]],
        "leaders": [
            {
                "leader": dialogue_people["vice_chair"],
                "title": "Phó Chủ tịch UBND tỉnh",
                "secretary": dialogue_people["secretary"],
            },
            {"leader": dialogue_people["department.leader"], "title": "Giám đốc Sở Xây dựng"},
        ],
    }


def make_session(tree, dialogue_people, *, announced=True, **timing) -> DialogueSession:
    by = dialogue_people["organiser"]
    session = dialogue_services.create_session(**session_values(tree, dialogue_people, **timing), by=by)
    if announced:
        session = dialogue_services.announce(session, by=by)
    return session


@pytest.fixture
def live_session(tree, dialogue_people):
    """Announced, started an hour ago, ending in two hours."""
    return make_session(tree, dialogue_people)


@pytest.fixture
def upcoming_session(tree, dialogue_people):
    """Announced, starting tomorrow."""
    return make_session(tree, dialogue_people, starts_in=timedelta(days=1))


def ask(session, **changes):
    values = {"content": QUESTION, "name": "Nguyễn Văn An, phường Hải An", "phone": "0987654321"}
    values.update(changes)
    values.setdefault("client_ip", "192.0.2.30")
    return dialogue_services.ask_question(session, **values)


@pytest.fixture
def approved(live_session, dialogue_people):
    """A question approved and given to the vice-chairman."""
    question = ask(live_session)
    return dialogue_services.approve(
        question, by=dialogue_people["organiser"], leader=dialogue_people["vice_chair"]
    )


@pytest.fixture
def answered(approved, dialogue_people):
    return dialogue_services.answer(approved, text=ANSWER, by=dialogue_people["vice_chair"])


def finish(session, *, days_ago=3):
    """Move the session back in time: it ended ``days_ago`` days ago (past the answering grace)."""
    ends = timezone.now() - timedelta(days=days_ago)
    DialogueSession.objects.filter(pk=session.pk).update(starts_at=ends - timedelta(hours=2), ends_at=ends)
    session.refresh_from_db()
    return session
