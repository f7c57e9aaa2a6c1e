"""The petitions API through HTTP: the whole journey (anonymous feedback, a citizen's petition with a PDF,
routing, an answer drafted, approved, published, found by the public, rated by its sender), every field
checked with a clear message, the rate limits, the public record without personal data, and the rules
(who may act, open, read and rate) tried from the wrong side."""

import pytest
from rest_framework.test import APIClient

from motcua.dossiers.tests.fixtures import client_for, pdf_bytes, upload
from motcua.engagement.models import Petition, PetitionAttachment, PetitionStatus
from motcua.engagement.petition_api import ACTION_CALLS
from motcua.engagement.petition_serializers import ACTION_CHOICES
from motcua.engagement.rules import PETITION_RULES
from motcua.engagement.services import petitions as services

from .petition_fixtures import H, L, M, send_feedback, send_petition

pytestmark = pytest.mark.django_db
S = PetitionStatus
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = "/api/v1/petitions/"
ANSWER = "UBND xã Đông đã rà soát quy trình và sẽ trả kết quả trong 3 ngày làm việc từ tháng sau."
PUBLIC_KEYS = {
    "code", "kind", "kind_label", "category", "category_label", "status", "status_label", "agency",
    "received_at", "due_at", "ended_at", "on_time", "merged_into", "steps", "published",
    "published_subject", "published_question", "published_answer", "published_at",
}  # fmt: skip
CITIZEN_SECRETS = ("Lê Thị Hoa", "030190054321", "0912345678", "hoa@example.com")


def url(petition_or_code, tail: str = "") -> str:
    code = getattr(petition_or_code, "code", petition_or_code)
    return f"{LIST}{code}/{tail}"


def act(user, petition, **body):
    return client_for(user).post(url(petition, "actions/"), body, format="json", **EN)


def answered(petition, people, unit="commune"):
    services.propose_answer(petition, answer=ANSWER, by=people[f"{unit}.{H}"])
    return services.approve_answer(petition, by=people[f"{unit}.{L}"])


# --- the journey --------------------------------------------------------------------------------------------


def test_the_whole_journey_through_http(tree, people, citizen, procedure):
    anonymous = APIClient()
    feedback = anonymous.post(
        LIST,
        {
            "kind": "feedback", "category": "agency", "about_agency": "ubnd-xa-dong",
            "subject": "Đèn đường hỏng", "sender_email": "ban-doc@example.com",
            "content": "Đèn đường trước chợ Đông đã hỏng hai tuần, buổi tối rất tối và nguy hiểm.",
        },
        format="json",
    )  # fmt: skip
    assert feedback.status_code == 201, feedback.json()
    assert set(feedback.json()) == {"code", "status", "due_at"} and feedback.json()["status"] == "received"
    assert Petition.objects.get(code=feedback.json()["code"]).sender is None

    sent = client_for(citizen).post(
        LIST,
        {
            "kind": "petition", "category": "procedure", "procedure": procedure.code,
            "subject": "Thời hạn cấp giấy xác nhận quá dài",
            "content": "Thời hạn cấp giấy xác nhận thử nghiệm còn dài, đề nghị rút ngắn còn hai ngày.",
            "consent_to_publish": "true", "attachments": [upload(pdf_bytes(), "de-nghi.pdf")],
        },
        format="multipart",
    )  # fmt: skip
    assert sent.status_code == 201, sent.json()
    code = sent.json()["code"]
    petition = Petition.objects.get(code=code)
    assert (petition.sender, petition.procedure, petition.consent_to_publish) == (citizen, procedure, True)
    assert PetitionAttachment.objects.get(petition=petition).content_type == "application/pdf"

    # The reception finds both in its queue and routes the petition to the commune.
    reception = client_for(people["reception"])
    queued = reception.get(f"{LIST}queue/", {"queue": "received"}).json()
    assert {row["code"] for row in queued["results"]} == {code, feedback.json()["code"]}
    routed = act(people["reception"], code, action="route", agency="ubnd-xa-dong", note="Thuộc xã Đông")
    assert routed.status_code == 200, routed.json()
    assert (
        routed.json()["status"] == "in_hand" and routed.json()["officer"]["agency"]["slug"] == "ubnd-xa-dong"
    )

    # The commune's leader gives it to the handler, who drafts the answer; the sender cannot read a draft.
    assert act(people[f"commune.{L}"], code, action="assign", handler=f"{H}.commune").status_code == 200
    proposed = act(people[f"commune.{H}"], code, action="propose_answer", answer=ANSWER)
    assert proposed.status_code == 200 and proposed.json()["status"] == "awaiting_approval"
    assert proposed.json()["officer"]["answer"] == ANSWER
    assert client_for(citizen).get(url(code)).json()["own"]["answer"] == ""

    approved = act(people[f"commune.{L}"], code, action="approve_answer")
    assert approved.status_code == 200 and approved.json()["status"] == "answered"
    assert approved.json()["officer"]["answered_by"]["username"] == f"{L}.commune"
    own = client_for(citizen).get(url(code)).json()["own"]
    assert (own["answer"], own["may_rate"]) == (ANSWER, True)

    published = act(
        people["reception"], code, action="publish", subject="Thời hạn cấp giấy xác nhận thử nghiệm"
    )
    assert published.status_code == 200, published.json()
    assert published.json()["published"] is True

    found = anonymous.get(
        LIST, {"q": "thoi han xac nhan", "procedure": procedure.code, "agency": "ubnd-tinh-thu"}
    )
    assert found.status_code == 200
    assert [row["code"] for row in found.json()["results"]] == [code]
    assert found.json()["results"][0]["answer"] == ANSWER
    assert anonymous.get(LIST, {"agency": "ubnd-xa-tay"}).json()["count"] == 0

    rated = client_for(citizen).post(
        url(code, "rating/"), {"satisfied": True, "comment": "Cảm ơn"}, format="json"
    )
    assert rated.status_code == 200, rated.json()
    assert (rated.json()["own"]["satisfied"], rated.json()["own"]["may_rate"]) == (True, False)
    again = client_for(citizen).post(url(code, "rating/"), {"satisfied": False}, format="json", **EN)
    assert again.status_code == 409 and "already said" in again.json()["detail"]


