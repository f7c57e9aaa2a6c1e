"""The officers' consultation pages (``/mot-cua/gop-y/``): a draft created from one pasted text (its errors
on their fields), edited, published; comments approved, rejected with a reason, answered; the answers
published after closing and the report downloaded; and the rules tried from the wrong side (another
agency, the wrong role, a citizen, nobody signed in)."""

import io

import pytest
from django.conf import settings
from openpyxl import load_workbook

from motcua.engagement.models import CommentStatus, Consultation
from motcua.engagement.tests.consultation_fixtures import H, L, M, close, say

pytestmark = pytest.mark.django_db
LIST, NEW = "/mot-cua/gop-y/", "/mot-cua/gop-y/moi/"
RESPONSE = "Sở Xây dựng tiếp thu, sẽ rút ngắn thời hạn còn 12 ngày làm việc."
DRAFT = (
    "Điều 1. Phạm vi điều chỉnh\nQuy định này áp dụng cho giấy phép xây dựng.\n\nĐiều 2. Thời hạn\n15 ngày."
)


def page(consultation, tail="") -> str:
    return f"{LIST}{consultation.pk}/{tail}"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def as_(client, user):
    client.force_login(user)
    return client


def test_a_moderator_creates_edits_and_publishes_a_draft(english, tree, people):
    client = as_(english, people[f"department.{M}"])
    assert "New consultation" in client.get(LIST).content.decode()
    body = {"agency": str(tree["department"].pk), "title": "Dự thảo quy định cấp phép",
            "opens_at": "2026-01-01T08:00", "closes_at": "2099-01-31T17:00", "articles": DRAFT}  # fmt: skip
    created = client.post(NEW, body)
    made = Consultation.objects.get()
    assert created.status_code == 302 and created["Location"] == page(made)
    assert [a.label for a in made.articles.all()] == ["Điều 1", "Điều 2"] and made.published_at is None
    assert "Quy định này áp dụng" in client.get(page(made, "sua/")).content.decode()
    assert client.post(page(made, "sua/"), {**body, "title": "Dự thảo đã sửa"}).status_code == 302
    assert client.post(page(made, "cong-bo/")).status_code == 302
    made.refresh_from_db()
    assert made.title == "Dự thảo đã sửa" and made.published_at is not None
    assert client.get(page(made, "sua/")).status_code == 403  # published: no more edits


def test_a_wrong_draft_comes_back_with_each_message_on_its_field(english, tree, people):
    client = as_(english, people[f"department.{M}"])
    response = client.post(NEW, {"agency": str(tree["department"].pk), "title": "", "opens_at": "hôm nay",
                                 "closes_at": "", "articles": "Lời nói đầu\nĐiều 1. A\nB"})  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400 and not Consultation.objects.exists()
    assert (
        'id="c-title-error"' in html and 'id="c-opens_at-error"' in html and "Enter a date and time." in html
    )
    assert "The text before the first article belongs to no article." in html


def test_comments_are_moderated_answered_published_and_reported(english, consultation, citizen, people):
    kept, dropped = say(consultation, citizen), say(consultation, citizen, content="Quảng cáo đất nền giá rẻ")
    moderator = as_(english, people[f"department.{M}"])
    assert "Awaiting moderation" in moderator.get(page(consultation, "?trang-thai=pending")).content.decode()
    assert moderator.post(page(consultation, f"y-kien/{kept.pk}/"), {"action": "approve"}).status_code == 302
    refused = moderator.post(page(consultation, f"y-kien/{dropped.pk}/"), {"action": "reject", "reason": ""})
    assert refused.status_code == 400 and f'id="reason-{dropped.pk}-error"' in refused.content.decode()
    moderator.post(page(consultation, f"y-kien/{dropped.pk}/"), {"action": "reject", "reason": "Quảng cáo"})
    dropped.refresh_from_db()
    assert (dropped.status, dropped.reject_reason) == (CommentStatus.REJECTED, "Quảng cáo")

    handler = as_(english.__class__(), people[f"department.{H}"])
    answer = handler.post(
        page(consultation, f"y-kien/{kept.pk}/"), {"action": "respond", "response": RESPONSE}
    )
    assert answer.status_code == 302
    close(consultation)
    leader = as_(english.__class__(), people[f"department.{L}"])
    assert "Publish the answers" not in handler.get(page(consultation)).content.decode()
    assert leader.post(page(consultation, "cong-khai-giai-trinh/")).status_code == 302
    consultation.refresh_from_db()
    assert consultation.responses_published_at is not None

    xlsx = handler.get(page(consultation, "bao-cao.xlsx"))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(io.BytesIO(xlsx.content)).worksheets[1].values)
    assert rows[1][5] == RESPONSE
    pdf = leader.get(page(consultation, "bao-cao.pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert leader.get(page(consultation, "bao-cao.exe")).status_code == 404


def test_the_rules_from_the_wrong_side(client, consultation, citizen, people):
    pending = say(consultation, citizen)
    assert client.get(page(consultation)).status_code == 302  # nobody signed in: to the sign-in page
    assert as_(client, citizen).get(LIST).status_code == 403
    outsider = as_(client.__class__(), people[f"elsewhere.{M}"])
    assert outsider.get(page(consultation)).status_code == 404
    assert (
        outsider.post(page(consultation, f"y-kien/{pending.pk}/"), {"action": "approve"}).status_code == 404
    )
    assert outsider.get(page(consultation, "bao-cao.xlsx")).status_code == 404
    handler = as_(client.__class__(), people[f"department.{H}"])
    assert handler.post(page(consultation, f"y-kien/{pending.pk}/"), {"action": "approve"}).status_code == 403
    assert handler.get(NEW).status_code == 403
    leader = as_(client.__class__(), people[f"department.{L}"])
    assert leader.post(page(consultation, "cong-khai-giai-trinh/")).status_code == 409  # still open
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING
