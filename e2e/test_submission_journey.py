"""Journey 2 (issue 3): a citizen registers or signs in, fills in the multi-step birth registration form
with an error corrected on the way, attaches a paper, sends the dossier, downloads the receipt and follows
the dossier on the public tracking page, without being signed in there.

The helpers below are one citizen's actions on one page each; ``e2e/screenshots.py`` reuses them.
"""

import re
from contextlib import contextmanager
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from motcua.dossiers.models import Dossier, DossierStatus

PROCEDURE = "1.001193"
PROCEDURE_NAME = "Thủ tục đăng ký khai sinh"
AGENCY = "Ủy ban nhân dân xã Tân Phong"
DEMO_PASSWORD = "Demo@12345"
CONTINUE = "Tiếp tục"
TO_REVIEW = "Xem lại và nộp"

# A new citizen: born 1998 in Hải Phòng (031), a woman born in the 20th century (fourth digit 1).
NEW_CITIZEN = {
    "full_name": "Phạm Thu Hà",
    "personal_id": "031198004321",
    "birth_date": "1998-03-21",
    "phone": "0987654321",
    "email": "phamthuha@example.com",
    "password": "Hoa-sen-2024!",
}
CHILD = {"full_name": "Lê Minh Khôi", "birth_place": "Bệnh viện Đa khoa tỉnh Hải Đông"}
MOTHER = {"full_name": "Phạm Thu Hà", "birth_year": "1998", "personal_id": "031198004321"}
# Born in 1990 by its digits, so it does not match the mother's year of birth.
WRONG_MOTHER_ID = "031190004321"


def labelled(scope, label):
    """The control whose label is exactly ``label`` (the required star after it is allowed)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def no_sideways_scroll(page) -> None:
    """Nothing sticks out on the right. A mobile browser widens ``window.innerWidth`` to what sticks out (it
    zooms out to show it), so the page's width is compared with the layout viewport's instead."""
    # Measured once the page has loaded: right after a click the next document may still be empty.
    page.wait_for_load_state("load")
    page.wait_for_function("document.readyState === 'complete' && document.documentElement !== null")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px too wide"


def reachable(page, button) -> None:
    """Visible, enabled and inside the width of the screen (a 360 px phone scrolls only downwards)."""
    expect(button).to_be_visible()
    expect(button).to_be_enabled()
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def small_pdf(path):
    """A real, valid one-page PDF (what a scanned paper would be)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Giấy chứng sinh"})
    with open(path, "wb") as out:
        writer.write(out)
    return path


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


# --- signing in --------------------------------------------------------------------------------------------