def test_the_sender_lists_their_own(tree, citizen, other_citizen):
    mine = send_petition(citizen)
    send_petition(other_citizen)
    send_feedback()
    body = client_for(citizen).get(f"{LIST}mine/").json()
    assert [row["code"] for row in body["results"]] == [mine.code]
    assert body["results"][0]["subject"] == mine.subject
    assert APIClient().get(f"{LIST}mine/").status_code == 401


def test_a_moderator_merges_a_duplicate(petition, routed, tree, people, citizen):
    duplicate = send_petition(citizen)
    response = act(people["reception"], duplicate, action="merge", into=petition.code)
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["merged_into"]) == ("merged", petition.code)


def test_the_other_steps_over_http(routed, people, tree):
    leader, handler = people[f"commune.{L}"], people[f"commune.{H}"]
    services.propose_answer(routed, answer=ANSWER, by=handler)
    sent_back = act(leader, routed, action="send_back", note="Nêu rõ thời điểm áp dụng.")
    assert sent_back.status_code == 200 and sent_back.json()["status"] == "in_hand"
    assert sent_back.json()["officer"]["steps"][-1]["note"] == "Nêu rõ thời điểm áp dụng."
    returned = act(leader, routed, action="return_to_reception", note="Không thuộc thẩm quyền của xã.")
    assert returned.status_code == 200 and returned.json()["status"] == "received"
    assert "officer" not in returned.json()  # it left the commune: the leader now reads the public record
    routed = services.route(routed, to_agency=tree["commune"], by=people["reception"])
    answered(routed, people)
    services.publish(routed, by=people["reception"])
    withdrawn = act(people["reception"], routed, action="unpublish", note="Người gửi đề nghị gỡ.")
    assert withdrawn.status_code == 200 and withdrawn.json()["published"] is False


def test_publishing_personal_data_is_refused_by_field(routed, people):
    answered(routed, people)
    question = "Bà Lê Thị Hoa, số điện thoại 0912345678, đề nghị rút ngắn thời hạn cấp phép."
    response = act(people["reception"], routed, action="publish", question=question)
    assert response.status_code == 400 and set(response.json()["errors"]) == {"question"}
    assert "Remove the personal data" in response.json()["errors"]["question"][0]
    assert APIClient().get(LIST).json()["count"] == 0


