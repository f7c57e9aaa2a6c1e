"""Consultations on drafts through their services and selectors: a draft created article by article and
checked whole, published, commented on while open (signed in, rate-limited), moderated (the reason stays
internal), answered, and its answers published after closing; who may do each, tried by who may not."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from motcua.audit.models import AuditEntry
from motcua.dossiers.services import ActionRefused
from motcua.engagement import rules
from motcua.engagement.models import CommentStatus, ConsultationAction, ConsultationPhase
from motcua.engagement.selectors import consultations as selectors
from motcua.engagement.services import consultations as services

from .consultation_fixtures import H, L, M, close, draft_values, say

pytestmark = pytest.mark.django_db
S = CommentStatus
RESPONSE = "Sở Xây dựng tiếp thu, sẽ rút ngắn thời hạn còn 12 ngày làm việc."


# --- the draft ----------------------------------------------------------------------------------------------


def test_a_moderator_creates_a_draft_article_by_article_not_public_until_published(
    draft_consultation, people
):
    assert [(a.order, a.label) for a in draft_consultation.articles.all()] == [(1, "Điều 1"), (2, "Điều 2")]
    assert draft_consultation.phase() == ConsultationPhase.DRAFT
    assert selectors.public_one(draft_consultation.pk) is None
    assert AuditEntry.objects.filter(action="consultation.create").exists()

    services.publish_consultation(draft_consultation, by=people[f"department.{M}"])

    assert selectors.public_one(draft_consultation.pk).phase() == ConsultationPhase.OPEN
    assert [e.action for e in selectors.events(draft_consultation)] == [
        ConsultationAction.CREATE,
        ConsultationAction.PUBLISH,
    ]


def test_a_moderator_above_the_drafting_agency_may_create_one_elsewhere_may_not(tree, people):
    services.create_consultation(agency=tree["department"], by=people["reception"], **draft_values())
    for outsider in (people[f"elsewhere.{M}"], people[f"department.{H}"], people[f"department.{L}"]):
        with pytest.raises(PermissionDenied):
            services.create_consultation(agency=tree["department"], by=outsider, **draft_values())


def test_the_draft_is_checked_whole_with_a_message_per_field(tree, people):
    now = timezone.now()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.create_consultation(
            agency=tree["department"], by=people[f"department.{M}"],
            **draft_values(title="", opens_at=now, closes_at=now - timedelta(days=1),
                           articles=[{"label": "Điều 1", "text": ""}, {"label": "điều 1", "text": "x"}]),
        )  # fmt: skip
    errors = refused.value.message_dict
    assert errors["title"] == ["This is required."]
    assert errors["closes_at"] == ["The closing date must come after the opening date."]
    assert "Article 1 (Điều 1), text: This is required." in errors["articles"]
    assert "Article 2 (điều 1), number: This number is used twice." in errors["articles"]
    with pytest.raises(ValidationError) as empty:
        services.create_consultation(agency=tree["department"], by=people[f"department.{M}"],
                                     **draft_values(articles=[]))  # fmt: skip
    assert "articles" in empty.value.message_dict


def test_a_draft_pasted_as_one_text_is_cut_at_its_article_headings(tree, people):
    text = "Điều 1. Phạm vi\nQuy định này áp dụng...\n\nĐiều 2: Hiệu lực\nCó hiệu lực từ ngày ký.\n"
    made = services.create_consultation(
        agency=tree["department"], by=people[f"department.{M}"], **draft_values(articles=text)
    )
    assert [(a.label, a.title, a.text) for a in made.articles.all()] == [
        ("Điều 1", "Phạm vi", "Quy định này áp dụng..."),
        ("Điều 2", "Hiệu lực", "Có hiệu lực từ ngày ký."),
    ]
    with pytest.raises(ValidationError) as stray:
        services.split_articles("Lời nói đầu\nĐiều 1. A\nB")
    assert "articles" in stray.value.message_dict


def test_only_a_draft_is_edited_and_its_articles_replaced(draft_consultation, people):
    moderator = people[f"department.{M}"]
    services.update_consultation(
        draft_consultation, by=moderator, **draft_values(title="Dự thảo sửa đổi", articles="Điều 1. A\nB")
    )
    draft_consultation.refresh_from_db()
    assert (draft_consultation.title, draft_consultation.articles.count()) == ("Dự thảo sửa đổi", 1)
    with pytest.raises(PermissionDenied):
        services.update_consultation(draft_consultation, by=people[f"elsewhere.{M}"], **draft_values())
    services.publish_consultation(draft_consultation, by=moderator)
    with pytest.raises(ActionRefused):
        services.update_consultation(draft_consultation, by=moderator, **draft_values())
    with pytest.raises(ActionRefused):
        services.publish_consultation(draft_consultation, by=moderator)


def test_a_handler_may_not_publish_nor_a_draft_already_closed(draft_consultation, people):
    with pytest.raises(PermissionDenied):
        services.publish_consultation(draft_consultation, by=people[f"department.{H}"])
    close(draft_consultation)
    with pytest.raises(ValidationError):
        services.publish_consultation(draft_consultation, by=people[f"department.{M}"])


# --- comments -----------------------------------------------------------------------------------------------


def test_a_signed_in_person_comments_on_an_article_or_the_whole_draft_and_it_awaits_moderation(
    consultation, citizen
):
    article = consultation.articles.get(order=2)
    on_article = say(consultation, citizen, article=article.pk)
    on_whole = say(consultation, citizen, author_name="Hiệp hội Xây dựng tỉnh")

    assert (on_article.article, on_article.status, on_article.author_name) == (
        article,
        S.PENDING,
        "Lê Thị Hoa",
    )
    assert (on_whole.article, on_whole.author_name) == (None, "Hiệp hội Xây dựng tỉnh")
    assert selectors.public_record(consultation)["articles"][1]["comments"] == []  # not before moderation


def test_nobody_comments_unless_signed_in_and_while_open(consultation, draft_consultation, citizen, people):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        say(consultation, AnonymousUser())
    later = timezone.now() + timedelta(days=2)
    upcoming = services.create_consultation(
        agency=consultation.agency, by=people[f"department.{M}"],
        **draft_values(opens_at=later, closes_at=later + timedelta(days=7)),
    )  # fmt: skip
    services.publish_consultation(upcoming, by=people[f"department.{M}"])
    with pytest.raises(ActionRefused):
        say(upcoming, citizen)
    with pytest.raises(ActionRefused):
        say(close(consultation), citizen)


def test_a_comment_is_checked_and_names_an_article_of_this_draft(consultation, citizen, tree, people):
    other = services.create_consultation(
        agency=tree["department"], by=people[f"department.{M}"], **draft_values()
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        say(consultation, citizen, content="ngắn", article=other.articles.first().pk)
    assert refused.value.message_dict == {
        "content": ["Write at least 10 characters."],
        "article": ["Choose an article of this draft, or the whole draft."],
    }
    with pytest.raises(ValidationError) as long:
        say(consultation, citizen, content="x" * 4001)
    assert "content" in long.value.message_dict


def test_commenting_is_rate_limited_per_address_and_account(consultation, citizen, other_citizen, settings):
    settings.MOTCUA_CONSULTATION_COMMENT_RATE = 2
    say(consultation, citizen, ip="192.0.2.1")
    say(consultation, other_citizen, ip="192.0.2.1")
    with pytest.raises(services.TooManyComments) as limited:
        say(consultation, other_citizen, ip="192.0.2.1")  # the address
    assert limited.value.retry_after > 0
    say(consultation, citizen, ip="192.0.2.2")
    with pytest.raises(services.TooManyComments):
        say(consultation, citizen, ip="192.0.2.3")  # the account, whatever its address


# --- moderation and answers ---------------------------------------------------------------------------------


def test_an_approved_comment_is_public_a_rejected_ones_reason_never(consultation, citizen, people):
    moderator = people[f"department.{M}"]
    kept = services.approve(say(consultation, citizen, article=consultation.articles.first()), by=moderator)
    dropped = services.reject(say(consultation, citizen), by=moderator, reason="Nội dung quảng cáo")

    record = selectors.public_record(consultation)
    assert [c["id"] for c in record["articles"][0]["comments"]] == [kept.pk]
    assert record["comments"] == []
    text = repr(record)
    assert "Nội dung quảng cáo" not in text and dropped.content not in text.replace(kept.content, "")
    assert (dropped.reject_reason, dropped.moderated_by) == ("Nội dung quảng cáo", moderator)
    assert [e.note for e in selectors.events(consultation) if e.action == ConsultationAction.REJECT] == [
        "Nội dung quảng cáo"
    ]


def test_the_authors_contact_is_never_public(consultation, citizen, people):
    services.approve(say(consultation, citizen), by=people[f"department.{M}"])
    record = selectors.public_record(consultation)
    text = repr(record)
    for private in ("hoa@example.com", "0912345678", citizen.username):
        assert private not in text
    assert set(record["comments"][0]) == {
        "id", "article", "author_name", "content", "submitted_at", "response", "responded_at"
    }  # fmt: skip
    assert record["comments"][0]["author_name"] == "Lê Thị Hoa"


def test_moderation_needs_a_moderator_of_the_drafting_agency_or_above(consultation, citizen, people):
    pending = say(consultation, citizen)
    for outsider in (people[f"elsewhere.{M}"], people[f"department.{H}"], people[f"commune.{M}"], citizen):
        with pytest.raises(PermissionDenied):
            services.approve(pending, by=outsider)
        with pytest.raises(PermissionDenied):
            services.reject(pending, by=outsider, reason="Không phù hợp")
    with pytest.raises(ValidationError):
        services.reject(pending, by=people["reception"], reason="")  # a reason is required
    services.approve(pending, by=people["reception"])  # the province, above the department
    assert [c.pk for c in selectors.moderation_queue(people[f"department.{M}"])] == []


def test_answers_are_written_by_the_agency_on_approved_comments_and_published_by_its_leader_after_closing(
    consultation, citizen, people
):
    moderator, handler, leader = (people[f"department.{role}"] for role in (M, H, L))
    pending = say(consultation, citizen)
    with pytest.raises(ActionRefused):
        services.respond(pending, by=handler, text=RESPONSE)  # not approved yet
    services.approve(pending, by=moderator)
    for outsider in (people[f"elsewhere.{H}"], moderator, citizen):
        with pytest.raises(PermissionDenied):
            services.respond(pending, by=outsider, text=RESPONSE)
    services.respond(pending, by=handler, text=RESPONSE)
    assert selectors.public_record(consultation)["comments"][0]["response"] is None  # not yet published

    with pytest.raises(ActionRefused):
        services.publish_responses(consultation, by=leader)  # still open
    close(consultation)
    for refused in (handler, moderator, people[f"elsewhere.{L}"]):
        with pytest.raises(PermissionDenied):
            services.publish_responses(consultation, by=refused)
    consultation = services.publish_responses(consultation, by=leader)

    shown = selectors.public_record(consultation)["comments"][0]
    assert (shown["response"], shown["author_name"]) == (RESPONSE, "Lê Thị Hoa")
    with pytest.raises(ActionRefused):
        services.publish_responses(consultation, by=leader)
    with pytest.raises(ActionRefused):
        services.reject(pending, by=moderator, reason="Quá muộn rồi")  # nothing moves after publication


def test_the_public_list_by_phase_and_the_back_offices_by_agency(
    consultation, draft_consultation, people, tree
):
    listed = selectors.public_list()
    assert [c.pk for c in listed[ConsultationPhase.OPEN]] == [consultation.pk]
    assert listed[ConsultationPhase.CLOSED] == [] and listed[ConsultationPhase.UPCOMING] == []
    assert list(selectors.agency_consultations(people[f"department.{H}"])) == [consultation]
    assert list(selectors.agency_consultations(people["reception"])) == [consultation]
    assert list(selectors.agency_consultations(people[f"elsewhere.{M}"])) == []
    assert selectors.officer_one(consultation.pk, people[f"commune.{L}"]) is None
    assert rules.may_read_report(consultation, people[f"department.{H}"])
    assert not rules.may_read_report(consultation, people[f"elsewhere.{L}"])


def test_the_report_counts_per_article_and_for_the_whole_draft(consultation, citizen, other_citizen, people):
    moderator, handler = people[f"department.{M}"], people[f"department.{H}"]
    first = consultation.articles.get(order=1)
    answered = services.approve(say(consultation, citizen, article=first), by=moderator)
    services.respond(answered, by=handler, text=RESPONSE)
    services.reject(say(consultation, other_citizen, article=first), by=moderator, reason="Trùng lặp ý")
    say(consultation, other_citizen)

    made = selectors.report(consultation, whole_label="Toàn văn")
    counts = [(s.label, s.received, s.approved, s.rejected, s.pending, s.responded) for s in made.sections]
    assert counts == [("Toàn văn", 1, 0, 0, 1, 0), ("Điều 1", 2, 1, 1, 0, 1), ("Điều 2", 0, 0, 0, 0, 0)]
    assert made.sections[1].comments == [answered]
    assert (made.totals.received, made.totals.responded) == (3, 1)
