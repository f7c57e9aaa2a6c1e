"""Journey (issue 12): an online dialogue, live. The demo citizen, on a 360 px phone, finds the live session
from the site's menu and asks a question, with a mistake on the way; the province's moderator approves it in
the back office and gives it to the Director of Construction; the director answers from his own page; the
citizen reloads the session's page (no JavaScript needed) and reads the answer. Every page is checked by
axe-core (``e2e/conftest.py``).

Controls are found by their ids and addresses, not their wording."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.test_backoffice_journey import People
from e2e.test_submission_journey import no_sideways_scroll, reachable
from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.engagement.models import DialogueQuestion, DialogueSession, QuestionStatus
from motcua.engagement.services import dialogues as services

MODERATOR, LEADER, SECRETARY = "tiepnhan.ubnd-tinh", "lanhdao.so-xay-dung", "xuly.so-xay-dung"
QUESTION = "Xin hỏi thủ tục cấp giấy phép sửa chữa nhà ở riêng lẻ có cần bản vẽ thiết kế không?"
ANSWER = (
    "Sửa chữa, cải tạo không làm thay đổi kết cấu chịu lực thì được miễn giấy phép; nếu thay đổi kết cấu, "
    "hồ sơ cần bản vẽ thiết kế do đơn vị có năng lực lập."
)


def live_session():
    """Announced by the province's moderator, started a quarter of an hour ago."""
    users = {u.username: u for u in User.objects.filter(username__in=[MODERATOR, LEADER, SECRETARY])}
    now = timezone.now()
    session = services.create_session(
        title="Đối thoại trực tuyến về sửa chữa, cải tạo nhà ở",
        summary="Giám đốc Sở Xây dựng trả lời trực tiếp câu hỏi của người dân về giấy phép sửa chữa nhà ở.",
        organiser=Agency.objects.get(slug="ubnd-tinh"), starts_at=now - timedelta(minutes=15),
        ends_at=now + timedelta(hours=2),
        leaders=[{"leader": users[LEADER], "title": "Giám đốc Sở Xây dựng", "secretary": users[SECRETARY]}],
        by=users[MODERATOR],
    )  # fmt: skip
    return services.announce(session, by=users[MODERATOR])


def test_a_citizen_asks_live_from_a_phone_and_reads_the_leaders_answer_on_reload(browser, site):
    session = live_session()
    page_url = f"{site}/doi-thoai/{session.pk}/"
    people = People(browser, site)
    try:
        phone = people("congdan", phone=True)
        phone.goto(f"{site}/")
        phone.locator(".site-nav a[href='/doi-thoai/']").click()
        expect(phone).to_have_url(re.compile(r"/doi-thoai/$"))
        no_sideways_scroll(phone)
        phone.locator(f"#live-title ~ ul a[href='/doi-thoai/{session.pk}/']").click()
        expect(phone).to_have_url(re.compile(rf"/doi-thoai/{session.pk}/$"))
        expect(phone.locator("#dialogue-live")).to_have_attribute("data-revision", str(session.revision))
        no_sideways_scroll(phone)

        # Too short: it comes back with the message on the field, and nothing is kept.
        phone.locator("#id_content").fill("Xin hỏi?")
        send = phone.locator(f"form[action='/doi-thoai/{session.pk}/hoi/'] button[type=submit]")
        reachable(phone, send)
        send.click()
        expect(phone.locator("#id_content_error")).to_be_visible()
        assert not DialogueQuestion.objects.filter(session=session).exists()
        no_sideways_scroll(phone)

        phone.locator("#id_content").fill(QUESTION)
        phone.locator(f"form[action='/doi-thoai/{session.pk}/hoi/'] button[type=submit]").click()
        expect(phone).to_have_url(re.compile(rf"/doi-thoai/{session.pk}/da-gui/$"))
        question = DialogueQuestion.objects.get(session=session)
        assert (question.asker.username, question.status) == ("congdan", QuestionStatus.PENDING)
        no_sideways_scroll(phone)

        # The moderator approves it and gives it to the director, on the session's page in the back office.
        moderator = people(MODERATOR)
        moderator.goto(f"{site}/mot-cua/doi-thoai/")
        moderator.locator(f"main a[href='/mot-cua/doi-thoai/{session.pk}/']").click()
        approve = moderator.locator(f"#cau-hoi-{question.pk} form:has(input[name=action][value=approve])")
        approve.locator("select[name=leader]").select_option(str(User.objects.get(username=LEADER).pk))
        approve.locator("input[name=theme]").fill("Sửa chữa nhà ở")
        approve.locator("button[type=submit]").click()
        expect(moderator.locator(".alert-success, [role=status]").first).to_be_visible()
        question.refresh_from_db()
        assert (question.status, question.assigned_to.username) == (QuestionStatus.APPROVED, LEADER)

        # The director finds it waiting for him and answers it.
        leader = people(LEADER)
        leader.goto(f"{site}/mot-cua/doi-thoai/")
        leader.locator(f"main a[href$='#cau-hoi-{question.pk}']").click()
        answer = leader.locator(f"#cau-hoi-{question.pk} form:has(input[name=action][value=answer])")
        answer.locator("textarea[name=answer]").fill(ANSWER)
        answer.locator("button[type=submit]").click()
        question.refresh_from_db()
        assert (question.status, question.answered_by.username) == (QuestionStatus.ANSWERED, LEADER)

        # The citizen reloads the session's page: the answer is there, in the director's name.
        phone.goto(page_url)
        expect(phone.locator(f"#cau-hoi-{question.pk}")).to_contain_text(ANSWER)
        expect(phone.locator(f"#cau-hoi-{question.pk}")).to_contain_text("Giám đốc Sở Xây dựng")
        session.refresh_from_db()
        expect(phone.locator("#dialogue-live")).to_have_attribute("data-revision", str(session.revision))
        no_sideways_scroll(phone)

        # The demo's finished session: its transcript found without accents, with its commitments.
        finished = DialogueSession.objects.filter(ends_at__lt=timezone.now()).get()
        phone.goto(f"{site}/doi-thoai/")
        phone.locator("#id_q").fill("giay phep xay dung")
        phone.locator("form[role=search] button[type=submit]").click()
        phone.locator(f"main a[href^='/doi-thoai/{finished.pk}/#cau-hoi-']").first.click()
        expect(phone.locator("#cam-ket")).to_be_visible()
        expect(phone.locator(f"form[action='/doi-thoai/{finished.pk}/hoi/']")).to_have_count(0)
        no_sideways_scroll(phone)
    finally:
        people.close()