def open_online_submission(page, site):
    """The procedure page's button; signed out, it leads to the login page, which comes back here."""
    page.goto(f"{site}/thu-tuc/{PROCEDURE}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("đăng ký khai sinh")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()


def sign_in(page, username, password):
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))
    form = page.get_by_role("main")
    form.get_by_label("Số định danh cá nhân, mã số thuế hoặc tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()


def register_citizen(page, citizen):
    """From the login page: "Đăng ký", "Tôi là công dân", the form, then back to the online submission."""
    page.get_by_role("main").get_by_role("link", name="Đăng ký").click()
    page.get_by_role("link", name="Tôi là công dân").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản công dân")
    page.get_by_label("Họ và tên").fill(citizen["full_name"])
    page.get_by_label("Số định danh cá nhân").fill(citizen["personal_id"])
    page.get_by_label("Ngày sinh").fill(citizen["birth_date"])
    page.get_by_label("Số điện thoại di động").fill(citizen["phone"])
    page.get_by_label("Thư điện tử").fill(citizen["email"])
    page.get_by_label("Mật khẩu", exact=True).fill(citizen["password"])
    page.get_by_label("Nhập lại mật khẩu").fill(citizen["password"])
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/1\.001193/nop-ho-so/$"))
    expect(page.get_by_role("status")).to_contain_text(citizen["email"])


def verification_link(email: str) -> str:
    """The link of the verification e-mail (Django's test outbox: the same process serves the pages)."""
    sent = [m for m in mail.outbox if email in m.to]
    assert sent, f"no e-mail to {email}"
    found = re.search(r"https?://\S+/tai-khoan/xac-minh-email/\S+/", sent[-1].body)
    assert found, sent[-1].body
    return found.group(0)


def sign_out(page):
    page.get_by_role("navigation", name="Tài khoản").get_by_role("button", name="Đăng xuất").click()
    expect(
        page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Đăng nhập")
    ).to_be_visible()


# --- the form, step by step --------------------------------------------------------------------------------


def start_dossier(page):
    """Several communes receive births: choose one, then the draft opens at its first step."""
    expect(page).to_have_url(re.compile(rf"/thu-tuc/{re.escape(PROCEDURE)}/nop-ho-so/$"))
    page.get_by_label("Cơ quan tiếp nhận hồ sơ").select_option(label=AGENCY)
    page.get_by_role("button", name="Bắt đầu điền tờ khai").click()
    expect(page).to_have_url(re.compile(r"/ho-so/[0-9a-f-]{36}/soan/$"))
    expect(page.get_by_text(f"Cơ quan tiếp nhận: {AGENCY}")).to_be_visible()


def step_title(page):
    return page.locator(".form-step-title")


def press(page, name):
    page.get_by_role("main").locator(".form-nav").get_by_role("button", name=name, exact=True).click()


def error_summary(page):
    return page.get_by_role("alert").filter(has_text="lỗi cần sửa")


def expect_no_errors(page):
    expect(page).not_to_have_title(re.compile(r"^Lỗi:"))
    expect(error_summary(page)).to_have_count(0)


def fill_requester(page, *, full_name, personal_id, relationship):
    """Step 1. Name and personal ID come from the account; the commune list follows the province."""
    expect(step_title(page)).to_have_text("Bước 1/4: Người yêu cầu")
    group = page.get_by_role("group", name="Người yêu cầu")
    expect(group.get_by_label("Họ, chữ đệm và tên")).to_have_value(full_name)
    expect(group.get_by_label("Số định danh cá nhân")).to_have_value(personal_id)
    if relationship:
        group.get_by_label("Quan hệ với người được đăng ký").select_option(label=relationship)
    # The browser runs our script: the commune list follows the province without a reload (e2e/test_address).
    group.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Hải Đông")
    page.get_by_role("group", name="Nơi cư trú").get_by_label("Xã, phường, đặc khu").select_option(
        label="Xã Tân Phong"
    )
    page.get_by_label("Số nhà, đường phố, thôn, xóm").fill("Thôn Tân Lập")


def child_birth_date():
    return timezone.localdate() - timedelta(days=20)


def fill_child(page):
    expect(step_title(page)).to_have_text("Bước 2/4: Người được khai sinh")
    group = page.get_by_role("group", name="Người được khai sinh")
    group.get_by_label("Họ, chữ đệm và tên").fill(CHILD["full_name"])
    group.get_by_label("Ngày, tháng, năm sinh").fill(child_birth_date().isoformat())
    group.get_by_label("Nơi sinh").fill(CHILD["birth_place"])
    group.get_by_role("radiogroup", name="Giới tính").get_by_label("Nam", exact=True).check()
    group.get_by_label("Dân tộc").fill("Kinh")
    group.get_by_label("Quốc tịch").fill("Việt Nam")
    group.get_by_label("Quê quán").fill("Xã Tân Phong, tỉnh Hải Đông")


def fill_mother(page, *, personal_id):
    """Step 3: the mother (the father may stay empty)."""
    expect(step_title(page)).to_have_text("Bước 3/4: Cha, mẹ")
    mother = page.get_by_role("group", name="Thông tin người mẹ")
    mother.get_by_label("Họ, chữ đệm và tên").fill(MOTHER["full_name"])
    mother.get_by_label("Năm sinh").fill(MOTHER["birth_year"])
    mother.get_by_label("Số định danh cá nhân").fill(personal_id)
    mother.get_by_label("Dân tộc").fill("Kinh")
    mother.get_by_label("Quốc tịch").fill("Việt Nam")
    mother.get_by_label("Nơi cư trú").fill("Thôn Tân Lập, xã Tân Phong, tỉnh Hải Đông")


def expect_field_error(page, field, message):
    """The error is announced at the top (role=alert, a link to the field) and told next to the field."""
    expect(page).to_have_title(re.compile(r"^Lỗi: "))
    summary = error_summary(page)
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name=re.compile(re.escape(message)))
    expect(link).to_have_count(1)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    # The summary's link leads to the field itself.
    field_id = field.get_attribute("id")
    expect(link).to_have_attribute("href", f"#{field_id}")
    return link


def attach_papers(page, pdf):
    expect(step_title(page)).to_have_text("Bước 4/4: Giấy tờ và cam đoan")
    labelled(page, "Giấy chứng sinh").set_input_files(pdf)
    page.get_by_label("Tôi cam đoan những nội dung khai trên đây là đúng sự thật").check()


