"""The applicant's pages through the test client: start, steps with an error corrected, a file, send,
follow."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.fixtures import PASSWORD, pdf_bytes, upload


@pytest.fixture
def signed_in(client, citizen):
    assert client.login(username=citizen.username, password=PASSWORD)
    return client


def start_draft(client) -> Dossier:
    response = client.post("/thu-tuc/9.100001/nop-ho-so/", {"token": "t1"})
    assert response.status_code == 302
    return Dossier.objects.get()


def test_the_procedure_page_links_to_online_submission(client, online_form):
    html = client.get("/thu-tuc/9.100001/").content.decode()
    assert 'href="/thu-tuc/9.100001/nop-ho-so/"' in html


def test_starting_needs_a_login(client, online_form):
    response = client.get("/thu-tuc/9.100001/nop-ho-so/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_a_whole_submission_on_the_web(signed_in, online_form, citizen, django_capture_on_commit_callbacks):
    draft = start_draft(signed_in)
    edit = f"/ho-so/{draft.uuid}/soan/"
    page = signed_in.get(edit).content.decode()
    assert 'value="Lê Thị Hoa"' in page  # prefilled from the profile

    # Step 1, then step 2 without the required reason and paper: errors next to the fields and on top.
    response = signed_in.post(
        edit, {"_step": "0", "_action": "next", "full_name": "Lê Thị Hoa", "personal_id": "030190054321"}
    )
    assert response.status_code == 200
    response = signed_in.post(
        edit, {"_step": "1", "_action": "submit", "full_name": "Lê Thị Hoa", "personal_id": "030190054321"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and 'aria-invalid="true"' in html

    # Corrected: the reason and the paper.
    response = signed_in.post(
        edit,
        {
            "_step": "1",
            "_action": "submit",
            "full_name": "Lê Thị Hoa",
            "personal_id": "030190054321",
            "reason": "Xin xác nhận",
            "file.declaration": upload(pdf_bytes(), "to-khai.pdf"),
        },
    )
    # "#top": not the "#error-summary" the form posted to, which the browser would keep over the redirect.
    assert response.status_code == 302 and response["Location"].endswith("/xem-lai/#top")
    review = signed_in.get(response["Location"]).content.decode()
    assert "Xin xác nhận" in review and "to-khai.pdf" in review

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(response["Location"])
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.SUBMITTED
    assert response["Location"] == f"/ho-so/{dossier.code}/#top"
    detail = signed_in.get(response["Location"]).content.decode()
    assert dossier.code in detail

    receipt = signed_in.get(f"/ho-so/{dossier.code}/giay-tiep-nhan/")
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")

    listing = signed_in.get("/ho-so/?trang-thai=1").content.decode()
    assert dossier.code in listing
    assert dossier.code not in signed_in.get("/ho-so/?trang-thai=2").content.decode()


def test_save_draft_keeps_what_was_typed(signed_in, online_form):
    draft = start_draft(signed_in)
    response = signed_in.post(
        f"/ho-so/{draft.uuid}/soan/", {"_step": "1", "_action": "save", "reason": "Nửa chừng"}
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.data["reason"] == "Nửa chừng"


def test_a_refused_file_is_explained_and_nothing_is_kept(signed_in, online_form):
    draft = start_draft(signed_in)
    response = signed_in.post(
        f"/ho-so/{draft.uuid}/soan/",
        {
            "_step": "1",
            "_action": "next",
            "reason": "Mới",
            "file.declaration": upload(b"MZ\x90\x00", "to-khai.pdf"),
        },
    )
    assert response.status_code == 400
    assert "whatever its name says" in response.content.decode() or "dù tên" in response.content.decode()
    draft.refresh_from_db()
    assert "reason" not in draft.data
    assert not draft.attachments.exists()


def test_pages_of_another_applicant_are_404(client, signed_in, online_form, other_citizen):
    draft = start_draft(signed_in)
    signed_in.logout()
    assert client.login(username=other_citizen.username, password=PASSWORD)
    for url in (f"/ho-so/{draft.uuid}/", f"/ho-so/{draft.uuid}/soan/", f"/ho-so/{draft.uuid}/xem-lai/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/ho-so/{draft.uuid}/xoa/").status_code == 404
    assert Dossier.objects.filter(pk=draft.pk).exists()


def test_tracking_page(client, signed_in, online_form):
    draft = start_draft(signed_in)
    signed_in.post(
        f"/ho-so/{draft.uuid}/soan/",
        {"_step": "1", "_action": "submit", "full_name": "Lê Thị Hoa", "personal_id": "030190054321",
         "reason": "Xin xác nhận", "file.declaration": upload(pdf_bytes())},
    )  # fmt: skip
    signed_in.post(f"/ho-so/{draft.uuid}/xem-lai/")
    code = Dossier.objects.get().code
    signed_in.logout()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/tra-cuu/?code={code}")
    assert page.status_code == 200
    # The dossier with its procedure and agency, its steps, its parcel: no column read lazily afterwards.
    assert len(captured) == 3
    html = page.content.decode()
    assert code in html and "UBND xã Thử" in html and "030190054321" not in html and "Lê Thị Hoa" not in html
    assert "Tiếp nhận" in html or "Received" in html or "Nộp" in html  # its steps
    assert client.get("/tra-cuu/?code=NOPE").status_code == 404


def test_each_step_posts_to_the_page_itself_without_query_or_field_fragment(signed_in, online_form):
    # A form posting to "" keeps "?buoc=1" and a "#field" the error summary linked to in the address of
    # the next step and of the review page (the browser carries a fragment over the redirect). Its only
    # fragment is the error summary, where a browser without JavaScript lands when errors come back.
    draft = start_draft(signed_in)
    edit = f"/ho-so/{draft.uuid}/soan/"
    form_tag = f'<form method="post" action="{edit}#error-summary" class="online-form"'
    assert form_tag in signed_in.get(f"{edit}?buoc=1").content.decode()
    response = signed_in.post(f"{edit}?buoc=1", {"_step": "1", "_action": "submit"})
    assert response.status_code == 400
    assert form_tag in response.content.decode()


def test_a_papers_help_reads_as_sentences(signed_in, online_form):
    draft = start_draft(signed_in)
    html = signed_in.get(f"/ho-so/{draft.uuid}/soan/?buoc=1").content.decode()
    # Not "Tờ khai đề nghị (1 bản chính) Chấp nhận: …" run together.
    assert "Tờ khai đề nghị (1 bản chính). Chấp nhận: PDF" in html


def test_only_codes_are_set_in_the_monospace_font(signed_in, online_form):
    # A monospace font may lack Vietnamese letters with two marks ("hồ", "Kiểm"): they came out broken.
    draft = start_draft(signed_in)
    edit = signed_in.get(f"/ho-so/{draft.uuid}/soan/").content.decode()
    assert '<span class="procedure-code">9.100001</span>' in edit
    signed_in.post(
        f"/ho-so/{draft.uuid}/soan/",
        {"_step": "1", "_action": "submit", "full_name": "Lê Thị Hoa", "personal_id": "030190054321",
         "reason": "Xin xác nhận", "file.declaration": upload(pdf_bytes())},
    )  # fmt: skip
    review = signed_in.get(f"/ho-so/{draft.uuid}/xem-lai/").content.decode()
    signed_in.post(f"/ho-so/{draft.uuid}/xem-lai/")
    code = Dossier.objects.get().code
    detail = signed_in.get(f"/ho-so/{code}/").content.decode()
    assert f'<span class="procedure-code">{code}</span>' in detail
    start = signed_in.get("/thu-tuc/9.100001/nop-ho-so/").content.decode()
    for html in (edit, review, detail, start):
        assert not re.search(r'class="procedure-code[^"]*">[^<]*[^\x00-\x7f]', html)


@pytest.mark.parametrize("step", ["²", "١", "9" * 5000, "-1", "3 "])
def test_a_step_that_is_not_a_small_number_opens_the_first_step(signed_in, online_form, step):
    """``?buoc=²`` passed ``isdigit()`` and then failed ``int()``; 5,000 digits passed both and broke the
    int-size limit: both were server errors."""
    draft = start_draft(signed_in)
    response = signed_in.get(f"/ho-so/{draft.uuid}/soan/", {"buoc": step})
    assert response.status_code == 200


@pytest.mark.parametrize("status", ["²", "9" * 5000, "11", "x"])
def test_my_dossiers_ignores_a_status_that_is_not_one(signed_in, status):
    assert signed_in.get("/ho-so/", {"trang-thai": status}).status_code == 200


def test_a_nul_character_in_a_field_is_refused_with_a_message(signed_in, online_form):
    """Before, stored on SQLite (and refused by PostgreSQL's jsonb: a server error there)."""
    draft = start_draft(signed_in)
    response = signed_in.post(
        f"/ho-so/{draft.uuid}/soan/", {"_step": "1", "_action": "save", "reason": "Nửa\x00chừng"}
    )
    assert response.status_code == 400
    assert "không thể lưu" in response.content.decode()
    draft.refresh_from_db()
    assert "\x00" not in str(draft.data)


def test_a_draft_reopens_at_the_step_where_the_applicant_stopped(signed_in, online_form):
    draft = start_draft(signed_in)
    edit = f"/ho-so/{draft.uuid}/soan/"
    first = {"full_name": "Lê Thị Hoa", "personal_id": "030190054321"}
    signed_in.post(edit, {"_step": "0", "_action": "next", **first})
    draft.refresh_from_db()
    assert (draft.form_step, draft.form_step_reached) == (1, 1)
    # "My dossiers" and the procedure's page link to the draft; it opens on step 2, not step 1.
    assert f'href="{edit}"' in signed_in.get("/ho-so/").content.decode()
    page = signed_in.get(edit).content.decode()
    assert "Bước 2/2: Nội dung" in page
    # Back to step 1: it reopens there, and step 2 stays reached (a button of the step indicator).
    signed_in.post(edit, {"_step": "1", "_action": "back", **first})
    page = signed_in.get(edit).content.decode()
    assert "Bước 1/2: Người nộp" in page and 'value="goto:1"' in page
    # The indicator's button shows step 2 without checking step 1, and keeps what was typed.
    response = signed_in.post(edit, {"_step": "0", "_action": "goto:1", "full_name": "Lê Hoa"})
    assert "Bước 2/2: Nội dung" in response.content.decode() and response.status_code == 200
    draft.refresh_from_db()
    assert draft.form_step == 1 and draft.data["full_name"] == "Lê Hoa"
    # An address asking for a step still opens it.
    assert "Bước 1/2" in signed_in.get(f"{edit}?buoc=0").content.decode()


def test_a_checked_draft_reopens_at_the_review_with_a_link_to_change_each_step(signed_in, online_form):
    draft = start_draft(signed_in)
    edit = f"/ho-so/{draft.uuid}/soan/"
    response = signed_in.post(
        edit,
        {
            "_step": "1",
            "_action": "submit",
            "full_name": "Lê Thị Hoa",
            "personal_id": "030190054321",
            "reason": "Xin xác nhận",
            "file.declaration": upload(pdf_bytes(), "to-khai.pdf"),
        },
    )
    review = f"/ho-so/{draft.uuid}/xem-lai/"
    assert response["Location"] == f"{review}#top"
    response = signed_in.get(edit)
    assert response.status_code == 302 and response["Location"] == review
    html = signed_in.get(review).content.decode()
    assert f'<a href="{edit}?buoc=0">Sửa<span class="visually-hidden"> Người nộp</span></a>' in html
    assert f'<a href="{edit}?buoc=1">Sửa<span class="visually-hidden"> Nội dung</span></a>' in html
    assert "Bước 1/2" in signed_in.get(f"{edit}?buoc=0").content.decode()


def test_the_reviews_errors_link_to_their_step_and_field_in_the_order_of_the_form(signed_in, online_form):
    draft = start_draft(signed_in)
    draft.data = {"reason": "x" * 300}  # changed elsewhere (the API): nothing of step 1, a reason too long
    draft.form_step = 2
    draft.save()
    review = f"/ho-so/{draft.uuid}/xem-lai/"
    response = signed_in.post(review)
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))]
    edit = f"/ho-so/{draft.uuid}/soan/"
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)
    assert list(dict.fromkeys(url for url, _ in links)) == [  # a field may have several messages
        f"{edit}?buoc=0#f-full_name",
        f"{edit}?buoc=0#f-personal_id",
        f"{edit}?buoc=1#f-reason",
        f"{edit}?buoc=1#f-declaration",
    ]
    assert links[0][1].startswith("Họ và tên: ")
    assert f'action="{review}#error-summary"' in html
    assert 'src="/static/portal/error-summary.js"' in html and "<script>" not in html


