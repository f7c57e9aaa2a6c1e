"""Journey (issue 12): a draft is commented on and its report downloaded. The Department of Construction's
draft is published (through the services: creating it is the back office's own test); the demo citizen
comments on its second article from a 360 px phone, after a mistake shown on the field; the province's
moderator tries the form of a new draft (its errors on their fields) and approves the comment in the back
office; once the consultation has closed (its dates moved in
the test), the department's handler answers the comment, its leader publishes the answers and downloads the
report as XLSX and PDF; anyone then reads the answer under the article. Every page is checked by axe-core
at 1280 and 360 px (``e2e/conftest.py``).

Controls are found by their ids and addresses, not their wording.
"""

import io
import re
from datetime import timedelta

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.test_backoffice_journey import People
from e2e.test_submission_journey import no_sideways_scroll, reachable
from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.engagement.models import CommentStatus, Consultation, ConsultationComment
from motcua.engagement.services import consultations as services

MODERATOR, HANDLER, LEADER = "tiepnhan.ubnd-tinh", "xuly.so-xay-dung", "lanhdao.so-xay-dung"
COMMENT = "Đề nghị rút ngắn thời hạn xuống 10 ngày làm việc khi hồ sơ được nộp trực tuyến đầy đủ."
ANSWER = "Sở Xây dựng tiếp thu: thời hạn với hồ sơ nộp trực tuyến đầy đủ sẽ là 10 ngày làm việc."


def published_draft() -> Consultation:
    now = timezone.now()
    draft = services.create_consultation(
        agency=Agency.objects.get(slug="so-xay-dung"), by=User.objects.get(username=MODERATOR),
        title="Dự thảo quy định thời hạn cấp phép sửa chữa nhà ở",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=20),
        articles="Điều 1. Phạm vi\nÁp dụng với nhà ở riêng lẻ.\n\nĐiều 2. Thời hạn\n15 ngày làm việc.",
    )  # fmt: skip
    return services.publish_consultation(draft, by=User.objects.get(username=MODERATOR))


def test_a_draft_is_commented_on_and_its_report_downloaded(browser, site, tmp_path):
    consultation = published_draft()
    second = consultation.articles.get(order=2)
    form = f"#article-{second.pk} form"
    people = People(browser, site)
    try:
        phone = people("congdan", phone=True)
        phone.goto(f"{site}/")
        phone.locator(".site-nav a[href='/gop-y-du-thao/']").click()
        phone.wait_for_url(f"{site}/gop-y-du-thao/")
        no_sideways_scroll(phone)
        phone.locator(f"main a[href='/gop-y-du-thao/{consultation.pk}/']").click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text(consultation.title)
        no_sideways_scroll(phone)

        # Too short: back with the message on the field, nothing written.
        content = phone.locator(f"#id_article-{second.pk}-content")
        content.fill("Ngắn")
        send = phone.locator(f"{form} button[type=submit]")
        reachable(phone, send)
        send.click()
        expect(phone.locator(f"#id_article-{second.pk}-content_error")).to_be_visible()
        assert not ConsultationComment.objects.filter(consultation=consultation).exists()
        no_sideways_scroll(phone)
        phone.locator(f"#id_article-{second.pk}-content").fill(COMMENT)
        phone.locator(f"{form} button[type=submit]").click()
        expect(phone.locator(".alert-success")).to_be_visible()
        comment = ConsultationComment.objects.get(consultation=consultation)
        assert (comment.article, comment.status) == (second, CommentStatus.PENDING)
        no_sideways_scroll(phone)

        moderator = people(MODERATOR)
        moderator.goto(f"{site}/mot-cua/")
        moderator.locator("a[href='/mot-cua/gop-y/']").first.click()
        # The form of a new draft: sent empty, each message on its field (and nothing written).
        moderator.locator("main a[href='/mot-cua/gop-y/moi/']").click()
        moderator.locator("main form button[type=submit]").click()
        expect(moderator.locator("#c-title-error")).to_be_visible()
        expect(moderator.locator("#c-articles-error")).to_be_visible()
        assert Consultation.objects.filter(title="").count() == 0
        moderator.goto(f"{site}/mot-cua/gop-y/")
        moderator.locator(f"main a[href='/mot-cua/gop-y/{consultation.pk}/']").click()
        moderator.locator(f"#comment-{comment.pk} form:has(input[value=approve]) button").click()
        expect(moderator.locator(".alert-success")).to_be_visible()
        comment.refresh_from_db()
        assert comment.status == CommentStatus.APPROVED

        Consultation.objects.filter(pk=consultation.pk).update(
            opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(minutes=1)
        )
        handler = people(HANDLER)
        handler.goto(f"{site}/mot-cua/gop-y/{consultation.pk}/")
        handler.locator(f"#response-{comment.pk}").fill(ANSWER)
        handler.locator(f"#comment-{comment.pk} form:has(input[value=respond]) button").click()
        expect(handler.locator(".alert-success")).to_be_visible()

        leader = people(LEADER, phone=True)
        leader.goto(f"{site}/mot-cua/gop-y/{consultation.pk}/")
        no_sideways_scroll(leader)
        leader.locator("form[action$='/cong-khai-giai-trinh/'] button").click()
        expect(leader.locator(".alert-success")).to_be_visible()
        with leader.expect_download() as xlsx:
            leader.locator(f"a[href='/mot-cua/gop-y/{consultation.pk}/bao-cao.xlsx']").click()
        saved = tmp_path / xlsx.value.suggested_filename
        xlsx.value.save_as(saved)
        rows = list(load_workbook(io.BytesIO(saved.read_bytes())).worksheets[1].values)
        assert rows[1][4:] == (COMMENT, ANSWER)
        with leader.expect_download() as pdf:
            leader.locator(f"a[href='/mot-cua/gop-y/{consultation.pk}/bao-cao.pdf']").click()
        assert re.fullmatch(r"bao-cao-gop-y-du-thao-\d+\.pdf", pdf.value.suggested_filename)
        pdf.value.save_as(tmp_path / "report.pdf")
        assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")

        # Anyone reads the answer under the article.
        visitor = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
        people.contexts.append(visitor)
        public = visitor.new_page()
        public.goto(f"{site}/gop-y-du-thao/{consultation.pk}/")
        expect(public.locator(f"#comment-{comment.pk}")).to_contain_text(ANSWER)
        expect(public.locator("textarea")).to_have_count(0)
        no_sideways_scroll(public)
    finally:
        people.close()