def check_review_and_send(page, *, requester_name, pdf_name):
    expect(page).to_have_url(re.compile(r"/ho-so/[0-9a-f-]{36}/xem-lai/#top$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kiểm tra và nộp")
    declaration = page.get_by_role("region", name="Tờ khai của ông/bà", exact=True)
    for shown in (
        requester_name,
        "Xã Tân Phong, Tỉnh Hải Đông",
        CHILD["full_name"],
        child_birth_date().strftime("%d/%m/%Y"),
        CHILD["birth_place"],
        MOTHER["personal_id"],
    ):
        expect(declaration).to_contain_text(shown)
    expect(declaration).not_to_contain_text(WRONG_MOTHER_ID)
    papers = page.get_by_role("region", name="Giấy tờ đính kèm")
    expect(papers).to_contain_text("Giấy chứng sinh")
    expect(papers.get_by_role("link", name=pdf_name)).to_be_visible()
    expect(page.get_by_label("Cơ quan tiếp nhận hồ sơ")).to_have_value("ubnd-xa-tan-phong")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()


def check_dossier_page(page) -> Dossier:
    """The sent dossier: its code (agency code, day, number of the day), status, the receipt button."""
    dossier = Dossier.objects.select_related("agency").get(
        status=DossierStatus.SUBMITTED, procedure__code=PROCEDURE
    )
    day = timezone.localtime(dossier.submitted_at).strftime("%y%m%d")
    assert re.fullmatch(rf"{re.escape(dossier.agency.code)}-{day}-\d{{4}}", dossier.code), dossier.code
    assert dossier.agency.name == AGENCY
    expect(page).to_have_url(re.compile(rf"/ho-so/{re.escape(dossier.code)}/#top$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Mã hồ sơ {dossier.code}")
    expect(page.get_by_role("status")).to_contain_text(dossier.code)
    expect(page.locator(".status-badge")).to_have_text("Mới đăng ký")
    expect(page.get_by_role("link", name="Tải giấy tiếp nhận (PDF)")).to_be_visible()
    return dossier


def download_receipt(page, dossier, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải giấy tiếp nhận (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"giay-tiep-nhan-{dossier.code}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    text = pdf_text(saved)
    assert dossier.code in re.sub(r"\s", "", text)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    return saved


def check_my_dossiers(page, dossier):
    page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    row = page.locator(".dossier-list li").filter(has_text=dossier.code)
    expect(row).to_contain_text("Mới đăng ký")
    expect(row).to_contain_text(PROCEDURE_NAME)


@contextmanager
def anonymous_page(browser, **context_options):
    """A page of another browser context: nobody is signed in there."""
    context = browser.new_context(locale="vi-VN", **context_options)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def track(page, site, dossier, private_texts):
    """Anyone who has the code types it on /tra-cuu/: status, procedure and steps, no personal data."""
    page.goto(f"{site}/tra-cuu/")
    account = page.get_by_role("navigation", name="Tài khoản")
    expect(account.get_by_role("link", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Mã hồ sơ (ghi trên giấy tiếp nhận)").fill(dossier.code)
    page.get_by_role("button", name="Tra cứu").click()
    result = page.get_by_role("region", name=re.compile(re.escape(dossier.code)))
    expect(result).to_contain_text("Mới đăng ký")
    expect(result).to_contain_text(PROCEDURE_NAME)
    expect(result).to_contain_text(AGENCY)
    expect(result).to_contain_text("Nộp trực tuyến")
    shown, source = page.locator("body").inner_text(), page.content()
    for private in private_texts:
        assert private not in shown and private not in source, private


# --- the journeys ------------------------------------------------------------------------------------------


def test_a_new_citizen_registers_submits_a_birth_registration_and_tracks_it(page, browser, site, tmp_path):
    citizen = NEW_CITIZEN
    open_online_submission(page, site)
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next=/thu-tuc/1\.001193/nop-ho-so/"))

    register_citizen(page, citizen)
    page.goto(verification_link(citizen["email"]))
    expect(page.get_by_role("status")).to_contain_text(f"{citizen['email']} đã được xác nhận")

    # Signed out, the account signs in with its personal ID and comes back to the submission.
    sign_out(page)
    open_online_submission(page, site)
    sign_in(page, citizen["personal_id"], citizen["password"])
    start_dossier(page)

    fill_requester(
        page, full_name=citizen["full_name"], personal_id=citizen["personal_id"], relationship="Mẹ"
    )
    press(page, CONTINUE)
    fill_child(page)
    press(page, CONTINUE)

    # A mistyped personal ID: the step comes back with the error on top and next to the field.
    fill_mother(page, personal_id=WRONG_MOTHER_ID)
    press(page, CONTINUE)
    expect(step_title(page)).to_have_text("Bước 3/4: Cha, mẹ")
    mother_id = page.get_by_role("group", name="Thông tin người mẹ").get_by_label("Số định danh cá nhân")
    expect(error_summary(page)).to_contain_text("Có 1 lỗi cần sửa")
    link = expect_field_error(
        page, mother_id, "không khớp với ngày sinh (theo số định danh, năm sinh là 1990)"
    )
    expect(mother_id).to_have_value(WRONG_MOTHER_ID)  # what was typed is kept, to be corrected
    link.click()
    expect(mother_id).to_be_in_viewport()
    mother_id.fill(MOTHER["personal_id"])
    press(page, CONTINUE)
    expect_no_errors(page)

    pdf = small_pdf(tmp_path / "giay-chung-sinh.pdf")
    attach_papers(page, pdf)
    press(page, TO_REVIEW)
    check_review_and_send(page, requester_name=citizen["full_name"], pdf_name=pdf.name)

    dossier = check_dossier_page(page)
    assert dossier.applicant.username == citizen["personal_id"]
    download_receipt(page, dossier, tmp_path)
    check_my_dossiers(page, dossier)

    with anonymous_page(browser, viewport={"width": 1280, "height": 900}) as stranger:
        private = [citizen["full_name"], citizen["personal_id"], citizen["phone"], citizen["email"]]
        track(stranger, site, dossier, [*private, CHILD["full_name"], MOTHER["personal_id"]])


def test_the_demo_citizen_submits_on_a_360_px_phone(phone_page, browser, site, tmp_path):
    page = phone_page
    open_online_submission(page, site)
    no_sideways_scroll(page)
    sign_in(page, "congdan", DEMO_PASSWORD)
    no_sideways_scroll(page)
    start_dossier(page)

    # Step 1 sent without the relationship: the error, then the correction.
    fill_requester(page, full_name="Nguyễn Văn An", personal_id="030090012345", relationship=None)
    reachable(page, page.locator(".form-nav").get_by_role("button", name=CONTINUE, exact=True))
    press(page, CONTINUE)
    relationship = page.get_by_label("Quan hệ với người được đăng ký")
    expect(step_title(page)).to_have_text("Bước 1/4: Người yêu cầu")
    expect_field_error(page, relationship, "Vui lòng điền mục này.")
    no_sideways_scroll(page)
    relationship.select_option(label="Cha")
    press(page, CONTINUE)
    expect_no_errors(page)

    fill_child(page)
    press(page, CONTINUE)
    fill_mother(page, personal_id=MOTHER["personal_id"])
    press(page, CONTINUE)

    # The last step without the birth certificate: refused, then attached.
    expect(step_title(page)).to_have_text("Bước 4/4: Giấy tờ và cam đoan")
    page.get_by_label("Tôi cam đoan những nội dung khai trên đây là đúng sự thật").check()
    press(page, TO_REVIEW)
    certificate = labelled(page, "Giấy chứng sinh")
    expect_field_error(page, certificate, "Vui lòng đính kèm giấy tờ này.")
    no_sideways_scroll(page)
    attach_papers(page, small_pdf(tmp_path / "chung-sinh.pdf"))
    for name in ("Quay lại", TO_REVIEW, "Lưu nháp"):
        reachable(page, page.locator(".form-nav").get_by_role("button", name=name, exact=True))
    press(page, TO_REVIEW)

    no_sideways_scroll(page)
    reachable(page, page.get_by_role("button", name="Nộp hồ sơ", exact=True))
    check_review_and_send(page, requester_name="Nguyễn Văn An", pdf_name="chung-sinh.pdf")

    dossier = check_dossier_page(page)
    no_sideways_scroll(page)
    reachable(page, page.get_by_role("link", name="Tải giấy tiếp nhận (PDF)"))
    download_receipt(page, dossier, tmp_path)
    check_my_dossiers(page, dossier)
    no_sideways_scroll(page)

    with anonymous_page(browser, viewport=page.viewport_size, is_mobile=True, has_touch=True) as stranger:
        track(stranger, site, dossier, ["Nguyễn Văn An", "030090012345", "0912345678", CHILD["full_name"]])
        no_sideways_scroll(stranger)