def test_a_step_with_errors_is_the_target_of_the_address_and_loads_the_focus_script(signed_in, online_form):
    draft = start_draft(signed_in)
    edit = f"/ho-so/{draft.uuid}/soan/"
    response = signed_in.post(edit, {"_step": "0", "_action": "next"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'action="{edit}#error-summary"' in html
    assert 'tabindex="-1" id="error-summary"' in html
    assert 'src="/static/portal/error-summary.js" defer' in html and "<script>" not in html


OTHER_PERSON = {"full_name": "Phan Văn Tú", "personal_id": "030085011111"}


def test_the_declarant_is_the_account_holder_on_the_web(signed_in, online_form):
    """Issue 9: another person's name and ID as the requester were accepted and would stand on the result."""
    draft = start_draft(signed_in)
    edit = f"/ho-so/{draft.uuid}/soan/"
    page = signed_in.get(edit).content.decode()
    assert re.search(r'name="full_name" value="Lê Thị Hoa"[^>]*readonly', page)
    response = signed_in.post(edit, {"_step": "0", "_action": "next", **OTHER_PERSON})
    assert response.status_code == 400
    assert "không thể sửa tại đây" in response.content.decode()
    # Kept without checking ("save draft"), it is still refused when the dossier is sent.
    signed_in.post(
        edit,
        {
            "_step": "1",
            "_action": "save",
            **OTHER_PERSON,
            "reason": "Xin xác nhận",
            "file.declaration": upload(pdf_bytes(), "to-khai.pdf"),
        },
    )
    response = signed_in.post(f"/ho-so/{draft.uuid}/xem-lai/")
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == DossierStatus.DRAFT and draft.code is None