def test_an_officer_reads_the_full_record_and_the_file(tree, people, citizen):
    petition = send_petition(citizen, attachments=[upload(pdf_bytes(), "ban-ve.pdf")])
    body = client_for(people["reception"]).get(url(petition)).json()
    officer = body["officer"]
    assert officer["sender"] == {
        "account": citizen.username, "name": "Lê Thị Hoa", "email": "hoa@example.com", "phone": "0912345678",
    }  # fmt: skip
    assert officer["subject"] == petition.subject and officer["actions"] == ["route", "decline", "merge"]
    assert officer["steps"][0]["actor"]["username"] == citizen.username
    [file] = officer["attachments"]
    assert file["name"] == "ban-ve.pdf"
    download = client_for(people["reception"]).get(file["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for(citizen).get(file["url"]).status_code == 200  # the sender's own file
    assert "own" not in body  # the officer did not send it


# --- bad input ----------------------------------------------------------------------------------------------


def test_every_wrong_field_of_a_petition_is_named_at_once(tree):
    response = APIClient().post(
        LIST,
        {
            "kind": "petition", "category": "procedure", "procedure": "0.000000", "subject": "Hi",
            "content": "", "sender_email": "not-an-address", "sender_phone": "12",
        },
        format="json", **EN,
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"kind", "procedure", "subject", "content", "sender_email", "sender_phone"}
    assert errors["kind"] == ["Sign in to send a petition; feedback can be sent without an account."]
    assert errors["subject"] == ["Write at least 5 characters."] and errors["content"] == [
        "This is required."
    ]
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"kind": "complaint"}, "kind", "Choose feedback or a petition."),
        ({"kind": ["feedback"]}, "kind", "Not a valid string."),
        ({"category": "weather"}, "category", "Choose what it is about."),
        (
            {"category": "dossier", "dossier_code": "<script>"},
            "dossier_code",
            "Enter the code of the dossier",
        ),
        ({"category": "agency", "about_agency": "nowhere"}, "about_agency", "Choose the agency it is about."),
        ({"category": "regulation", "regulation": ""}, "regulation", "Name the regulation"),
        ({"subject": "x" * 201}, "subject", "At most 200 characters (this has 201)."),
        ({"consent_to_publish": "perhaps"}, "consent_to_publish", "Write true or false."),
    ],
)
def test_a_wrong_field_is_named_with_a_clear_message(tree, body, field, message):
    good = {
        "kind": "feedback", "category": "other", "subject": "Đèn đường hỏng",
        "content": "Đèn đường trước chợ Đông đã hỏng hai tuần, buổi tối rất tối.",
    }  # fmt: skip
    response = APIClient().post(LIST, {**good, **body}, format="json", **EN)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}
    assert response.json()["errors"][field][0].startswith(message)


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_kept(tree, citizen):
    response = client_for(citizen).post(
        LIST,
        {
            "kind": "petition", "category": "other", "subject": "Đề nghị sửa đường",
            "content": "Đường liên thôn hỏng nặng, đề nghị sửa trước mùa mưa.",
            "attachments": [upload(b"<html><script>alert(1)</script></html>", "don.pdf")],
        },
        format="multipart", **EN,
    )  # fmt: skip
    assert response.status_code == 400 and set(response.json()["errors"]) == {"attachments"}
    assert not Petition.objects.exists() and not PetitionAttachment.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "action"),
        ({"action": "delete"}, "action"),
        ({"action": "route", "agency": "nowhere"}, "agency"),
        ({"action": "merge", "into": "PAKN-000000-0000"}, "into"),
        ({"action": "assign", "handler": "nobody"}, "handler"),
        ({"action": "decline"}, "note"),
        ({"action": "decline", "note": "x" * 2001}, "note"),
    ],
)
def test_a_wrong_action_field_is_named(routed, people, body, field):
    officer = (
        people["reception"] if body.get("action") in ("route", "merge", "decline") else people[f"commune.{L}"]
    )
    response = act(officer, routed, **body)
    assert response.status_code == 400, response.json()
    assert set(response.json()["errors"]) == {field}
    assert Petition.objects.get(pk=routed.pk).status == S.IN_HAND


