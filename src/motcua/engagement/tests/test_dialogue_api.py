"""The dialogue sessions API: the public list, a session with its transcript (public fields only), questions
sent (201, 400 by field, 409 when closed, 429 with Retry-After), and the officers' side with the pages'
permissions: sessions prepared and announced, questions moderated and answered, commitments recorded and
marked done, each tried by someone who must be refused."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.engagement.models import DialogueQuestion, QuestionStatus
from motcua.engagement.services import dialogues as services

from .dialogue_fixtures import ANSWER, QUESTION, ask, finish, make_session

pytestmark = pytest.mark.django_db
S = QuestionStatus
LIST = "/api/v1/dialogues/"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def client_of(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def questions_of(session) -> str:
    return f"{LIST}{session.pk}/questions/"


def act(session, question) -> str:
    return f"{LIST}{session.pk}/questions/{question.pk}/actions/"


def test_the_list_shows_announced_sessions_by_status(live_session, upcoming_session, tree, dialogue_people):
    make_session(tree, dialogue_people, announced=False)  # a draft: never listed

    everything = client_of().get(LIST).json()
    live = client_of().get(LIST, {"status": "live"}).json()

    assert {s["id"] for s in everything} == {live_session.pk, upcoming_session.pk}
    assert [(s["id"], s["status"], s["accepting_questions"]) for s in live] == [
        (live_session.pk, "live", True)
    ]
    assert live[0]["url"] == f"/doi-thoai/{live_session.pk}/"
    assert client_of().get(LIST, {"status": "draft"}).status_code == 400


def test_a_session_shows_its_answered_questions_and_public_fields_only(answered, dialogue_people, tree):
    session = answered.session
    services.reject(ask(session), by=dialogue_people["organiser"], reason="Lời lẽ xúc phạm người khác")
    services.commit(
        answered,
        text="Sở Xây dựng trình quy trình rút gọn trong tháng tới.",
        due_date=timezone.localdate() + timedelta(days=30),
        agency=tree["department"],
        by=dialogue_people["vice_chair"],
    )

    response = client_of().get(f"{LIST}{session.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert [q["id"] for q in body["questions"]] == [answered.pk]
    assert body["questions"][0]["answer"] == ANSWER
    assert body["questions"][0]["answered_by_title"] == "Phó Chủ tịch UBND tỉnh"
    assert [c["done"] for c in body["commitments"]] == [False]
    assert body["revision"] == max(q["sequence"] for q in body["questions"]) + 1  # the commitment came last
    text = response.content.decode()
    assert "0987654321" not in text and "Lời lẽ xúc phạm" not in text and "asker_phone" not in text


def test_a_draft_is_not_found_by_the_public(tree, dialogue_people):
    draft = make_session(tree, dialogue_people, announced=False)
    assert client_of().get(f"{LIST}{draft.pk}/").status_code == 404
    assert client_of().post(questions_of(draft), {"content": QUESTION}, format="json").status_code == 404
    assert client_of(dialogue_people["organiser"]).get(f"{LIST}{draft.pk}/").status_code == 200


def test_a_visitor_sends_a_question(live_session):
    response = client_of().post(
        questions_of(live_session),
        {"content": QUESTION, "name": "Nguyễn Văn An", "phone": "0987654321"},
        format="json",
        REMOTE_ADDR="192.0.2.40",
    )
    assert response.status_code == 201
    assert response.json() == {"id": DialogueQuestion.objects.get().pk, "status": "pending"}


def test_a_bad_question_is_a_400_by_field_and_a_closed_session_a_409(live_session, dialogue_people):
    response = client_of().post(questions_of(live_session), {"content": "Ngắn"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"content", "name", "phone"}
    services.close_questions(live_session, by=dialogue_people["organiser"])
    response = client_of().post(
        questions_of(live_session), {"content": QUESTION, "name": "An", "phone": "0987654321"}, format="json"
    )
    assert response.status_code == 409


def test_too_many_questions_is_a_429_with_retry_after(live_session, settings):
    settings.MOTCUA_DIALOGUE_QUESTION_RATE = 1
    body = {"content": QUESTION, "name": "Nguyễn Văn An", "phone": "0987654321"}
    assert client_of().post(questions_of(live_session), body, format="json").status_code == 201
    response = client_of().post(questions_of(live_session), body, format="json")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600


def test_a_moderator_approves_and_a_leader_answers_through_the_api(live_session, dialogue_people):
    question = ask(live_session)
    moderator = client_of(dialogue_people["organiser"])

    queue = moderator.get(questions_of(live_session), {"status": "pending"}).json()
    assert [(q["id"], q["asker_phone"], q["actions"][:2]) for q in queue] == [
        (question.pk, "0987654321", ["approve", "reject"])
    ]
    approved = moderator.post(
        act(live_session, question),
        {"action": "approve", "leader": "pho-chu-tich.tinh", "theme": "Xây dựng"},
        format="json",
    )
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["assigned_to"]["username"]) == (
        "approved",
        "pho-chu-tich.tinh",
    )

    secretary = client_of(dialogue_people["secretary"])
    assert [q["id"] for q in secretary.get(f"{LIST}assigned/").json()] == [question.pk]
    answered = secretary.post(
        act(live_session, question), {"action": "answer", "answer": ANSWER}, format="json"
    )
    assert answered.status_code == 200
    assert (answered.json()["answered_by"]["username"], answered.json()["written_by"]["username"]) == (
        "pho-chu-tich.tinh",
        "thu-ky.tinh",
    )
    assert client_of().get(f"{LIST}{live_session.pk}/").json()["questions"][0]["answer"] == ANSWER


def test_officer_actions_refuse_the_wrong_people(approved, dialogue_people, citizen):
    session = approved.session
    answer = {"action": "answer", "answer": ANSWER}
    assert client_of().post(act(session, approved), answer, format="json").status_code in (401, 403)
    # A citizen and a moderator of a sibling agency do not work on the session at all: not found.
    for user in (citizen, dialogue_people["commune.moderator"]):
        assert client_of(user).post(act(session, approved), answer, format="json").status_code == 404
        assert client_of(user).get(questions_of(session)).status_code == 404
    # The moderator and another leader of the session: forbidden to answer it.
    for user in (dialogue_people["organiser"], dialogue_people["department.leader"]):
        assert client_of(user).post(act(session, approved), answer, format="json").status_code == 403
    assert (
        client_of(dialogue_people["vice_chair"])
        .post(act(session, approved), {"action": "reject", "reason": "Không phù hợp"}, format="json")
        .status_code
        == 403
    )
    approved.refresh_from_db()
    assert approved.status == S.APPROVED
    assert client_of().get(questions_of(session)).status_code in (401, 403)


def test_the_wrong_moment_is_a_409_and_a_missing_field_a_400(answered, dialogue_people):
    moderator = client_of(dialogue_people["organiser"])
    session = answered.session
    assert moderator.post(act(session, answered), {"action": "approve"}, format="json").status_code == 409
    pending = ask(session)
    response = moderator.post(act(session, pending), {"action": "reject"}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["reason"])
    response = moderator.post(act(session, pending), {"action": "fly"}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["action"])


def test_commitments_are_recorded_and_marked_done(answered, dialogue_people, citizen):
    session = answered.session
    leader = client_of(dialogue_people["vice_chair"])
    response = leader.post(
        act(session, answered),
        {
            "action": "commit",
            "text": "Sở Xây dựng trình quy trình rút gọn trong tháng tới.",
            "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "agency": "so-xay-dung-thu",
        },
        format="json",
    )
    assert response.status_code == 200
    [promise] = session.commitments.all()
    done = f"{LIST}{session.pk}/commitments/{promise.pk}/done/"
    assert client_of(citizen).post(done, {}, format="json").status_code == 403
    response = client_of(dialogue_people["department.handler"]).post(
        done, {"note": "Đã ban hành."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["commitments"][0]["done"] is True
    assert leader.post(done, {}, format="json").status_code == 409


def test_a_moderator_prepares_and_announces_a_session(tree, dialogue_people, citizen):
    starts = timezone.now() + timedelta(days=3)
    body = {
        "title": "Đối thoại về đất đai",
        "summary": "Lãnh đạo tỉnh trả lời câu hỏi của người dân về thủ tục đất đai.",
        "organiser": "so-xay-dung-thu",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "agencies": ["ubnd-xa-dong"],
        "leaders": [
            {"username": "pho-chu-tich.tinh", "title": "Phó Chủ tịch UBND tỉnh", "secretary": "thu-ky.tinh"}
        ],
    }
    assert client_of(citizen).post(LIST, body, format="json").status_code == 403
    assert client_of(dialogue_people["commune.moderator"]).post(LIST, body, format="json").status_code == 403
    created = client_of(dialogue_people["organiser"]).post(LIST, body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["actions"][:2] == ["update", "announce"]
    announced = client_of(dialogue_people["organiser"]).post(
        f"{LIST}{pk}/actions/", {"action": "announce"}, format="json"
    )
    assert (announced.status_code, announced.json()["status"]) == (200, "upcoming")
    assert client_of().get(f"{LIST}{pk}/").status_code == 200
    bad = client_of(dialogue_people["organiser"]).post(
        LIST, {**body, "leaders": [], "title": ""}, format="json"
    )
    assert (bad.status_code, set(bad.json()["errors"])) == (400, {"leaders", "title"})


def test_the_finished_transcripts_are_searched(answered):
    finish(answered.session)
    hits = client_of().get(f"{LIST}search/", {"q": "giay phep"}).json()
    assert [(h["id"], h["session"]) for h in hits] == [(answered.pk, answered.session_id)]
    assert client_of().get(f"{LIST}search/").status_code == 400


def test_the_schema_describes_the_dialogues(db):
    schema = client_of().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/v1/dialogues/", "/api/v1/dialogues/{id}/", "/api/v1/dialogues/{id}/questions/"} <= set(
        schema["paths"]
    )
    assert "asker_phone" not in schema["components"]["schemas"]["AnsweredQuestion"]["properties"]
