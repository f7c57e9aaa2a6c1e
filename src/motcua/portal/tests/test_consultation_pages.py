"""The public pages of consultations on drafts (góp ý dự thảo): the list by phase, a draft article by article
with its approved comments only, a comment sent by a signed-in person on an article (and its thank-you),
refusals on their fields, a visitor sent to sign in, the limit's 429 page, the agency's answers once
published, and visitors' text escaped."""

import pytest
from django.conf import settings

from motcua.engagement.models import ConsultationComment
from motcua.engagement.services import consultations as services
from motcua.engagement.tests.consultation_fixtures import H, L, M, close, say

pytestmark = pytest.mark.django_db
LIST = "/gop-y-du-thao/"
RESPONSE = "Sở Xây dựng tiếp thu, sẽ rút ngắn thời hạn còn 12 ngày làm việc."


def page(consultation) -> str:
    return f"{LIST}{consultation.pk}/"


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_list_shows_the_published_drafts_by_phase(client, consultation, people):
    unpublished = services.create_consultation(
        agency=consultation.agency, by=people[f"department.{M}"], title="Dự thảo chưa công bố",
        opens_at=consultation.opens_at, closes_at=consultation.closes_at, articles="Điều 1. A\nB",
    )  # fmt: skip
    html = client.get(LIST).content.decode()
    assert consultation.title in html and unpublished.title not in html
    assert client.get(page(unpublished)).status_code == 404


def test_a_visitor_reads_the_draft_and_is_asked_to_sign_in_to_comment(client, consultation, citizen, people):
    services.approve(
        say(consultation, citizen, content="Ý kiến đã được duyệt, rất hay."), by=people[f"department.{M}"]
    )
    say(consultation, citizen, content="Ý kiến còn chờ kiểm duyệt.")
    english(client)
    html = client.get(page(consultation)).content.decode()
    assert "Điều 1" in html and "Phạm vi điều chỉnh" in html
    assert "Ý kiến đã được duyệt" in html and "Ý kiến còn chờ kiểm duyệt" not in html
    assert "Sign in to comment on this draft" in html and "<textarea" not in html
    assert "hoa@example.com" not in html and "0912345678" not in html
    posted = client.post(
        page(consultation), {"target": "whole", "whole-content": "Xin góp ý chung về dự thảo."}
    )
    assert posted.status_code == 302 and f"next={page(consultation)}" in posted["Location"]
    assert ConsultationComment.objects.count() == 2  # nothing written


def test_a_signed_in_citizen_comments_on_an_article_and_is_thanked(client, consultation, citizen):
    client.force_login(citizen)
    english(client)
    article = consultation.articles.get(order=2)
    prefix = f"article-{article.pk}"
    response = client.post(
        page(consultation),
        {"target": str(article.pk), f"{prefix}-content": "Đề nghị rút ngắn còn 10 ngày làm việc.",
         f"{prefix}-author_name": "Hiệp hội Xây dựng"},
        follow=True,
    )  # fmt: skip
    made = ConsultationComment.objects.get()
    assert (made.article, made.author_name, made.status) == (article, "Hiệp hội Xây dựng", "pending")
    assert "Thank you: your comment was received" in response.content.decode()


def test_a_refused_comment_comes_back_on_its_field_with_a_400(client, consultation, citizen):
    client.force_login(citizen)
    english(client)
    article = consultation.articles.get(order=1)
    response = client.post(
        page(consultation), {"target": str(article.pk), f"article-{article.pk}-content": "ngắn"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_article-{article.pk}-content_error"' in html and "Write at least 10 characters." in html
    assert not ConsultationComment.objects.exists()


def test_a_comment_on_an_article_of_another_draft_is_refused_on_the_whole_drafts_form(
    client, consultation, citizen
):
    client.force_login(citizen)
    english(client)
    response = client.post(
        page(consultation), {"target": "999999", "article-999999-content": "Một ý kiến đủ dài."}
    )
    assert response.status_code == 400
    assert "Choose an article of this draft, or the whole draft." in response.content.decode()
    assert not ConsultationComment.objects.exists()


def test_past_the_hourly_limit_the_visitor_gets_a_429_page(client, consultation, citizen, settings):
    settings.MOTCUA_CONSULTATION_COMMENT_RATE = 1
    client.force_login(citizen)
    body = {"target": "whole", "whole-content": "Xin góp ý chung về dự thảo này."}
    assert client.post(page(consultation), body).status_code == 302
    limited = client.post(page(consultation), body)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_a_closed_draft_takes_no_comment_and_shows_the_published_answers(
    client, consultation, citizen, people
):
    kept = services.approve(say(consultation, citizen), by=people[f"department.{M}"])
    services.respond(kept, by=people[f"department.{H}"], text=RESPONSE)
    close(consultation)
    client.force_login(citizen)
    assert RESPONSE not in client.get(page(consultation)).content.decode()  # not published yet
    services.publish_responses(consultation, by=people[f"department.{L}"])
    html = client.get(page(consultation)).content.decode()
    assert RESPONSE in html and "<textarea" not in html
    refused = client.post(
        page(consultation), {"target": "whole", "whole-content": "Góp ý muộn sau khi đóng."}
    )
    assert refused.status_code == 302 and not ConsultationComment.objects.exclude(pk=kept.pk).exists()


def test_a_visitors_markup_is_shown_as_text(client, consultation, citizen, people):
    services.approve(
        say(
            consultation,
            citizen,
            content="<script>alert('x')</script> rất nguy hiểm",
            author_name="<b>Tôi</b>",
        ),
        by=people[f"department.{M}"],
    )
    html = client.get(page(consultation)).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>Tôi</b>" not in html and "&lt;b&gt;Tôi&lt;/b&gt;" in html
