"""Journey (issue 12): the demo citizen sends a petition about a procedure from a 360 px phone, through the
form, with a paper attached and consent to publish, after a mistake on the way; the province's reception
routes it to the commune, which answers, and the answer is published (through the services: the back
office's pages are other journeys'); anyone then finds it in the published answers, typed without accents,
and on the procedure's page; its sender reads the answer on the tracking page. Every page is checked by
axe-core (``e2e/conftest.py``).

Controls are found by their ids and addresses, not their wording: the page's Vietnamese comes with the
catalogue's translations.
"""

import re

from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.test_backoffice_journey import COMMUNE_SLUG, PROCEDURE, People
from e2e.test_submission_journey import no_sideways_scroll, reachable
from motcua.accounts.models import OfficerRole
from motcua.catalog.models import Agency
from motcua.dossiers.tests.fixtures import make_officer, pdf_bytes
from motcua.engagement.models import Petition
from motcua.engagement.services import petitions as services

RECEPTION = "000.00.00.H99"  # Ủy ban nhân dân tỉnh Hải Đông
SUBJECT = "Đề nghị cho nộp bản chụp giấy tờ khi xác nhận tình trạng hôn nhân"
CONTENT = (
    "Khi xin xác nhận tình trạng hôn nhân, người dân phải mang bản sao chứng thực các giấy tờ. "
    "Đề nghị cho phép nộp bản chụp từ kho dữ liệu cá nhân để đỡ đi lại."
)
ANSWER = (
    "Ủy ban nhân dân xã đã tiếp thu: từ tháng sau, bản chụp giấy tờ trong kho dữ liệu cá nhân được chấp nhận "
    "khi nộp hồ sơ trực tuyến, không cần bản sao chứng thực."
)


def answered_and_published(code: str) -> None:
    """Routed by the reception to the commune, drafted by its handler, approved by its leader, published."""
    province, commune = Agency.objects.get(code=RECEPTION), Agency.objects.get(slug=COMMUNE_SLUG)
    reception = make_officer("tiepnhan.tinh", province, role=OfficerRole.MODERATOR)
    handler = make_officer("xuly.tan-phong", commune, role=OfficerRole.HANDLER)
    leader = make_officer("lanhdao-pakn.tan-phong", commune, role=OfficerRole.LEADER)
    petition = services.route(Petition.objects.get(code=code), to_agency=commune, by=reception)
    services.propose_answer(petition, answer=ANSWER, by=handler)
    services.approve_answer(petition, by=leader)
    services.publish(petition, by=reception)


def test_a_citizen_sends_a_petition_from_a_phone_and_anyone_finds_the_published_answer(
    browser, site, settings
):
    settings.MOTCUA_PETITION_RECEPTION_AGENCY = RECEPTION
    people = People(browser, site)
    demo = set(Petition.objects.values_list("pk", flat=True))  # the demo's own petitions
    try:
        phone = people("congdan", phone=True)
        phone.goto(f"{site}/")
        phone.locator(".site-nav a[href='/phan-anh-kien-nghi/']").click()
        phone.wait_for_url(f"{site}/phan-anh-kien-nghi/")
        no_sideways_scroll(phone)
        phone.locator("main a[href='/phan-anh-kien-nghi/gui/']").first.click()
        expect(phone).to_have_url(re.compile(r"/phan-anh-kien-nghi/gui/$"))
        no_sideways_scroll(phone)

        # A petition about the procedure, without its subject: it comes back with the message on the field.
        phone.locator("label[for='id_kind_petition']").click()
        phone.locator("label[for='id_category_procedure']").click()
        phone.locator("#id_procedure").fill(PROCEDURE)
        phone.locator("#id_content").fill(CONTENT)
        phone.locator("#id_consent_to_publish").check()
        send = phone.locator("form[enctype='multipart/form-data'] button[type=submit]")
        reachable(phone, send)
        send.click()
        expect(phone.locator("#error-summary")).to_be_visible()
        expect(phone.locator("#id_subject_error")).to_be_visible()
        expect(phone.locator("#id_kind_petition")).to_be_checked()
        expect(phone.locator("#id_content")).to_have_value(CONTENT)
        assert set(Petition.objects.values_list("pk", flat=True)) == demo  # nothing was written
        no_sideways_scroll(phone)

        phone.locator("#id_subject").fill(SUBJECT)
        phone.locator("#id_attachments").set_input_files(
            [{"name": "de-nghi.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
        )
        reachable(phone, send)
        send.click()
        expect(phone).to_have_url(re.compile(r"/phan-anh-kien-nghi/da-gui/PAKN-[0-9]+-[0-9]+/"))
        petition = Petition.objects.exclude(pk__in=demo).get()
        assert (petition.kind, petition.procedure.code) == ("petition", PROCEDURE)
        assert petition.attachments.count() == 1 and petition.consent_to_publish
        expect(phone.locator("main")).to_contain_text(petition.code)
        no_sideways_scroll(phone)
        phone.locator(".account-links a[href='/phan-anh-kien-nghi/cua-toi/']").click()
        own = phone.locator(f"main a[href='/phan-anh-kien-nghi/tra-cuu/?ma={petition.code}']")
        expect(own).to_be_visible()
        no_sideways_scroll(phone)

        answered_and_published(petition.code)

        # Anyone, on a phone and without an account, finds it typed without accents.
        visitor = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
        people.contexts.append(visitor)
        public = visitor.new_page()
        public.goto(f"{site}/phan-anh-kien-nghi/")
        public.locator("#id_q").fill("xac nhan tinh trang hon nhan")
        public.locator("form[role=search] button[type=submit]").last.click()
        found = public.locator(f"main a[href='/phan-anh-kien-nghi/{petition.code}/']")
        expect(found).to_be_visible()
        no_sideways_scroll(public)
        found.click()
        expect(public.locator("main")).to_contain_text(ANSWER)
        no_sideways_scroll(public)
        public.goto(f"{site}/thu-tuc/{PROCEDURE}/")
        expect(public.locator(f"#answers a[href='/phan-anh-kien-nghi/{petition.code}/']")).to_be_visible()
        public.goto(f"{site}/phan-anh-kien-nghi/tra-cuu/?ma=PAKN-000000-0000")
        expect(public.locator("#t-code-error")).to_be_visible()
        public.goto(f"{site}/phan-anh-kien-nghi/tra-cuu/?ma={petition.code}")
        expect(public.locator("main")).not_to_contain_text(SUBJECT)
        expect(public.locator("main a[href^='/tai-khoan/dang-nhap/']")).to_have_count(0)
        public.goto(f"{site}/phan-anh-kien-nghi/gui/")
        expect(public.locator("#id_sender_email")).to_be_visible()
        no_sideways_scroll(public)

        # Its sender reads the answer where the e-mails lead, and may say whether it satisfies them.
        phone.goto(f"{site}/phan-anh-kien-nghi/tra-cuu/?ma={petition.code}")
        expect(phone.locator("main")).to_contain_text(ANSWER)
        expect(phone.locator("#danh-gia input[name=satisfied]")).to_have_count(2)
        phone.locator("label[for='id_satisfied_yes']").click()
        phone.locator("#danh-gia button[type=submit]").click()
        expect(phone.locator("#danh-gia input[name=satisfied]")).to_have_count(0)
        petition.refresh_from_db()
        assert petition.satisfied is True
        no_sideways_scroll(phone)
    finally:
        people.close()