def test_every_action_of_the_rules_is_served():
    assert set(ACTION_CALLS) == set(PETITION_RULES) == {value for value, _ in ACTION_CHOICES}


def test_an_action_at_the_wrong_moment_is_a_conflict(routed, people):
    response = act(people[f"commune.{L}"], routed, action="approve_answer")
    assert response.status_code == 409
    assert "cannot be done while" in response.json()["detail"]


def test_a_rating_must_say_yes_or_no(routed, people, citizen):
    answered(routed, people)
    response = client_for(citizen).post(url(routed, "rating/"), {"satisfied": "perhaps"}, format="json", **EN)
    assert response.status_code == 400 and response.json()["errors"] == {"satisfied": ["Say yes or no."]}


@pytest.mark.parametrize(
    "query, field",
    [
        ({"agency": "nowhere"}, "agency"),
        ({"procedure": "0.000000"}, "procedure"),
        ({"category": "weather"}, "category"),
        ({"q": "x" * 201}, "q"),
        ({"page": "0"}, "page"),
    ],
)
def test_a_wrong_search_is_named(tree, query, field):
    response = APIClient().get(LIST, query, **EN)
    assert response.status_code == 400 and set(response.json()["errors"]) == {field}


def test_a_wrong_queue_is_named(tree, people):
    response = client_for(people["reception"]).get(f"{LIST}queue/", {"queue": "later"}, **EN)
    assert response.status_code == 400 and "Choose one of the queues" in response.json()["errors"]["queue"][0]


# --- rate limits --------------------------------------------------------------------------------------------


