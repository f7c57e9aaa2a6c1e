"""The officers' dialogue pages (``/mot-cua/doi-thoai/``): a session prepared and announced through the
forms, a question approved and given to a leader, answered by the leader's secretary, a commitment recorded
and marked done; errors shown on their fields; and the rules tried from the wrong side (a citizen, a
moderator of a sibling agency, a leader not on the session, nobody signed in)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from motcua.engagement.models import DialogueSession, QuestionStatus
from motcua.engagement.services import dialogues as services
from motcua.engagement.tests.dialogue_fixtures import ANSWER, ask

pytestmark = pytest.mark.django_db
S = QuestionStatus
HOME = "/mot-cua/doi-thoai/"


def as_(client, user):
    client.force_login(user)
    return client


def question_act(session, question) -> str:
    return f"{HOME}{session.pk}/cau-hoi/{question.pk}/thao-tac/"


def test_a_moderator_prepares_and_announces_a_session(client, tree, dialogue_people):
    as_(client, dialogue_people["organiser"])
    assert client.get(f"{HOME}tao/").status_code == 200
    starts = timezone.localtime(timezone.now() + timedelta(days=2))
    response = client.post(
        f"{HOME}tao/",
        {
            "title": "Đối thoại về đất đai",
            "summary": "Lãnh đạo tỉnh trả lời câu hỏi về thủ tục đất đai.",
            "organiser": tree["department"].pk,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "agencies": [tree["commune"].pk],
            "leader_1": dialogue_people["vice_chair"].pk,
            "title_1": "Phó Chủ tịch UBND tỉnh",
            "secretary_1": dialogue_people["secretary"].pk,
        },
    )
    session = DialogueSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{HOME}{session.pk}/"
    assert session.announced_at is None
    response = client.post(f"{HOME}{session.pk}/thao-tac/", {"action": "announce"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.announced_at is not None


def test_a_session_form_shows_the_services_messages(client, tree, dialogue_people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    as_(client, dialogue_people["organiser"])
    response = client.post(f"{HOME}tao/", {"title": "", "summary": "", "organiser": tree["department"].pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_title_error"' in html and 'id="id_leader_1_error"' in html
    assert not DialogueSession.objects.exists()


def test_a_question_goes_from_moderation_to_the_answer_and_a_commitment(
    client, live_session, dialogue_people, tree
):
    question = ask(live_session)
    moderator = as_(client, dialogue_people["organiser"])
    page = moderator.get(f"{HOME}{live_session.pk}/").content.decode()
    assert question.content in page and "0987654321" in page  # the officers see the phone
    response = moderator.post(
        question_act(live_session, question),
        {"action": "approve", "leader": dialogue_people["vice_chair"].pk, "theme": "Xây dựng"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.assigned_to) == (S.APPROVED, dialogue_people["vice_chair"])

    secretary = as_(client, dialogue_people["secretary"])
    assert question.content in secretary.get(HOME).content.decode()  # waiting for his leader's answer
    assert (
        secretary.post(
            question_act(live_session, question), {"action": "answer", "answer": ANSWER}
        ).status_code
        == 302
    )
    question.refresh_from_db()
    assert (question.status, question.answered_by, question.written_by) == (
        S.ANSWERED,
        dialogue_people["vice_chair"],
        dialogue_people["secretary"],
    )

    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = secretary.post(
        question_act(live_session, question),
        {
            "action": "commit",
            "text": "Sở Xây dựng trình quy trình rút gọn.",
            "due_date": due,
            "agency": tree["department"].slug,
        },
    )
    assert response.status_code == 302
    promise = live_session.commitments.get()
    as_(client, dialogue_people["commune.handler"])  # not in charge of it
    assert (
        client.post(
            f"{HOME}{live_session.pk}/cam-ket/{promise.pk}/hoan-thanh/", {"note": "Xong."}
        ).status_code
        == 403
    )
    handler = as_(client, dialogue_people["department.handler"])  # the agency in charge of it
    assert (
        handler.post(
            f"{HOME}{live_session.pk}/cam-ket/{promise.pk}/hoan-thanh/", {"note": "Xong."}
        ).status_code
        == 302
    )
    promise.refresh_from_db()
    assert promise.done_at is not None


def test_a_rejection_needs_its_reason_shown_on_the_field(client, live_session, dialogue_people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    question = ask(live_session)
    response = as_(client, dialogue_people["organiser"]).post(
        question_act(live_session, question), {"action": "reject", "reason": ""}
    )
    assert response.status_code == 400
    assert f'id="q{question.pk}-reject-reason-error"' in response.content.decode()


def test_the_wrong_people_are_refused(client, approved, dialogue_people, citizen):
    session = approved.session
    answer = {"action": "answer", "answer": ANSWER}
    assert client.get(HOME).status_code == 302  # to the sign-in page
    as_(client, citizen)
    assert client.get(HOME).status_code == 403
    as_(client, dialogue_people["commune.moderator"])  # a sibling agency's moderator
    assert client.get(f"{HOME}{session.pk}/").status_code == 404
    assert client.post(question_act(session, approved), answer).status_code == 404
    as_(client, dialogue_people["commune.leader"])  # a leader on no session: not in this area at all
    assert client.post(question_act(session, approved), answer).status_code == 403
    as_(client, dialogue_people["department.leader"])  # on the session, but not his question
    assert client.post(question_act(session, approved), answer).status_code == 403
    as_(client, dialogue_people["organiser"])  # moderates, does not answer
    assert client.post(question_act(session, approved), answer).status_code == 403
    approved.refresh_from_db()
    assert approved.status == S.APPROVED


def test_a_leader_sees_only_the_questions_they_answer_for(client, approved, dialogue_people):
    other = ask(approved.session, content="Câu hỏi khác dành cho Giám đốc Sở Xây dựng?")
    services.approve(other, by=dialogue_people["organiser"], leader=dialogue_people["department.leader"])
    html = as_(client, dialogue_people["secretary"]).get(f"{HOME}{approved.session_id}/").content.decode()
    assert approved.content in html and other.content not in html
