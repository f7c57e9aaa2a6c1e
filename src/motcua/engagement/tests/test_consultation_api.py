"""The consultations API through HTTP: the public list and draft, a comment sent (signed in, checked, rate-
limited), moderated, answered and published by the officers with the pages' permissions, the report
downloaded; the author's contact and a rejection's reason never in a public answer."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from motcua.dossiers.tests.fixtures import client_for
from motcua.engagement.services import consultations as services

from .consultation_fixtures import H, L, M, close, draft_values, say

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = "/api/v1/consultations/"
RESPONSE = "Sở Xây dựng tiếp thu, sẽ rút ngắn thời hạn còn 12 ngày làm việc."
SECRETS = ("hoa@example.com", "0912345678", "030190054321", "Nội dung quảng cáo")


def url(consultation, tail: str = "") -> str:
    return f"{LIST}{consultation.pk}/{tail}"


def act(user, consultation, comment, **body):
    return client_for(user).post(
        url(consultation, f"comments/{comment.pk}/actions/"), body, format="json", **EN
    )


def test_the_journey_through_http(consultation, citizen, people):
    moderator, handler, leader = (people[f"department.{role}"] for role in (M, H, L))
    listed = APIClient().get(LIST).json()
    assert [(row["id"], row["phase"]) for row in listed] == [(consultation.pk, "open")]
    article = APIClient().get(url(consultation)).json()["articles"][1]

    sent = client_for(citizen).post(
        url(consultation, "comments/"), {"article": article["id"], "content": "Đề nghị rút ngắn còn 10 ngày"},
        format="json",
    )  # fmt: skip
    assert sent.status_code == 201, sent.json()
    assert set(sent.json()) == {"id", "status"} and sent.json()["status"] == "pending"
    comment = consultation.comments.get(pk=sent.json()["id"])

    queue = client_for(moderator).get(url(consultation, "comments/?status=pending")).json()
    assert [(row["id"], row["actions"]) for row in queue] == [(comment.pk, ["approve", "reject"])]
    assert act(moderator, consultation, comment, action="approve").json()["status"] == "approved"
    responded = act(handler, consultation, comment, action="respond", response=RESPONSE)
    assert responded.status_code == 200 and responded.json()["response"] == RESPONSE

    shown = APIClient().get(url(consultation)).json()["articles"][1]["comments"]
    assert [(c["id"], c["response"]) for c in shown] == [(comment.pk, None)]  # answers not yet published
    assert client_for(leader).post(url(consultation, "publish-responses/"), **EN).status_code == 409
    close(consultation)
    published = client_for(leader).post(url(consultation, "publish-responses/"))
    assert published.status_code == 200
    assert published.json()["articles"][1]["comments"][0]["response"] == RESPONSE

    report = client_for(handler).get(url(consultation, "report/?format=xlsx"))
    assert report.status_code == 200 and report["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(io.BytesIO(report.content)).worksheets[1].values)
    assert rows[1][2:] == ("Lê Thị Hoa", rows[1][3], "Đề nghị rút ngắn còn 10 ngày", RESPONSE)
    pdf = client_for(handler).get(url(consultation, "report/?format=pdf"))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf") and pdf.content[:4] == b"%PDF"


def test_commenting_needs_an_account_an_open_draft_and_valid_fields(consultation, citizen, people):
    body = {"content": "Đề nghị rút ngắn thời hạn còn 10 ngày."}
    assert APIClient().post(url(consultation, "comments/"), body, format="json").status_code in (401, 403)
    unpublished = services.create_consultation(
        agency=consultation.agency, by=people[f"department.{M}"], **draft_values()
    )
    assert client_for(citizen).post(url(unpublished, "comments/"), body, format="json").status_code == 404
    assert APIClient().get(url(unpublished)).status_code == 404
    wrong = client_for(citizen).post(url(consultation, "comments/"), {"content": "ngắn", "article": 999999},
                                     format="json", **EN)  # fmt: skip
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {
        "content": ["Write at least 10 characters."],
        "article": ["Choose an article of this draft, or the whole draft."],
    }
    close(consultation)
    assert client_for(citizen).post(url(consultation, "comments/"), body, format="json").status_code == 409


def test_too_many_comments_is_a_429_with_retry_after(consultation, citizen, settings):
    settings.MOTCUA_CONSULTATION_COMMENT_RATE = 1
    body = {"content": "Đề nghị rút ngắn thời hạn còn 10 ngày."}
    assert client_for(citizen).post(url(consultation, "comments/"), body, format="json").status_code == 201
    limited = client_for(citizen).post(url(consultation, "comments/"), body, format="json")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_the_public_never_reads_the_authors_contact_nor_a_rejection_reason(consultation, citizen, people):
    moderator = people[f"department.{M}"]
    services.approve(say(consultation, citizen), by=moderator)
    services.reject(say(consultation, citizen, content="Mua bán đất nền giá rẻ"), by=moderator,
                    reason="Nội dung quảng cáo")  # fmt: skip
    text = APIClient().get(url(consultation)).content.decode()
    assert "Lê Thị Hoa" in text
    for secret in (*SECRETS, "Mua bán đất nền", citizen.username):
        assert secret not in text


def test_officer_calls_follow_the_rules(consultation, citizen, people):
    pending = say(consultation, citizen)
    # Another agency's officers: the consultation does not exist for them.
    outsider = people[f"elsewhere.{M}"]
    assert client_for(outsider).get(url(consultation, "comments/")).status_code == 404
    assert act(outsider, consultation, pending, action="approve").status_code == 404
    refused = client_for(outsider).get(url(consultation, "report/?format=xlsx"))
    assert (refused.status_code, refused["Content-Type"]) == (404, "application/json")  # errors are JSON
    assert client_for(citizen).get(url(consultation, "report/?format=pdf")).status_code == 404
    # The drafting agency's handler may read but not moderate; a leader may not publish while open.
    handler = people[f"department.{H}"]
    assert act(handler, consultation, pending, action="approve").status_code == 403
    refused = act(people[f"department.{M}"], consultation, pending, action="reject", reason="")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    assert act(handler, consultation, pending, action="respond", response=RESPONSE).status_code == 409
    assert act(handler, consultation, pending, action="delete").status_code == 400
    close(consultation)
    assert client_for(handler).post(url(consultation, "publish-responses/")).status_code == 403


def test_the_schema_lists_the_consultation_operations(db):
    paths = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path, method in (
        ("/api/v1/consultations/", "get"),
        ("/api/v1/consultations/{id}/", "get"),
        ("/api/v1/consultations/{id}/comments/", "post"),
        ("/api/v1/consultations/{id}/comments/", "get"),
        ("/api/v1/consultations/{id}/comments/{comment}/actions/", "post"),
        ("/api/v1/consultations/{id}/publish-responses/", "post"),
        ("/api/v1/consultations/{id}/report/", "get"),
    ):
        assert method in paths[path], path


def test_officers_create_edit_and_publish_a_draft_through_the_api(tree, people, citizen):
    moderator = client_for(people[f"department.{M}"])
    body = {
        "agency": "so-xay-dung-thu", "title": "Dự thảo quy định cấp phép",
        "opens_at": "2026-01-01T08:00:00+07:00", "closes_at": "2099-01-01T08:00:00+07:00",
        "articles": [{"label": "Điều 1", "title": "Phạm vi", "text": "Áp dụng cho nhà ở riêng lẻ."}],
    }  # fmt: skip
    created = moderator.post(LIST + "office/", body, format="json")
    assert created.status_code == 201, created.json()
    made = created.json()
    assert (made["phase"], made["may"]) == (
        "draft",
        {"edit": True, "publish": True, "publish_responses": False},
    )
    assert APIClient().get(f"{LIST}{made['id']}/").status_code == 404  # not public yet
    edited = moderator.put(f"{LIST}{made['id']}/draft/", {**body, "title": "Dự thảo đã sửa"}, format="json")
    assert edited.status_code == 200 and edited.json()["title"] == "Dự thảo đã sửa"
    published = moderator.post(f"{LIST}{made['id']}/publish/")
    assert published.status_code == 200 and published.json()["phase"] == "open"
    assert moderator.put(f"{LIST}{made['id']}/draft/", body, format="json").status_code == 409
    assert [row["id"] for row in moderator.get(LIST + "office/").json()] == [made["id"]]


def test_drafts_through_the_api_are_checked_and_kept_to_moderators(tree, people, citizen):
    body = {"agency": "so-xay-dung-thu", "title": "", "articles": [{"label": "Điều 1", "text": ""}]}
    assert client_for(citizen).post(LIST + "office/", body, format="json").status_code == 403
    assert (
        client_for(people[f"department.{H}"]).post(LIST + "office/", body, format="json").status_code == 403
    )
    outsider = client_for(people[f"elsewhere.{M}"]).post(LIST + "office/", body, format="json", **EN)
    assert outsider.status_code == 400 and outsider.json()["errors"] == {
        "agency": ["Choose an agency you moderate."]
    }
    wrong = client_for(people[f"department.{M}"]).post(LIST + "office/", body, format="json", **EN)
    assert wrong.status_code == 400
    assert set(wrong.json()["errors"]) == {"title", "opens_at", "closes_at", "articles"}
    assert client_for(citizen).get(LIST + "office/").json() == []
