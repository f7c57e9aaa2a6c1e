"""Petitions and feedback through their services: sending (checked whole, nothing left by a failure),
routing along the agency tree, deadlines in working days per kind, answers approved by a leader, duplicates
merged, publication without personal data, the sender's satisfaction, and who may do each."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from motcua.audit.models import AuditEntry
from motcua.dossiers.services import ActionRefused
from motcua.dossiers.tests.fixtures import pdf_bytes, upload
from motcua.engagement import deadlines, privacy
from motcua.engagement.models import (
    Petition,
    PetitionAction,
    PetitionAttachment,
    PetitionStatus,
    PetitionTerm,
)
from motcua.engagement.selectors import petitions as selectors
from motcua.engagement.services import petitions as services
from motcua.notifications.models import Notification
from motcua.workcalendar import selectors as working_calendar

from .petition_fixtures import H, L, M, send_feedback, send_petition

pytestmark = pytest.mark.django_db
S = PetitionStatus
ANSWER = "Sở Xây dựng đã rà soát quy trình và sẽ rút ngắn thời hạn còn 12 ngày từ quý sau."


def answered(petition, people, unit="commune"):
    services.propose_answer(petition, answer=ANSWER, by=people[f"{unit}.{H}"])
    return services.approve_answer(petition, by=people[f"{unit}.{L}"])


# --- sending ------------------------------------------------------------------------------------------------


def test_feedback_needs_no_account_and_gets_a_code_a_due_time_and_a_receipt(tree, time_machine_monday):
    sent = send_feedback()

    assert sent.code == f"PAKN-{time_machine_monday:%y%m%d}-0001"
    assert (sent.status, sent.agency, sent.sender) == (S.RECEIVED, tree["province"], None)
    # Ten working days by default, counted by the calendar every deadline comes from: Monday 2 March + 10.
    assert sent.due_at == working_calendar.add_working_time(time_machine_monday, days=10).due_at
    assert timezone.localtime(sent.due_at).date().isoformat() == "2026-03-16"
    assert list(sent.events.values_list("action", "to_status")) == [(PetitionAction.SEND, S.RECEIVED)]
    receipt = Notification.objects.get(topic="engagement.petition_received")
    assert (receipt.email, receipt.subject_id) == ("ban-doc@example.com", str(sent.pk))
    assert AuditEntry.objects.filter(action="petition.send", target_label=sent.code).exists()
    assert send_feedback().code.endswith("-0002")  # numbered without gaps


def test_the_term_is_data_per_kind(tree, citizen, time_machine_monday):
    PetitionTerm.objects.create(kind="petition", working_days=3, note="Quy chế của tỉnh")

    assert timezone.localtime(send_petition(citizen).due_at).date().isoformat() == "2026-03-05"
    assert deadlines.term_days("feedback") == PetitionTerm.DEFAULT_TERM_DAYS


def test_a_petition_copies_the_account_of_its_sender(petition, citizen):
    assert (petition.sender, petition.sender_name, petition.sender_email) == (
        citizen, "Lê Thị Hoa", "hoa@example.com",
    )  # fmt: skip
    assert petition.sender_personal_id == "030190054321"


def test_a_petition_needs_an_account(tree):
    with pytest.raises(ValidationError) as refused:
        send_feedback(kind="petition")
    assert "kind" in refused.value.message_dict
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"subject": "Hi"}, "subject"),
        ({"content": "Ngắn quá"}, "content"),
        ({"content": "x" * 5001}, "content"),
        ({"content": "Có ký tự rỗng \x00 ở giữa nội dung này."}, "content"),
        ({"category": "procedure", "procedure": "9.999999"}, "procedure"),
        ({"category": "dossier", "dossier_code": ""}, "dossier_code"),
        ({"category": "agency", "about_agency": "khong-co"}, "about_agency"),
        ({"category": "regulation", "regulation": ""}, "regulation"),
        ({"category": "nonsense"}, "category"),
        ({"sender_email": "khong-phai-email"}, "sender_email"),
        ({"sender_phone": "12345"}, "sender_phone"),
    ],
)
def test_bad_input_is_named_by_field_and_nothing_is_written(tree, changes, field):
    with pytest.raises(ValidationError) as refused:
        send_feedback(**changes)

    assert field in refused.value.message_dict
    assert not Petition.objects.exists()


def test_attachments_are_checked_by_content_and_a_refusal_leaves_no_file(tree, settings):
    impostor = upload(b"MZ\x90\x00 not a pdf at all", name="anh.pdf")

    with pytest.raises(ValidationError) as refused:
        send_feedback(attachments=[upload(pdf_bytes(), name="bien-ban.pdf"), impostor])

    assert "attachments" in refused.value.message_dict
    assert not Petition.objects.exists()
    assert not list(settings.PRIVATE_MEDIA_ROOT.rglob("*.*"))  # the first, good file was removed again
    kept = send_feedback(attachments=[upload(pdf_bytes(), name="bien-ban.pdf")])
    attachment = PetitionAttachment.objects.get(petition=kept)
    assert (attachment.content_type, attachment.original_name) == ("application/pdf", "bien-ban.pdf")
    assert attachment.file.name.startswith("petitions/") and "bien-ban" not in attachment.file.name


def test_too_many_attachments_are_refused(tree):
    with pytest.raises(ValidationError):
        send_feedback(attachments=[upload(pdf_bytes()) for _ in range(services.MAX_ATTACHMENTS + 1)])


def test_sending_is_rate_limited_per_address_and_account(tree, citizen, settings):
    settings.MOTCUA_PETITION_RATE = 2
    send_feedback(client_ip="192.0.2.99")
    send_feedback(client_ip="192.0.2.99")
    with pytest.raises(services.TooManyPetitions) as limited:
        send_feedback(client_ip="192.0.2.99")
    assert limited.value.retry_after > 0
    send_feedback(client_ip="192.0.2.100")  # another address is not held back
    send_petition(citizen, client_ip="198.51.100.1")
    send_petition(citizen, client_ip="198.51.100.2")
    with pytest.raises(services.TooManyPetitions):
        send_petition(citizen, client_ip="198.51.100.3")  # the account, whatever its address


# --- routing ------------------------------------------------------------------------------------------------


def test_the_reception_routes_down_the_tree_and_every_routing_is_recorded(petition, tree, people):
    services.route(petition, to_agency=tree["department"], by=people["reception"], note="Xây dựng")
    again = services.route(petition, to_agency=tree["commune"], by=people["reception"], note="Thuộc xã")

    assert (again.status, again.agency) == (S.IN_HAND, tree["commune"])
    routes = list(
        again.events.filter(action=PetitionAction.ROUTE).values_list("agency__slug", "note", "actor")
    )
    assert routes == [
        ("so-xay-dung-thu", "Xây dựng", people["reception"].pk),
        ("ubnd-xa-dong", "Thuộc xã", people["reception"].pk),
    ]


def test_a_moderator_routes_only_within_their_part_of_the_tree(petition, routed, tree, people):
    with pytest.raises(PermissionDenied):  # the commune's moderator holds no role at the province
        services.route(petition, to_agency=tree["department"], by=people[f"elsewhere.{M}"])
    with pytest.raises(PermissionDenied):  # the reception cannot send it outside the province's tree
        services.route(routed, to_agency=tree["elsewhere"], by=people["reception"])
    with pytest.raises(PermissionDenied):  # a handler does not route
        services.route(routed, to_agency=tree["department"], by=people[f"commune.{H}"])


def test_the_agency_in_charge_returns_what_is_not_theirs_to_the_reception(routed, tree, people):
    with pytest.raises(ValidationError):
        services.return_to_reception(routed, by=people[f"commune.{H}"], note="")
    back = services.return_to_reception(routed, by=people[f"commune.{H}"], note="Không thuộc thẩm quyền xã")

    assert (back.status, back.agency, back.handler) == (S.RECEIVED, tree["province"], None)


def test_declining_ends_it_and_tells_the_sender_why(petition, people):
    declined = services.decline(petition, by=people["reception"], note="Vụ việc đang được tòa án thụ lý.")

    assert (declined.status, declined.on_time) == (S.DECLINED, True)
    assert Notification.objects.filter(topic="engagement.petition_declined").count() == 1
    with pytest.raises(ActionRefused):
        services.route(declined, to_agency=declined.agency, by=people["reception"])


# --- answers ------------------------------------------------------------------------------------------------


def test_a_handler_drafts_and_a_leader_of_the_agency_approves_and_sends(routed, people):
    services.assign(routed, handler=people[f"commune.{H}"], by=people[f"commune.{L}"])
    drafted = services.propose_answer(routed, answer=ANSWER, by=people[f"commune.{H}"])
    assert drafted.status == S.AWAITING_APPROVAL
    with pytest.raises(PermissionDenied):  # a leader elsewhere signs nothing here
        services.approve_answer(drafted, by=people[f"department.{L}"])
    with pytest.raises(PermissionDenied):  # nor does the handler sign their own draft
        services.approve_answer(drafted, by=people[f"commune.{H}"])

    done = services.approve_answer(drafted, by=people[f"commune.{L}"])

    assert (done.status, done.answered_by, done.on_time, done.answer) == (
        S.ANSWERED, people[f"commune.{L}"], True, ANSWER,
    )  # fmt: skip
    sent = Notification.objects.get(topic="engagement.petition_answered")
    assert sent.recipient == done.sender and ANSWER in sent.body_vi


def test_a_leader_sends_a_draft_back_with_what_to_change(routed, people):
    services.propose_answer(routed, answer=ANSWER, by=people[f"commune.{H}"])
    with pytest.raises(ValidationError):
        services.send_back(routed, by=people[f"commune.{L}"], note="")
    back = services.send_back(routed, by=people[f"commune.{L}"], note="Ghi rõ thời điểm áp dụng.")

    assert (back.status, back.answer) == (S.IN_HAND, ANSWER)


def test_an_answer_after_the_due_time_is_late(routed, people):
    Petition.objects.filter(pk=routed.pk).update(due_at=timezone.now() - timedelta(hours=1))
    routed.refresh_from_db()
    assert routed in selectors.queue(people["reception"], "overdue")

    assert answered(routed, people).on_time is False


def test_only_the_assigned_handler_or_a_leader_drafts(routed, people, tree):
    from motcua.dossiers.tests.fixtures import make_officer

    colleague = make_officer("handler.2", tree["commune"], role=H)
    services.assign(routed, handler=people[f"commune.{H}"], by=people[f"commune.{L}"])

    with pytest.raises(PermissionDenied):
        services.propose_answer(routed, answer=ANSWER, by=colleague)
    with pytest.raises(ValidationError):  # only someone of the agency in charge can be given it
        services.assign(routed, handler=people[f"department.{H}"], by=people[f"commune.{L}"])


def test_an_answer_too_short_is_refused(routed, people):
    with pytest.raises(ValidationError) as refused:
        services.propose_answer(routed, answer="OK", by=people[f"commune.{H}"])
    assert "answer" in refused.value.message_dict


# --- duplicates ---------------------------------------------------------------------------------------------


def test_duplicates_are_merged_and_get_the_same_answer(routed, tree, citizen, other_citizen, people):
    duplicate = send_petition(other_citizen, client_ip="192.0.2.77")
    for wrong in (duplicate, None):
        with pytest.raises(ValidationError):
            services.merge(duplicate, into=wrong, by=people["reception"])

    merged = services.merge(duplicate, into=routed, by=people["reception"])
    assert (merged.status, merged.merged_into) == (S.MERGED, routed)

    answered(routed, people)
    merged.refresh_from_db()
    assert merged.answer == ANSWER
    assert set(
        Notification.objects.filter(topic="engagement.petition_answered").values_list("recipient", flat=True)
    ) == {citizen.pk, other_citizen.pk}
    assert (
        selectors.figures(timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)).handled == 1
    )


def test_nothing_merges_into_a_petition_already_answered(routed, citizen, people):
    answered(routed, people)
    late = send_petition(citizen, client_ip="192.0.2.78")

    with pytest.raises(ActionRefused):
        services.merge(late, into=routed, by=people["reception"])


# --- publication --------------------------------------------------------------------------------------------


def test_an_answer_is_published_with_consent_and_found_without_accents(routed, people):
    done = answered(routed, people)

    published = services.publish(done, by=people[f"commune.{M}"])

    assert published.is_published
    assert list(selectors.published("thoi han cap phep")) == [published]
    assert list(selectors.published("xay dung", agency=people[f"commune.{M}"].memberships.get().agency)) == [
        published
    ]
    assert not selectors.published("khong co gi")


def test_personal_data_stops_publication(routed, people, citizen):
    done = answered(routed, people)

    for field, text, kind in [
        ("answer", ANSWER + " Liên hệ bà Hoa qua số 0912 345 678.", "phone"),
        ("answer", ANSWER + " Gửi thư về hoa@example.com để được hướng dẫn.", "email"),
        ("question", "Tôi, số định danh 030190054321, đề nghị rút ngắn thời hạn.", "personal_id"),
        ("question", "Tôi là Lê Thị Hoa, đề nghị rút ngắn thời hạn cấp phép.", "name"),
        ("answer", ANSWER + " Số CCCD 001099012345 của người khác cũng không được.", "personal_id"),
        ("answer", ANSWER + " Hoặc gọi 0987.654.321 của cán bộ.", "phone"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.publish(done, by=people["reception"], **{field: text})
        assert str(privacy.KINDS[kind]) in " ".join(refused.value.message_dict[field]), text
    done.refresh_from_db()
    assert not done.is_published


def test_without_consent_nothing_is_published(routed, tree, citizen, people):
    private = send_petition(citizen, consent_to_publish=False, client_ip="192.0.2.79")
    services.route(private, to_agency=tree["commune"], by=people["reception"])
    answered(private, people)

    with pytest.raises(PermissionDenied):
        services.publish(private, by=people["reception"])


def test_unpublishing_needs_a_reason_and_takes_it_off_the_public_pages(routed, people):
    published = services.publish(answered(routed, people), by=people["reception"])

    with pytest.raises(ValidationError):
        services.unpublish(published, by=people["reception"], note="")
    services.unpublish(published, by=people["reception"], note="Người gửi đề nghị gỡ.")

    assert not selectors.published()


# --- the sender's satisfaction, and the figures -------------------------------------------------------------


def test_the_sender_alone_says_once_whether_the_answer_satisfies_them(routed, people, citizen, other_citizen):
    with pytest.raises(ActionRefused):
        services.rate_answer(routed, by=citizen, satisfied=True)  # not answered yet
    answered(routed, people)
    with pytest.raises(PermissionDenied):
        services.rate_answer(routed, by=other_citizen, satisfied=False)
    with pytest.raises(PermissionDenied):
        services.rate_answer(routed, by=people[f"commune.{L}"], satisfied=True)

    services.rate_answer(routed, by=citizen, satisfied=True, comment="Rõ ràng")
    with pytest.raises(ActionRefused):
        services.rate_answer(routed, by=citizen, satisfied=False)

    day = timezone.now()
    figures = selectors.figures(day - timedelta(days=1), day + timedelta(days=1))
    assert figures == selectors.PetitionFigures(handled=1, handled_on_time=1, rated=1, satisfied=1)
    assert selectors.figures(day - timedelta(days=1), day + timedelta(days=1), [people["reception"].pk]) == (
        selectors.PetitionFigures()
    )


# --- who sees what ------------------------------------------------------------------------------------------


def test_officers_see_the_petitions_of_their_part_of_the_tree_only(routed, people, citizen):
    from motcua.engagement import rules

    assert routed in rules.visible_petitions(people["reception"])  # the province sees what is under it
    assert routed in rules.visible_petitions(people[f"commune.{H}"])
    for outsider in (people[f"elsewhere.{M}"], people[f"department.{H}"], people["desk"], citizen):
        assert routed not in rules.visible_petitions(outsider)
    assert selectors.own_petitions(citizen).get() == routed
    assert rules.petition_actions_for(routed, people[f"commune.{H}"]) == [
        PetitionAction.RETURN_TO_RECEPTION,
        PetitionAction.PROPOSE_ANSWER,
    ]


def test_the_public_record_of_a_code_holds_no_personal_data(routed, people):
    services.decline(routed, by=people["reception"], note="Bà Lê Thị Hoa gửi trùng nội dung đã trả lời.")
    shown = repr(selectors.public_record(selectors.by_code(routed.code.lower())))

    assert routed.code in shown and "declined" in shown
    for private in ("Hoa", "hoa@example.com", "0912345678", "030190054321", routed.subject, "trùng"):
        assert private not in shown