def test_sending_too_many_is_a_429_with_retry_after(tree, settings):
    settings.MOTCUA_PETITION_RATE = 2
    body = {
        "kind": "feedback", "category": "other", "subject": "Rác thải ven đường",
        "content": "Rác thải đổ ven đường liên thôn nhiều ngày chưa được thu gom.",
    }  # fmt: skip
    answers = [APIClient().post(LIST, body, format="json") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert int(answers[2]["Retry-After"]) > 0 and answers[2].json()["detail"]
    assert Petition.objects.count() == 2


def test_guessing_codes_is_rate_limited_but_the_sender_and_officers_are_not(
    petition, people, citizen, settings
):
    settings.MOTCUA_TRACKING_RATE = 3
    answers = [APIClient().get(url(f"PAKN-260101-{n:04d}")).status_code for n in range(5)]
    assert answers == [404, 404, 404, 429, 429]
    # The same address: the sender reading their own and an officer who may open it are not counted.
    assert client_for(citizen).get(url(petition)).status_code == 200
    assert client_for(people["reception"]).get(url(petition)).status_code == 200
    assert client_for(people[f"elsewhere.{M}"]).get(url(petition)).status_code == 429


# --- the public record --------------------------------------------------------------------------------------


def test_public_tracking_holds_no_personal_data(routed, people, citizen):
    services.decline(routed, by=people["reception"], note="Nội dung thuộc thẩm quyền của toà án nhân dân.")
    response = APIClient().get(url(routed))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PUBLIC_KEYS
    assert body["status"] == "declined" and [s["action"] for s in body["steps"]] == [
        "send",
        "route",
        "decline",
    ]
    text = response.content.decode()
    for secret in (*CITIZEN_SECRETS, routed.subject, routed.content, "toà án", "Quyết định 12/2026"):
        assert secret not in text
    own = client_for(citizen).get(url(routed)).json()
    assert own["own"]["decline_reason"].startswith("Nội dung") and "officer" not in own


def test_anonymous_feedback_is_tracked_without_its_sender(tree, people):
    sent = send_feedback(sender_name="Trần Văn Bình", sender_phone="0901234567")
    text = APIClient().get(url(sent.code.lower())).content.decode()  # the code's case is forgiven
    assert sent.code in text
    for secret in ("Trần Văn Bình", "0901234567", "ban-doc@example.com", sent.subject):
        assert secret not in text


def test_the_public_reads_only_published_answers(routed, people, tree):
    answered(routed, people)
    assert APIClient().get(LIST).json()["count"] == 0
    body = APIClient().get(url(routed)).json()
    assert (body["published"], body["published_answer"]) == (False, "")


# --- the rules, tried from the wrong side -------------------------------------------------------------------


def test_a_citizen_cannot_act_even_on_their_own_petition(routed, citizen, other_citizen):
    for user in (citizen, other_citizen):
        assert act(user, routed, action="route", agency="ubnd-xa-dong").status_code == 404
        assert act(user, routed, action="decline", note="Không thuộc thẩm quyền").status_code == 404
    assert APIClient().post(url(routed, "actions/"), {"action": "decline"}, format="json").status_code == 401


def test_an_officer_of_another_agency_gets_404_and_only_the_public_record(routed, people):
    for user in (people[f"elsewhere.{M}"], people[f"elsewhere.{L}"], people[f"department.{H}"]):
        assert act(user, routed, action="decline", note="Không thuộc thẩm quyền").status_code == 404
        assert set(client_for(user).get(url(routed)).json()) == PUBLIC_KEYS
    assert Petition.objects.get(pk=routed.pk).status == S.IN_HAND


def test_a_handler_may_not_route_or_decline(routed, people):
    handler = people[f"commune.{H}"]
    assert act(handler, routed, action="route", agency="ubnd-xa-dong").status_code == 403
    assert act(handler, routed, action="decline", note="Không thuộc thẩm quyền").status_code == 403
    assert act(handler, routed, action="merge", into=routed.code).status_code == 403
    assert client_for(handler).get(url(routed)).json()["officer"]["actions"] == [
        "return_to_reception", "propose_answer",
    ]  # fmt: skip


def test_a_moderator_may_not_route_outside_their_tree(routed, people):
    response = act(people[f"commune.{M}"], routed, action="route", agency="ubnd-xa-tay")
    assert response.status_code == 403


def test_a_moderator_may_not_merge_into_a_petition_they_may_not_open(tree, people, citizen):
    beside = services.route(send_petition(citizen), to_agency=tree["department"], by=people["reception"])
    here = services.route(send_petition(citizen), to_agency=tree["commune"], by=people["reception"])
    response = act(people[f"commune.{M}"], here, action="merge", into=beside.code)
    assert response.status_code == 400 and set(response.json()["errors"]) == {"into"}


def test_only_the_sender_rates(routed, people, other_citizen):
    answered(routed, people)
    for user in (other_citizen, people[f"commune.{L}"]):
        response = client_for(user).post(url(routed, "rating/"), {"satisfied": False}, format="json")
        assert response.status_code == 403
    assert Petition.objects.get(pk=routed.pk).rated_at is None


def test_queues_are_for_petition_officers_only(routed, people, citizen):
    assert client_for(citizen).get(f"{LIST}queue/").status_code == 403
    assert client_for(people["desk"]).get(f"{LIST}queue/").status_code == 403  # an officer without the role
    assert APIClient().get(f"{LIST}queue/").status_code == 401
    assert client_for(people[f"elsewhere.{M}"]).get(f"{LIST}queue/").json()["count"] == 0
    mine = client_for(people[f"commune.{H}"]).get(f"{LIST}queue/", {"queue": "open"}).json()
    assert [row["code"] for row in mine["results"]] == [routed.code] and mine["results"][0][
        "overdue"
    ] is False


def test_files_are_only_for_the_sender_and_the_officers_who_may_open_it(tree, people, citizen, other_citizen):
    petition = send_petition(citizen, attachments=[upload(pdf_bytes())])
    path = url(petition, f"attachments/{petition.attachments.get().pk}/")
    assert client_for(other_citizen).get(path).status_code == 404
    assert client_for(people[f"elsewhere.{M}"]).get(path).status_code == 404
    assert APIClient().get(path).status_code == 401
    assert client_for(people["reception"]).get(path).status_code == 200


def test_a_text_where_a_file_belongs_is_named_in_a_flat_list(tree):
    body = {"kind": "feedback", "category": "other", "attachments": ["null"]}
    response = APIClient().post(LIST, body, format="multipart", **EN)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "attachments": ["File 1: This is not a file: send files as multipart/form-data."]
    }
