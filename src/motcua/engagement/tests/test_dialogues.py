"""Online dialogue sessions through their services: prepared and announced by a moderator of the organiser,
questions sent (signed in or with a name and phone, rate-limited, checked), moderated (approved, rejected
with an internal reason, merged, grouped, given to a leader), answered live by the leader or their
secretary, commitments tracked until done; the public revision that the live part follows; the transcript
and its search; and every rule tried by someone who must be refused."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from motcua.audit.models import AuditEntry
from motcua.dossiers.services import ActionRefused
from motcua.engagement import rules
from motcua.engagement.models import (
    DialogueAction,
    DialogueEvent,
    DialogueQuestion,
    QuestionStatus,
    SessionStatus,
)
from motcua.engagement.selectors import dialogues as selectors
from motcua.engagement.services import dialogues as services

from .dialogue_fixtures import ANSWER, QUESTION, ask, finish, make_session, session_values

pytestmark = pytest.mark.django_db
S = QuestionStatus
A = DialogueAction


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the rate limits count in the cache
    yield
    cache.clear()


# --- sessions -----------------------------------------------------------------------------------------------


def test_a_session_is_a_draft_until_announced_then_its_status_follows_the_time(tree, dialogue_people):
    draft = make_session(tree, dialogue_people, announced=False, starts_in=timedelta(days=2))

    assert selectors.session_status(draft) == SessionStatus.DRAFT
    assert selectors.public_session(draft.pk) is None  # the public never sees a draft
    assert draft.revision == 0
    announced = services.announce(draft, by=dialogue_people["organiser"])
    assert selectors.session_status(announced) == SessionStatus.UPCOMING
    assert announced.revision == 1
    assert selectors.session_status(announced, now=announced.starts_at) == SessionStatus.LIVE
    assert selectors.session_status(announced, now=announced.ends_at) == SessionStatus.FINISHED
    assert list(selectors.public_sessions("upcoming")) == [announced]
    assert list(draft.events.values_list("action", flat=True)) == [A.CREATE, A.ANNOUNCE]
    assert AuditEntry.objects.filter(action="dialogue.announce").exists()


def test_the_leaders_keep_their_position_and_secretary(live_session, dialogue_people):
    rows = selectors.leaders(live_session)
    assert [(r.leader, r.title, r.secretary) for r in rows] == [
        (dialogue_people["vice_chair"], "Phó Chủ tịch UBND tỉnh", dialogue_people["secretary"]),
        (dialogue_people["department.leader"], "Giám đốc Sở Xây dựng", None),
    ]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "Hi"}, "title"),
        ({"summary": ""}, "summary"),
        ({"leaders": []}, "leaders"),
        ({"ends_at": timezone.now() - timedelta(days=5)}, "ends_at"),
    ],
)
def test_a_session_is_checked_by_field(tree, dialogue_people, changes, field):
    values = {**session_values(tree, dialogue_people), **changes}
    with pytest.raises(ValidationError) as refused:
        services.create_session(**values, by=dialogue_people["organiser"])
    assert field in refused.value.message_dict


def test_a_leader_must_hold_the_leader_role(tree, dialogue_people):
    values = session_values(tree, dialogue_people)
    values["leaders"] = [{"leader": dialogue_people["commune.handler"], "title": "Chuyên viên"}]
    with pytest.raises(ValidationError) as refused:
        services.create_session(**values, by=dialogue_people["organiser"])
    assert "leaders" in refused.value.message_dict


@pytest.mark.parametrize("who", ["citizen", "commune.moderator", "elsewhere.moderator", "department.leader"])
def test_only_a_moderator_of_the_organiser_or_above_prepares_a_session(tree, dialogue_people, citizen, who):
    by = citizen if who == "citizen" else dialogue_people[who]  # a sibling agency's, another tree's, a leader
    with pytest.raises(PermissionDenied):
        services.create_session(**session_values(tree, dialogue_people), by=by)
    above = services.create_session(**session_values(tree, dialogue_people), by=dialogue_people["reception"])
    assert above.organiser == tree["department"]


def test_editing_an_announced_session_is_a_public_change(live_session, tree, dialogue_people):
    before = live_session.revision
    values = session_values(tree, dialogue_people)
    values.pop("organiser")
    values["title"] = "Đối thoại về cấp phép xây dựng và đất đai"
    edited = services.update_session(live_session, **values, by=dialogue_people["reception"])
    assert (edited.title, edited.revision) == ("Đối thoại về cấp phép xây dựng và đất đai", before + 1)
    with pytest.raises(PermissionDenied):
        services.update_session(live_session, **values, by=dialogue_people["commune.moderator"])


def test_the_intake_closes_and_reopens(live_session, dialogue_people):
    services.close_questions(live_session, by=dialogue_people["organiser"])
    with pytest.raises(ActionRefused):
        ask(live_session)
    with pytest.raises(ActionRefused):  # already closed: the wrong moment
        services.close_questions(live_session, by=dialogue_people["organiser"])
    services.open_questions(live_session, by=dialogue_people["organiser"])
    assert ask(live_session).status == S.PENDING


# --- asking -------------------------------------------------------------------------------------------------


def test_a_visitor_asks_with_a_name_and_phone_before_the_session(upcoming_session):
    question = ask(upcoming_session, phone="+84987654321")

    assert (question.status, question.asker, question.asker_phone) == (S.PENDING, None, "0987654321")
    assert question.client_hash and "192.0.2.30" not in question.client_hash
    assert list(question.events.values_list("action", flat=True)) == [A.ASK]
    upcoming_session.refresh_from_db()
    assert upcoming_session.revision == 1  # a pending question is not public: no revision


def test_a_signed_in_citizen_asks_under_their_account(live_session, citizen):
    question = ask(live_session, by=citizen, name="", phone="")
    assert (question.asker, question.asker_name, question.asker_phone) == (
        citizen,
        "Lê Thị Hoa",
        "0912345678",
    )


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"content": "Ngắn"}, "content"),
        ({"content": "x" * 2001}, "content"),
        ({"content": "Có ký tự rỗng \x00 ở giữa câu hỏi này."}, "content"),
        ({"name": ""}, "name"),
        ({"phone": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
    ],
)
def test_bad_questions_are_named_by_field(live_session, changes, field):
    with pytest.raises(ValidationError) as refused:
        ask(live_session, **changes)
    assert field in refused.value.message_dict
    assert not DialogueQuestion.objects.exists()


def test_no_questions_for_a_draft_or_a_finished_session(tree, dialogue_people, live_session):
    with pytest.raises(ActionRefused):
        ask(make_session(tree, dialogue_people, announced=False))
    with pytest.raises(ActionRefused):
        ask(finish(live_session))


def test_questions_are_limited_per_address_and_per_account(live_session, citizen, settings):
    settings.MOTCUA_DIALOGUE_QUESTION_RATE = 2
    ask(live_session)
    ask(live_session)
    with pytest.raises(services.TooManyQuestions) as refused:
        ask(live_session)
    assert 0 < refused.value.retry_after <= 3600
    ask(live_session, client_ip="192.0.2.31", by=citizen)
    ask(live_session, client_ip="192.0.2.32", by=citizen)
    with pytest.raises(services.TooManyQuestions):  # another address, the same account
        ask(live_session, client_ip="192.0.2.33", by=citizen)
    assert DialogueQuestion.objects.count() == 4


# --- moderation ---------------------------------------------------------------------------------------------


def test_a_moderator_approves_and_gives_a_question_to_a_leader(live_session, dialogue_people):
    question = services.approve(
        ask(live_session),
        by=dialogue_people["organiser"],
        leader=dialogue_people["vice_chair"],
        theme="Xây dựng",
    )
    assert (question.status, question.assigned_to, question.theme) == (
        S.APPROVED,
        dialogue_people["vice_chair"],
        "Xây dựng",
    )
    assert list(selectors.leader_queue(dialogue_people["vice_chair"])) == [question]
    assert list(selectors.leader_queue(dialogue_people["secretary"])) == [question]  # on his behalf
    assert not selectors.leader_queue(dialogue_people["department.leader"]).exists()


def test_only_a_leader_of_the_session_is_given_questions(live_session, dialogue_people):
    question = services.approve(ask(live_session), by=dialogue_people["organiser"])
    with pytest.raises(ValidationError) as refused:
        services.assign(question, leader=dialogue_people["commune.leader"], by=dialogue_people["organiser"])
    assert "leader" in refused.value.message_dict


def test_a_rejection_keeps_its_reason_inside(live_session, dialogue_people):
    question = services.reject(ask(live_session), by=dialogue_people["organiser"], reason="Quảng cáo dịch vụ")
    assert (question.status, question.reject_reason) == (S.REJECTED, "Quảng cáo dịch vụ")
    assert DialogueEvent.objects.get(question=question, action=A.REJECT).note == "Quảng cáo dịch vụ"
    with pytest.raises(ValidationError) as refused:
        services.reject(ask(live_session), by=dialogue_people["organiser"], reason="")
    assert "reason" in refused.value.message_dict


def test_a_duplicate_is_merged_and_listed_under_the_answer(answered, dialogue_people):
    session = answered.session
    session.refresh_from_db()
    before = session.revision
    duplicate = ask(session, content="Khi nào thời hạn cấp phép xây dựng được rút ngắn?", name="Phạm Thị Cúc")

    merged = services.merge(duplicate, into=answered, by=dialogue_people["organiser"])

    assert (merged.status, merged.merged_into) == (S.MERGED, answered)
    [shown] = selectors.transcript(session)
    assert [d["asker_name"] for d in selectors.public_question(shown)["duplicates"]] == ["Phạm Thị Cúc"]
    session.refresh_from_db()
    assert session.revision == before + 1  # the transcript changed
    assert [q.pk for q in selectors.updates_after(session, before)["questions"]] == [answered.pk]


def test_a_question_is_not_merged_into_itself_or_another_session(
    live_session, upcoming_session, dialogue_people
):
    question = ask(live_session)
    for into in (question, ask(upcoming_session)):
        with pytest.raises(ValidationError):
            services.merge(question, into=into, by=dialogue_people["organiser"])


@pytest.mark.parametrize(
    "who", ["citizen", "commune.moderator", "elsewhere.moderator", "vice_chair", "secretary"]
)
def test_only_the_sessions_moderators_moderate(live_session, dialogue_people, citizen, who):
    by = citizen if who == "citizen" else dialogue_people[who]
    question = ask(live_session)
    for call in (
        lambda: services.approve(question, by=by),
        lambda: services.reject(question, by=by, reason="Không phù hợp"),
        lambda: services.set_theme(question, theme="Đất đai", by=by),
    ):
        with pytest.raises(PermissionDenied):
            call()
    question.refresh_from_db()
    assert question.status == S.PENDING


def test_the_wrong_moment_is_refused_before_the_wrong_person(answered, citizen):
    with pytest.raises(ActionRefused):
        services.approve(answered, by=citizen)


# --- answers ------------------------------------------------------------------------------------------------


def test_the_leader_answers_live_and_the_revision_marks_it_new(approved, dialogue_people):
    session = approved.session
    session.refresh_from_db()
    before = session.revision

    question = services.answer(approved, text=ANSWER, by=dialogue_people["vice_chair"])

    assert (question.status, question.answered_by, question.written_by) == (
        S.ANSWERED,
        dialogue_people["vice_chair"],
        dialogue_people["vice_chair"],
    )
    assert question.sequence == before + 1
    news = selectors.updates_after(session, before)
    assert (news["revision"], [q.pk for q in news["questions"]]) == (before + 1, [question.pk])
    assert selectors.updates_after(session, before + 1)["questions"] == []


def test_the_secretary_types_the_answer_in_the_leaders_name(approved, dialogue_people):
    question = services.answer(approved, text=ANSWER, by=dialogue_people["secretary"])
    assert (question.answered_by, question.written_by) == (
        dialogue_people["vice_chair"],
        dialogue_people["secretary"],
    )
    shown = selectors.public_question(question)
    assert (shown["answered_by"], shown["answered_by_title"]) == ("Trần Văn Bình", "Phó Chủ tịch UBND tỉnh")


@pytest.mark.parametrize(
    "who", ["citizen", "organiser", "department.leader", "commune.leader", "elsewhere.moderator"]
)
def test_only_the_given_leader_or_their_secretary_answers(approved, dialogue_people, citizen, who):
    # A citizen, the moderator, another leader of the session, a leader not on it, a moderator elsewhere.
    by = citizen if who == "citizen" else dialogue_people[who]
    with pytest.raises(PermissionDenied):
        services.answer(approved, text=ANSWER, by=by)
    approved.refresh_from_db()
    assert approved.status == S.APPROVED


def test_answers_wait_for_the_start_and_stop_a_day_after_the_end(tree, dialogue_people):
    session = make_session(tree, dialogue_people, starts_in=timedelta(hours=2))
    question = services.approve(
        ask(session), by=dialogue_people["organiser"], leader=dialogue_people["vice_chair"]
    )
    with pytest.raises(ActionRefused):  # not started yet
        services.answer(question, text=ANSWER, by=dialogue_people["vice_chair"])
    finish(session, days_ago=0)  # ended just now: the grace to finish the transcript
    services.answer(question, text=ANSWER, by=dialogue_people["vice_chair"])
    finish(session, days_ago=2)
    with pytest.raises(ActionRefused):
        services.edit_answer(question, text=ANSWER + " Xin cảm ơn.", by=dialogue_people["vice_chair"])


def test_an_edited_answer_is_new_again(answered, dialogue_people):
    session = answered.session
    session.refresh_from_db()
    edited = services.edit_answer(answered, text=ANSWER + " Xin cảm ơn.", by=dialogue_people["secretary"])
    assert edited.sequence == session.revision + 1
    with pytest.raises(PermissionDenied):
        services.edit_answer(answered, text=ANSWER, by=dialogue_people["department.leader"])


# --- commitments --------------------------------------------------------------------------------------------


def test_a_commitment_is_tracked_until_done(answered, dialogue_people, tree):
    due = timezone.localdate() + timedelta(days=30)
    promise = services.commit(
        answered,
        text="Sở Xây dựng trình quy trình rút gọn trong tháng tới.",
        due_date=due,
        agency=tree["department"],
        by=dialogue_people["secretary"],
    )
    assert (promise.leader, promise.agency, promise.is_done) == (
        dialogue_people["vice_chair"],
        tree["department"],
        False,
    )
    assert list(selectors.open_commitments(answered.session)) == [promise]

    done = services.mark_done(
        promise, by=dialogue_people["department.handler"], note="Đã ban hành quy trình."
    )

    assert done.is_done and done.sequence > promise.sequence
    assert not selectors.open_commitments(answered.session).exists()
    assert selectors.public_commitment(done)["done"] is True
    with pytest.raises(ActionRefused):
        services.mark_done(promise, by=dialogue_people["organiser"])


def test_a_commitment_is_checked_and_kept_to_its_people(answered, dialogue_people, tree, citizen):
    with pytest.raises(ValidationError) as refused:
        services.commit(
            answered,
            text="Ngắn",
            due_date=timezone.localdate() - timedelta(days=1),
            agency=None,
            by=dialogue_people["organiser"],
        )
    assert set(refused.value.message_dict) == {"text", "due_date", "agency"}
    for by in (citizen, dialogue_people["department.leader"], dialogue_people["commune.moderator"]):
        with pytest.raises(PermissionDenied):
            services.commit(
                answered,
                text="Sở Xây dựng rà soát quy trình.",
                due_date=timezone.localdate(),
                agency=tree["department"],
                by=by,
            )
    promise = services.commit(
        answered,
        text="Sở Xây dựng rà soát quy trình.",
        due_date=timezone.localdate(),
        agency=tree["department"],
        by=dialogue_people["organiser"],
    )
    for by in (citizen, dialogue_people["commune.moderator"], dialogue_people["elsewhere.leader"]):
        with pytest.raises(PermissionDenied):
            services.mark_done(promise, by=by)


# --- what the public reads ----------------------------------------------------------------------------------


def test_the_public_reads_no_phone_no_reason_no_account(answered, dialogue_people):
    rejected = services.reject(
        ask(answered.session), by=dialogue_people["organiser"], reason="Lời lẽ xúc phạm"
    )
    shown = selectors.public_question(selectors.transcript(answered.session).get())
    text = repr(shown)
    assert "0987654321" not in text and "Lời lẽ xúc phạm" not in text
    assert set(shown) >= {"asker_name", "content", "answer", "answered_by"}
    assert "asker_phone" not in shown and "asker" not in shown
    assert rejected not in list(selectors.transcript(answered.session))


def test_finished_transcripts_are_searched_without_accents(answered, dialogue_people):
    assert not selectors.search("giay phep").exists()  # live: not in the finished transcripts yet
    finish(answered.session)
    assert list(selectors.search("GIAY PHEP xay dung")) == [answered]
    assert not selectors.search("dat dai").exists()
    assert list(selectors.transcript(answered.session, "rut ngan")) == [answered]


def test_the_transcript_groups_by_theme(answered, dialogue_people):
    services.set_theme(answered, theme="Cấp phép xây dựng", by=dialogue_people["organiser"])
    assert selectors.themes(answered.session) == ["Cấp phép xây dựng"]
    grouped = selectors.by_theme(selectors.transcript(answered.session))
    assert [(theme, [q.pk for q in items]) for theme, items in grouped] == [
        ("Cấp phép xây dựng", [answered.pk])
    ]


def test_the_back_office_sees_its_sessions_only(live_session, dialogue_people, citizen):
    for who in ("organiser", "reception", "vice_chair", "secretary", "department.leader"):
        assert rules.may_open_session(live_session, dialogue_people[who]), who
    for user in (citizen, dialogue_people["commune.moderator"], dialogue_people["elsewhere.leader"]):
        assert not rules.may_open_session(live_session, user)


def test_the_moderators_queue_and_counts(live_session, dialogue_people):
    first, second = ask(live_session), ask(live_session, content="Câu hỏi thứ hai về thủ tục đất đai ở xã?")
    services.approve(second, by=dialogue_people["organiser"])
    assert list(selectors.moderation_queue(live_session)) == [first]
    assert selectors.status_counts(live_session)[S.APPROVED] == 1
    assert rules.dialogue_actions_for(first, dialogue_people["organiser"]) == [
        A.APPROVE,
        A.REJECT,
        A.MERGE,
        A.SET_THEME,
    ]
    assert rules.dialogue_actions_for(first, dialogue_people["vice_chair"]) == []
    assert QUESTION in first.content
