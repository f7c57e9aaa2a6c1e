"""The public pages of petitions and feedback (phản ánh, kiến nghị): sending through the form (anonymous
feedback, a signed-in petition with a file, refusals shown on their fields), the receipt kept to the session
that sent it, tracking by code (nothing personal for others; the sender's own text, answer and word on it),
the published answers searched and read, the answers on a procedure's page, and visitors' text escaped."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers.tests.fixtures import pdf_bytes, upload
from motcua.engagement.models import Petition, PetitionAttachment
from motcua.engagement.services import petitions as services
from motcua.engagement.tests.petition_fixtures import H, L, send_feedback, send_petition

pytestmark = pytest.mark.django_db

SEND, LIST = "/phan-anh-kien-nghi/gui/", "/phan-anh-kien-nghi/"
ANSWER = "Ủy ban nhân dân xã đã thay bóng đèn và sẽ kiểm tra định kỳ hệ thống chiếu sáng mỗi tháng."
FEEDBACK = {
    "kind": "feedback",
    "category": "other",
    "subject": "Đèn đường trước chợ hỏng",
    "content": "Đèn đường trước chợ Đông đã hỏng hai tuần, buổi tối rất tối và nguy hiểm cho người đi bộ.",
    "sender_name": "Trần Văn Bảo",
    "sender_email": "tran.bao@example.com",
    "sender_phone": "0912000111",
}


def tracking(code: str) -> str:
    return f"/phan-anh-kien-nghi/tra-cuu/?ma={code}"


def english(client) -> None:
    """The visitor chose English (the messages matched are the code's own)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def html_of(response) -> str:
    return response.content.decode()


def field_error(html: str, field: str) -> str:
    """The text of the message shown under ``field`` (empty when there is none)."""
    found = re.search(rf'<div class="field-error[^"]*" id="id_{field}_error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def answered(petition, people):
    """Routed to the commune (unless it is there already), drafted by its handler, approved by its leader."""
    commune = Agency.objects.get(slug="ubnd-xa-dong")
    if petition.agency_id != commune.pk:
        petition = services.route(petition, to_agency=commune, by=people["reception"])
    services.propose_answer(petition, answer=ANSWER, by=people[f"commune.{H}"])
    return services.approve_answer(petition, by=people[f"commune.{L}"])


def published(petition, people):
    return services.publish(answered(petition, people), by=people["reception"])


class TestSending:
    def test_the_form_works_without_an_account_and_says_a_petition_needs_one(self, client, tree):
        html = html_of(client.get(SEND))
        assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
        for name in (
            "procedure",
            "dossier_code",
            "about_agency",
            "regulation",
            "sender_name",
            "sender_email",
        ):
            assert f'name="{name}"' in html
        assert re.search(r'<input[^>]+type="file"[^>]+name="attachments"[^>]+multiple', html)
        assert 'accept=".pdf,.jpg,.jpeg,.png' in html
        assert 'name="consent_to_publish"' in html and 'for="id_consent_to_publish"' in html
        assert "/tai-khoan/dang-nhap/?next=/phan-anh-kien-nghi/gui/" in html
        assert 'value="feedback" checked' in html

    def test_anonymous_feedback_gets_a_receipt_only_its_session_can_open(self, client, tree):
        response = client.post(SEND, FEEDBACK)
        petition = Petition.objects.get()
        receipt = f"/phan-anh-kien-nghi/da-gui/{petition.code}/"
        assert response.status_code == 302 and response["Location"] == f"{receipt}#top"
        assert (petition.kind, petition.sender, petition.sender_email) == (
            "feedback",
            None,
            FEEDBACK["sender_email"],
        )
        assert petition.consent_to_publish is False
        html = html_of(client.get(receipt))
        assert petition.code in html and tracking(petition.code) in html
        assert timezone.localtime(petition.due_at).strftime("%d/%m/%Y %H:%M") in html

        stranger = client.__class__()
        response = stranger.get(receipt)
        assert response.status_code == 302 and response["Location"] == tracking(petition.code)

    def test_a_signed_in_citizen_sends_a_petition_with_a_pdf(self, client, tree, citizen):
        client.force_login(citizen)
        html = html_of(client.get(SEND))
        assert 'name="sender_email"' not in html  # their account's details are used
        response = client.post(
            SEND,
            {"kind": "petition", "category": "agency", "about_agency": "ubnd-xa-dong",
             "subject": "Đề nghị mở thêm quầy tiếp nhận", "consent_to_publish": "on",
             "content": "Quầy một cửa của xã thường quá tải vào buổi sáng, đề nghị mở thêm một quầy.",
             "attachments": [upload(pdf_bytes(), name="anh-chup.pdf")]},
        )  # fmt: skip
        assert response.status_code == 302
        petition = Petition.objects.get()
        assert (petition.kind, petition.sender, petition.about_agency.slug) == (
            "petition",
            citizen,
            "ubnd-xa-dong",
        )
        assert petition.consent_to_publish is True and petition.sender_name == citizen.full_name
        assert PetitionAttachment.objects.get().original_name == "anh-chup.pdf"
        assert petition.code in html_of(client.get(response["Location"].split("#")[0]))

    def test_bad_input_comes_back_on_its_fields_and_nothing_is_written(self, client, tree):
        english(client)
        response = client.post(
            SEND,
            {**FEEDBACK, "category": "procedure", "procedure": "9.999999", "subject": "",
             "content": "Quá ngắn", "sender_email": "khong-phai-email",
             "attachments": [upload(b"not a pdf at all", name="x.pdf")]},
        )  # fmt: skip
        assert response.status_code == 400
        html = html_of(response)
        assert 'id="error-summary"' in html and 'href="#id_subject"' in html
        assert "This is required." in field_error(html, "subject")
        assert "at least 20 characters" in field_error(html, "content")
        assert "procedure it is about" in field_error(html, "procedure")
        assert "valid e-mail" in field_error(html, "sender_email")
        # What was typed is kept, with the messages described on the controls.
        assert FEEDBACK["sender_name"] in html and "Quá ngắn" in html
        assert 'aria-describedby="id_subject_helptext id_subject_error"' in html
        assert not Petition.objects.exists() and not PetitionAttachment.objects.exists()

    def test_a_refused_file_is_named_and_the_visitor_told_to_choose_files_again(self, client, tree):
        english(client)
        response = client.post(SEND, {**FEEDBACK, "attachments": [upload(b"MZ\x90\x00", name="virus.pdf")]})
        assert response.status_code == 400
        html = html_of(response)
        assert "virus.pdf" in field_error(html, "attachments")
        assert "choose them again" in html
        assert not Petition.objects.exists()

    def test_a_petition_without_signing_in_is_refused_with_a_message(self, client, tree):
        english(client)
        response = client.post(SEND, {**FEEDBACK, "kind": "petition"})
        assert response.status_code == 400
        assert "Sign in to send a petition" in field_error(html_of(response), "kind")
        assert not Petition.objects.exists()

    def test_past_the_hourly_limit_the_sender_gets_a_429_page(self, client, tree, settings):
        settings.MOTCUA_PETITION_RATE = 1
        assert client.post(SEND, FEEDBACK).status_code == 302
        english(client)
        response = client.post(SEND, FEEDBACK)
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
        assert "try again later" in html_of(response)
        assert Petition.objects.count() == 1

    def test_a_procedure_page_link_fills_in_the_procedure(self, client, tree):
        html = html_of(client.get(f"{SEND}?procedure=1.001193"))
        assert 'value="procedure" checked' in html and 'value="1.001193"' in html


class TestTracking:
    def test_anyone_with_the_code_sees_where_it_stands_and_nothing_personal(self, client, tree, people):
        petition = send_feedback(**{k: v for k, v in FEEDBACK.items() if k.startswith("sender_")})
        services.route(petition, to_agency=tree["commune"], by=people["reception"])
        response = client.get(tracking(petition.code.lower()))
        assert response.status_code == 200
        html = html_of(response)
        assert petition.code in html and "UBND xã Đông" in html and 'class="timeline' in html
        for private in ("Trần Văn Bảo", "tran.bao@example.com", "0912000111", "Đèn đường hỏng", "chợ Đông"):
            assert private not in html
        assert client.get(tracking("PAKN-000000-9999")).status_code == 404

    def test_the_sender_signed_in_reads_their_text_and_the_answer_and_rates_it_once(
        self, client, petition, people, citizen, other_citizen
    ):
        done = answered(petition, people)
        client.force_login(citizen)
        html = html_of(client.get(tracking(done.code)))
        assert done.subject in html and "rút ngắn còn 10 ngày" in html and ANSWER in html
        assert 'id="danh-gia"' in html and 'name="satisfied"' in html
        rate = f"/phan-anh-kien-nghi/tra-cuu/{done.code}/danh-gia/"

        english(client)
        refused = client.post(rate, {"comment": "?"})
        assert refused.status_code == 400 and "Say yes or no." in field_error(html_of(refused), "satisfied")

        response = client.post(rate, {"satisfied": "yes", "comment": "Rõ ràng, cảm ơn."})
        assert response.status_code == 302 and response["Location"].endswith("#danh-gia")
        done.refresh_from_db()
        assert (done.satisfied, done.satisfaction_comment) == (True, "Rõ ràng, cảm ơn.")
        html = html_of(client.get(tracking(done.code)))
        assert "Rõ ràng, cảm ơn." in html and 'name="satisfied"' not in html

        client.post(rate, {"satisfied": "no"})  # once only: refused, nothing changes
        done.refresh_from_db()
        assert done.satisfied is True

        client.force_login(other_citizen)
        html = html_of(client.get(tracking(done.code)))
        assert done.subject not in html and ANSWER not in html
        assert client.post(rate, {"satisfied": "no"}).status_code == 404

    def test_a_draft_answer_is_not_shown_to_the_sender(self, client, routed, people, citizen):
        services.propose_answer(routed, answer=ANSWER, by=people[f"commune.{H}"])
        client.force_login(citizen)
        html = html_of(client.get(tracking(routed.code)))
        assert routed.subject in html and ANSWER not in html and 'name="satisfied"' not in html

    def test_the_sender_of_a_merged_duplicate_reads_the_answer_once_approved(
        self, client, petition, people, other_citizen
    ):
        duplicate = send_petition(other_citizen, client_ip="192.0.2.98")
        services.merge(duplicate, into=petition, by=people["reception"], note="Cùng nội dung.")
        client.force_login(other_citizen)
        assert ANSWER not in html_of(client.get(tracking(duplicate.code)))
        answered(petition, people)
        html = html_of(client.get(tracking(duplicate.code)))
        assert ANSWER in html and tracking(petition.code) in html
        assert 'name="satisfied"' not in html  # rated on the petition answered, by its own sender

    def test_look_ups_are_limited_per_address(self, client, petition, settings):
        settings.MOTCUA_TRACKING_RATE = 2
        assert client.get(tracking(petition.code)).status_code == 200
        assert client.get(tracking("PAKN-000000-0001")).status_code == 404
        response = client.get(tracking(petition.code))
        assert response.status_code == 429 and response["Retry-After"]
        assert client.get("/phan-anh-kien-nghi/tra-cuu/").status_code == 200  # the empty form costs nothing


class TestPublishedAnswers:
    def test_search_finds_a_published_answer_without_accents(self, client, petition, people):
        done = published(petition, people)
        html = html_of(client.get(f"{LIST}?q=thoi han cap phep"))
        link = f'href="/phan-anh-kien-nghi/{done.code}/"'
        assert link in html and done.published_subject in html
        assert link not in html_of(client.get(f"{LIST}?q=khong co gi"))
        assert link in html_of(client.get(f"{LIST}?agency=ubnd-xa-dong&category=regulation"))
        assert link not in html_of(client.get(f"{LIST}?category=dossier"))
        assert 'href="/phan-anh-kien-nghi/gui/"' in html and 'name="ma"' in html

        page = client.get(f"/phan-anh-kien-nghi/{done.code}/")
        assert page.status_code == 200
        assert ANSWER in html_of(page) and petition.sender_name not in html_of(page)

    def test_bad_filters_are_named(self, client, tree):
        english(client)
        response = client.get(f"{LIST}?agency=khong-co&procedure=9.9&category=x")
        assert response.status_code == 400
        html = html_of(response)
        assert "Unknown agency" in html and "No procedure has the code 9.9" in html

    def test_an_answer_not_published_is_not_found(self, client, petition, people):
        done = answered(petition, people)
        assert client.get(f"/phan-anh-kien-nghi/{done.code}/").status_code == 404
        assert client.get("/phan-anh-kien-nghi/PAKN-000000-0001/").status_code == 404
        assert f'href="/phan-anh-kien-nghi/{done.code}/"' not in html_of(client.get(LIST))
        services.publish(done, by=people["reception"])
        services.unpublish(done, by=people["reception"], note="Còn thông tin cần rà soát.")
        assert client.get(f"/phan-anh-kien-nghi/{done.code}/").status_code == 404

    def test_the_procedure_page_lists_the_answers_about_it(self, client, tree, citizen, people):
        procedure = make_procedure(
            code="1.001193", name="Thủ tục đăng ký khai sinh", agencies=[tree["commune"]]
        )
        url = "/thu-tuc/1.001193/"
        assert "/phan-anh-kien-nghi/gui/?procedure=1.001193" in html_of(client.get(url))
        petition = send_petition(citizen, category="procedure", procedure=procedure, regulation="",
                                 subject="Đề nghị bỏ bản sao giấy chứng sinh")  # fmt: skip
        done = published(petition, people)
        cache.clear()  # the page is kept a while: a new answer shows once its copy expires
        html = html_of(client.get(url))
        assert 'id="answers"' in html and f'href="/phan-anh-kien-nghi/{done.code}/"' in html
        assert "/phan-anh-kien-nghi/?procedure=1.001193" in html


class TestEscaping:
    def test_a_visitors_markup_is_shown_as_text_everywhere(self, client, tree, citizen, people):
        script = "<script>alert('x')</script>"
        client.force_login(citizen)
        client.post(
            SEND,
            {"kind": "petition", "category": "other", "subject": f"Thử {script}", "consent_to_publish": "on",
             "content": f"Nội dung có mã độc {script} và <b>chữ đậm</b>\nxuống dòng."},
        )  # fmt: skip
        petition = Petition.objects.get()
        html = html_of(client.get(tracking(petition.code)))
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "<script>alert" not in html and "<b>chữ đậm</b>" not in html
        assert "&lt;b&gt;chữ đậm&lt;/b&gt;<br>xuống dòng." in html
        services.publish(answered(petition, people), by=people["reception"])
        for url in (f"/phan-anh-kien-nghi/{petition.code}/", LIST, "/phan-anh-kien-nghi/cua-toi/"):
            html = html_of(client.get(url))
            assert "<script>alert" not in html and "&lt;script&gt;" in html, url


class TestOwnList:
    def test_a_citizen_lists_what_they_sent_and_only_that(self, client, tree, citizen, other_citizen):
        mine = send_petition(citizen)
        theirs = send_petition(other_citizen, subject="Đề nghị của người khác", client_ip="192.0.2.99")
        client.force_login(citizen)
        html = html_of(client.get("/phan-anh-kien-nghi/cua-toi/"))
        assert mine.code in html and tracking(mine.code) in html
        assert theirs.code not in html and "người khác" not in html
        assert 'href="/phan-anh-kien-nghi/cua-toi/"' in html_of(client.get("/ho-so/"))

    def test_signing_in_is_needed(self, client):
        response = client.get("/phan-anh-kien-nghi/cua-toi/")
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_menu_and_footer_lead_to_the_petitions(client, tree):
    html = html_of(client.get(LIST))
    assert html.count('href="/phan-anh-kien-nghi/"') >= 2
    assert re.search(r'<a href="/phan-anh-kien-nghi/" aria-current="page">', html)
