"""Journey 3 (issue 4): a dossier goes from submission to a signed, verifiable result through an inter-agency
workflow on the web, with a supplement on the way; and a late dossier gets its apology letter.

Everyone works in a browser context of their own, signed in as themselves: the demo citizen (on a 360 px
phone), the desk officer, leader, specialist and records office of Xã Tân Phong, the leader and specialist of
Sở Tư pháp, an officer of another commune, and an anonymous visitor who checks the result.

The procedure is 1.004873 (confirmation of marital status), whose demo workflow
(``src/motcua/fixtures/workflows.json``) goes: commune desk → commune specialist → Sở Tư pháp specialist →
commune leader approves and signs → commune records office numbers → commune desk returns the result.

The helpers below are one person's actions on one page each; ``e2e/screenshots.py`` reuses them.
"""

import io
import re
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfWriter

from e2e.conftest import PHONE
from e2e.test_submission_journey import (
    DEMO_PASSWORD,
    anonymous_page,
    no_sideways_scroll,
    pdf_text,
    small_pdf,
)
from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure
from motcua.documents import pki
from motcua.dossiers import deadline_watch, services
from motcua.dossiers.models import Dossier

PROCEDURE = "1.004873"
PROCEDURE_NAME = "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
COMMUNE_SLUG = "ubnd-xa-tan-phong"
COMMUNE = "Ủy ban nhân dân xã Tân Phong"
DEPARTMENT = "Sở Tư pháp tỉnh Hải Đông"
ID_CARD = "Hộ chiếu, thẻ căn cước công dân, thẻ căn cước hoặc căn cước điện tử của người yêu cầu"
SUPPLEMENT_REASON = "Thiếu bản chụp thẻ căn cước của người yêu cầu"
DESK_NAV = "Bộ phận một cửa"

# The steps of the demo workflow of 1.004873, as the process control sheet lists them: name, unit, result.
CONTROL_SHEET = [
    ("Tiếp nhận tại bộ phận một cửa xã", COMMUNE, "Được tiếp nhận"),
    ("Công chức tư pháp - hộ tịch xã kiểm tra", COMMUNE, "Chuyển xử lý"),
    ("Sở Tư pháp xác minh tình trạng hôn nhân nơi cư trú trước", DEPARTMENT, "Trình kết quả"),
    ("Chủ tịch UBND xã ký", COMMUNE, "Phê duyệt và ký"),
    ("Văn thư xã vào sổ, đóng dấu", COMMUNE, "Vào số kết quả"),
    ("Trả kết quả", COMMUNE, "Đã trả kết quả"),
]

# The demo citizens' declarations (what the form prefills from the account, completed).
APPLICANTS = {
    "congdan": {
        "full_name": "Nguyễn Văn An",
        "birth_date": "1990-05-14",
        "gender": "male",
        "personal_id": "030090012345",
        "phone": "0912345678",
    },
    "congdan2": {
        "full_name": "Trần Thị Bình",
        "birth_date": "2001-09-02",
        "gender": "female",
        "personal_id": "030301004567",
        "phone": "0987654321",
    },
}


# --- people ------------------------------------------------------------------------------------------------


class People:
    """One browser context per person, signed in once and kept for the whole test.

    ``login_form`` signs in through the login page, as a person does; otherwise the context gets the cookie
    of a session opened on the server (the login page is the submission journey's; two seconds saved per
    officer).
    """

    def __init__(self, browser, site):
        self.browser, self.site, self.pages, self.contexts = browser, site, {}, []

    def __call__(self, username, *, phone=False, login_form=False):
        if username not in self.pages:
            options = (
                {"viewport": PHONE, "is_mobile": True, "has_touch": True}
                if phone
                else {"viewport": {"width": 1280, "height": 900}}
            )
            context = self.browser.new_context(locale="vi-VN", accept_downloads=True, **options)
            context.set_default_timeout(15_000)
            self.contexts.append(context)
            if not login_form:
                context.add_cookies([session_cookie(username, self.site)])
            page = context.new_page()
            if login_form:
                sign_in_as(page, self.site, username)
            else:  # where the login page leads
                page.goto(f"{self.site}/tai-khoan/")
                expect(signed_in(page)).to_be_visible()
            self.pages[username] = page
        return self.pages[username]

    def close(self):
        for context in self.contexts:
            context.close()


def session_cookie(username, site) -> dict:
    client = Client()
    client.force_login(User.objects.get(username=username))
    morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": morsel.key, "value": morsel.value, "url": site, "httpOnly": True}


def sign_in_as(page, site, username):
    page.goto(f"{site}/tai-khoan/dang-nhap/")
    form = page.get_by_role("main")
    form.get_by_label("Số định danh cá nhân, mã số thuế hoặc tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Đăng nhập").click()
    expect(signed_in(page)).to_be_visible()


def signed_in(page):
    return page.get_by_role("navigation", name="Tài khoản").get_by_role("button", name="Đăng xuất")


# --- the citizen -------------------------------------------------------------------------------------------


def submit_marital_status(page, site) -> str:
    """The demo citizen asks Xã Tân Phong for a confirmation of marital status, without the ID card's copy."""
    page.goto(f"{site}/thu-tuc/{PROCEDURE}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Cơ quan tiếp nhận hồ sơ").select_option(label=COMMUNE)
    page.get_by_role("button", name="Bắt đầu điền tờ khai").click()
    expect(page.get_by_text(f"Cơ quan tiếp nhận: {COMMUNE}")).to_be_visible()

    person = page.get_by_role("group", name="Người được xác nhận")
    expect(person.get_by_label("Họ, chữ đệm và tên")).to_have_value("Nguyễn Văn An")
    person.get_by_role("radiogroup", name="Giới tính").get_by_label("Nam", exact=True).check()
    person.get_by_label("Dân tộc").fill("Kinh")
    person.get_by_label("Quốc tịch").fill("Việt Nam")
    residence = person.get_by_role("group", name="Nơi cư trú")
    residence.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Hải Đông")
    residence.get_by_label("Xã, phường, đặc khu").select_option(label="Xã Tân Phong")
    residence.get_by_label("Số nhà, đường phố, thôn, xóm").fill("Thôn Tân Lập")
    page.get_by_role("radiogroup", name="Tình trạng hôn nhân").get_by_label(
        "Chưa đăng ký kết hôn với ai"
    ).check()
    page.get_by_label("Mục đích sử dụng").select_option(label="Để vay vốn ngân hàng")
    page.get_by_label(re.compile(r"^Số bản đề nghị cấp")).fill("1")
    page.get_by_label(re.compile(r"^Tôi cam đoan")).check()
    page.get_by_role("button", name="Xem lại và nộp").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Kiểm tra và nộp")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.locator(".status-badge")).to_have_text("Mới đăng ký")
    code = re.search(r"/ho-so/([^/#]+)/(#.*)?$", page.url).group(1)
    assert code.startswith(Agency.objects.get(slug=COMMUNE_SLUG).code), code
    return code


def open_my_dossier(page, code, status):
    """From "My dossiers": the row of the dossier, with its status, then its page."""
    page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Hồ sơ của tôi").click()
    row = page.locator(".dossier-list li").filter(has_text=code)
    expect(row).to_contain_text(status)
    row.get_by_role("link", name=re.compile(re.escape(code))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Mã hồ sơ {code}")
    expect(page.locator(".status-badge")).to_have_text(status)


def download(page, link, tmp_path, filename):
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == filename
    saved = tmp_path / filename
    info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    return saved


def supply_the_paper(page, code, tmp_path):
    """The citizen reads the request, downloads its slip (form 02), attaches the paper and sends it."""
    open_my_dossier(page, code, "Yêu cầu bổ sung")
    request = page.get_by_role("region", name="Cơ quan đề nghị ông/bà bổ sung, hoàn thiện hồ sơ")
    expect(request).to_contain_text(SUPPLEMENT_REASON)
    expect(request.get_by_role("listitem")).to_have_text([ID_CARD])
    slip = download(
        page,
        request.get_by_role("link", name="Phiếu yêu cầu bổ sung (PDF)"),
        tmp_path,
        f"phieu-yeu-cau-bo-sung-{code}.pdf",
    )
    text = pdf_text(slip)
    assert "BỔ SUNG" in text.upper() and SUPPLEMENT_REASON in text, text
    assert code in re.sub(r"\s", "", text)
    no_sideways_scroll(page)

    request.get_by_label(f"3. {ID_CARD}").set_input_files(small_pdf(tmp_path / "can-cuoc.pdf"))
    request.get_by_label("Lời nhắn gửi cơ quan (không bắt buộc)").fill("Đã bổ sung bản chụp thẻ căn cước.")
    request.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi hồ sơ bổ sung")
    expect(page.locator(".status-badge")).to_have_text("Mới đăng ký")
    expect(page.get_by_role("region", name="Giấy tờ", exact=True)).to_contain_text("can-cuoc.pdf")


def declaration(username: str, agency: Agency) -> dict:
    who = APPLICANTS[username]
    return {
        "person": {
            **{k: who[k] for k in ("full_name", "birth_date", "gender", "personal_id", "phone")},
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "residence": {"province": "99", "commune": agency.code, "detail": "Thôn Tân Lập"},
        },
        "marital_status": "never_married",
        "purpose": "marriage",
        "copies": 1,
        "commitment": True,
    }


def send_marital_status(username: str = "congdan") -> Dossier:
    """A dossier of 1.004873 sent to Xã Tân Phong through the services (what the web form does)."""
    applicant = User.objects.get(username=username)
    agency = Agency.objects.get(slug=COMMUNE_SLUG)
    draft = services.create_draft(
        procedure=Procedure.objects.get(code=PROCEDURE),
        applicant=applicant,
        agency=agency,
        data=declaration(username, agency),
    )
    return services.submit(draft, by=applicant)


# --- officers ----------------------------------------------------------------------------------------------


def status_badge(page):
    return page.get_by_role("region", name=re.compile(r"^Trạng thái")).locator(".status-badge")


def open_queue(page, site, label):
    """The officer's "My work" page, then one queue's tab; returns the queue's table."""
    if "/mot-cua/" in page.url:
        page.goto(f"{site}/mot-cua/")
    else:  # every page's header has the link to the desk, for officers
        page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name=DESK_NAV).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Công việc của tôi")
    tab = page.get_by_role("navigation", name="Hàng đợi").get_by_role(
        "link", name=re.compile(rf"^{re.escape(label)} \d+$")
    )
    tab.click()
    expect(tab).to_have_attribute("aria-current", "page")
    return page.get_by_role("table", name=label)


def open_from_queue(page, site, label, code):
    """The dossier's row in one queue of the officer, then its page."""
    row = open_queue(page, site, label).get_by_role("row").filter(has_text=code)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def actions(page):
    return page.get_by_role("region", name="Thao tác")


def act(page, label, *, note="", papers=(), assignee="", method="", status=None):
    """One of the dossier page's action forms (a fieldset named by the action): fill it in and send it."""
    form = actions(page).get_by_role("group", name=label, exact=True)
    for paper in papers:
        form.get_by_label(paper, exact=True).check()
    if assignee:
        form.get_by_label("Phân công cho").select_option(assignee)
    if method:
        form.get_by_label("Hình thức trả").select_option(label=method)
    if note:  # "Lý do (bắt buộc)" where the action needs one, else "Ghi chú"
        form.get_by_label(re.compile(r"^(Ghi chú|Lý do \(bắt buộc\))$")).fill(note)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status")).to_have_text(f"Đã thực hiện: {label}.")
    if status:
        expect(status_badge(page)).to_have_text(status)


def approve_and_sign(page, code, *, note):
    """The leader opens the approval page, reads the draft result (a PDF in a frame, marked as a draft, with
    no number yet), and signs it; the button says it is signing while the server works."""
    actions(page).get_by_role("link", name="Xem dự thảo kết quả và ký").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đọc văn bản kết quả trước khi ký")
    frame = page.locator("iframe.result-draft")
    expect(frame).to_be_visible()
    draft = page.request.get(page.url.split("/mot-cua/")[0] + frame.get_attribute("src"))
    assert draft.headers["content-type"] == "application/pdf"
    text = pdf_text(io.BytesIO(draft.body()))
    assert "DỰ THẢO" in text and "Nguyễn Văn An" in text and code in re.sub(r"\s", "", text), text
    form = page.get_by_role("region", name="Phê duyệt và ký")
    form.get_by_label("Nội dung quyết định in trên văn bản kết quả (không bắt buộc)").fill(note)
    # The first press is held in the browser (as if the server were still signing): the button says it is
    # signing, for screen readers too; the form is then sent as the press would have sent it.
    page.evaluate("window.addEventListener('submit', e => e.preventDefault(), {capture: true, once: true})")
    form.get_by_role("button", name="Phê duyệt và ký").click()
    expect(form.get_by_role("button", name="Đang ký…")).to_be_visible()
    expect(form.locator("[data-busy-status]")).to_have_text("Đang ký…")
    form.locator("form").evaluate("f => f.submit()")
    expect(page.get_by_role("status").filter(has_text="Đã thực hiện")).to_have_text(
        "Đã thực hiện: Phê duyệt và ký.", timeout=30_000
    )


def held_by(page):
    return (
        page.locator(".meta div").filter(has=page.locator("dt", has_text="Đơn vị đang xử lý")).locator("dd")
    )


def check_control_sheet(page):
    """Form 06 on the dossier page: every step of the workflow, its unit, officer, and result."""
    sheet = page.get_by_role("region", name="Phiếu kiểm soát quá trình giải quyết")
    rows = sheet.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(len(CONTROL_SHEET))
    for i, (step, unit, result) in enumerate(CONTROL_SHEET):
        cells = rows.nth(i).get_by_role("cell")
        expect(cells.nth(0)).to_have_text(step)
        expect(cells.nth(1)).to_have_text(unit)
        expect(cells.nth(5)).not_to_have_text("—")  # finished
        expect(cells.nth(6)).to_contain_text(result)
    # The department's specialist handled the department's step.
    expect(rows.nth(2).get_by_role("cell").nth(2)).to_have_text("Chuyên viên – Sở Tư pháp")


# --- verification ------------------------------------------------------------------------------------------


def verdict(page):
    return page.get_by_role("region", name=re.compile(r"Xác thực|Không xác thực"))


def check_file(page, site, path):
    page.goto(f"{site}/xac-minh/")
    page.get_by_label("Hoặc kiểm tra chính tệp điện tử (PDF)").set_input_files(path)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    return verdict(page)


def tampered_copies(signed, tmp_path):
    """Two forgeries of a signed PDF: one byte changed inside the signed bytes, and an incremental update."""
    data = signed.read_bytes()
    first_range = [int(n) for n in re.search(rb"/ByteRange ?\[\s*(\d+) (\d+)", data).groups()]
    at = data.index(b"/Producer (") + len(b"/Producer (")
    assert first_range[0] <= at < first_range[1]  # inside what the signature covers
    edited = bytearray(data)
    edited[at] ^= 0x20  # a letter of the producer's name changes case
    one_byte = tmp_path / "ket-qua-sua-mot-byte.pdf"
    one_byte.write_bytes(bytes(edited))

    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_metadata({"/Subject": "Đã sửa sau khi ký"})
    out = io.BytesIO()
    writer.write(out)
    appended = tmp_path / "ket-qua-them-noi-dung.pdf"
    appended.write_bytes(out.getvalue())
    assert out.getvalue().startswith(data)  # the signed bytes stay as they were
    return one_byte, appended


# --- the journeys ------------------------------------------------------------------------------------------


def test_a_dossier_goes_through_two_agencies_to_a_signed_and_verified_result(
    browser, site, demo_pki, tmp_path
):
    pki.ensure_demo_certificate(Agency.objects.get(slug=COMMUNE_SLUG))
    people = People(browser, site)
    try:
        _the_journey(people, browser, site, tmp_path)
    finally:
        people.close()


def _the_journey(people, browser, site, tmp_path):
    citizen = people("congdan", phone=True, login_form=True)
    code = submit_marital_status(citizen, site)

    # The desk finds the new dossier and asks for the missing paper.
    desk = people(f"motcua.{COMMUNE_SLUG}", login_form=True)
    # Signed in, the desk lands on its queues, opened on the one where the new dossier waits; the header
    # offers an officer no citizen's items.
    expect(desk).to_have_url(f"{site}/mot-cua/")
    current = desk.get_by_role("navigation", name="Hàng đợi").locator('[aria-current="page"]')
    expect(current).to_have_text(re.compile(r"^Mới đăng ký 1$"))
    expect(desk.get_by_role("table", name="Mới đăng ký")).to_contain_text(code)
    header = desk.get_by_role("navigation", name="Tài khoản")
    expect(header.get_by_role("link", name="Hồ sơ của tôi")).to_have_count(0)
    expect(header.get_by_role("link", name="Kho dữ liệu của tôi")).to_have_count(0)
    open_from_queue(desk, site, "Mới đăng ký", code)
    expect(desk.get_by_role("region", name="Giấy tờ", exact=True)).to_contain_text("Chưa đính kèm tệp nào.")
    act(desk, "Yêu cầu bổ sung", papers=[ID_CARD], note=SUPPLEMENT_REASON, status="Yêu cầu bổ sung")
    expect(desk.get_by_role("link", name="Phiếu yêu cầu bổ sung (mẫu 02)")).to_be_visible()
    open_queue(desk, site, "Chờ bổ sung")
    expect(desk.get_by_role("link", name=code)).to_be_visible()

    supply_the_paper(citizen, code, tmp_path)

    # Back in the desk's new dossiers, with the paper: received.
    open_from_queue(desk, site, "Mới đăng ký", code)
    expect(desk.get_by_role("region", name="Giấy tờ", exact=True)).to_contain_text(ID_CARD)
    act(desk, "Tiếp nhận", status="Được tiếp nhận")
    expect(held_by(desk)).to_contain_text("Công chức tư pháp - hộ tịch xã kiểm tra")

    # The commune leader finds it waiting for an assignment and gives it to the commune's specialist.
    leader = people(f"lanhdao.{COMMUNE_SLUG}")
    open_from_queue(leader, site, "Chờ phân công", code)
    act(leader, "Phân công", assignee=f"chuyenvien.{COMMUNE_SLUG}", status="Đang xử lý")

    specialist = people(f"chuyenvien.{COMMUNE_SLUG}")
    open_from_queue(specialist, site, "Được giao cho tôi", code)
    act(specialist, "Chuyển xử lý", note="Đề nghị Sở Tư pháp xác minh nơi cư trú trước.")
    expect(held_by(specialist)).to_contain_text(DEPARTMENT)
    expect(actions(specialist)).to_contain_text("Hiện ông/bà không có thao tác nào với hồ sơ này.")

    # At Sở Tư pháp: its leader assigns, its specialist proposes the result to the commune.
    department_leader = people("lanhdao.so-tu-phap")
    open_from_queue(department_leader, site, "Chờ phân công", code)
    act(department_leader, "Phân công", assignee="chuyenvien.so-tu-phap")
    department_specialist = people("chuyenvien.so-tu-phap")
    open_from_queue(department_specialist, site, "Được giao cho tôi", code)
    act(
        department_specialist, "Trình kết quả", note="Đã xác minh: chưa đăng ký kết hôn tại nơi cư trú trước."
    )
    expect(held_by(department_specialist)).to_contain_text(f"{COMMUNE} · Chủ tịch UBND xã ký")

    # Back at the commune: the leader approves and signs, the records office numbers, the desk returns.
    open_from_queue(leader, site, "Chờ đơn vị xử lý", code)
    approve_and_sign(leader, code, note="Đồng ý cấp Giấy xác nhận tình trạng hôn nhân.")
    number = Dossier.objects.get(code=code).result_number
    assert re.fullmatch(r"\d+/\d{4}", number), number
    expect(leader.get_by_role("link", name=f"Kết quả đã ký số {number}")).to_be_visible()

    records = people(f"vanthu.{COMMUNE_SLUG}")
    open_from_queue(records, site, "Chờ đơn vị xử lý", code)
    expect(actions(records).get_by_label("Số vào sổ")).to_have_value(number)
    act(records, "Vào số, đóng dấu", status="Đã xử lý xong")

    # The result waits for the desk to hand it over; an online dossier is returned online by default.
    open_from_queue(desk, site, "Chờ đơn vị xử lý", code)
    expect(actions(desk).get_by_label("Hình thức trả")).to_have_value("online")
    act(desk, "Trả kết quả", status="Đã trả kết quả")
    check_control_sheet(desk)
    expect(actions(desk)).to_contain_text("Hiện ông/bà không có thao tác nào với hồ sơ này.")

    # An officer of another commune: "not found", for the page and its slips alike.
    stranger = people("motcua.ubnd-xa-dong-son")
    for path in (f"/mot-cua/ho-so/{code}/", f"/mot-cua/ho-so/{code}/phieu/control_sheet/"):
        response = stranger.goto(f"{site}{path}")
        assert response.status == 404, path
        expect(stranger.get_by_role("heading", level=1)).to_have_text(
            "Rất tiếc, chúng tôi không tìm thấy trang này"
        )

    # The citizen downloads the signed result from the dossier page.
    open_my_dossier(citizen, code, "Đã trả kết quả")
    documents = citizen.get_by_role("region", name="Văn bản của cơ quan")
    expect(documents).to_contain_text(f"số {number}")
    result = download(
        citizen,
        documents.get_by_role("link", name="Kết quả giải quyết có chữ ký số (PDF)"),
        tmp_path,
        f"ket-qua-{code}.pdf",
    )
    no_sideways_scroll(citizen)
    text = pdf_text(result)
    assert "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN" in text.upper() and "Nguyễn Văn An" in text, text
    verification_code = re.search(r"Mã xác minh: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", text).group(1)
    assert documents.get_by_role("link", name="kiểm tra tính xác thực").get_attribute("href") == (
        f"/xac-minh/{verification_code}/"
    )

    # Anyone, on a phone, checks it: by its code, by the file, and two forgeries.
    with anonymous_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as visitor:
        visitor.goto(f"{site}/xac-minh/{verification_code}/")
        found = verdict(visitor)
        expect(found.get_by_role("heading")).to_have_text("✔ Xác thực")
        expect(found).to_contain_text(f"Giấy xác nhận tình trạng hôn nhân · Số {number}")
        expect(found).to_contain_text(COMMUNE)
        expect(found).not_to_contain_text("030090012345")  # never the applicant's data
        no_sideways_scroll(visitor)

        checked = check_file(visitor, site, result)
        expect(checked.get_by_role("heading")).to_have_text("✔ Xác thực")
        expect(checked).to_contain_text("không bị thay đổi kể từ khi ký")
        no_sideways_scroll(visitor)

        one_byte, appended = tampered_copies(result, tmp_path)
        checked = check_file(visitor, site, one_byte)
        expect(checked.get_by_role("heading")).to_have_text("✘ Không xác thực")
        expect(checked).to_contain_text("Đã bị sửa đổi: nội dung được ký không khớp với chữ ký số")
        checked = check_file(visitor, site, appended)
        expect(checked.get_by_role("heading")).to_have_text("✘ Không xác thực")
        expect(checked).to_contain_text("tệp đã bị thêm nội dung sau khi ký")
        no_sideways_scroll(visitor)


def make_late(dossier: Dossier) -> None:
    """Move the due date an hour into the past, then run the deadline watch as the scheduler does."""
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - timedelta(hours=1))
    result = deadline_watch.watch()
    assert dossier.code in result.overdue and dossier.code in result.apologies, result


def test_a_late_dossier_gets_an_apology_letter(browser, site, tmp_path):
    desk = User.objects.get(username=f"motcua.{COMMUNE_SLUG}")
    dossier = services.receive(send_marital_status("congdan"), by=desk)
    make_late(dossier)
    mail.outbox.clear()

    people = People(browser, site)
    try:
        leader = people(f"lanhdao.{COMMUNE_SLUG}")
        open_queue(leader, site, "Quá hạn")
        row = leader.get_by_role("row").filter(has_text=dossier.code)
        expect(row.locator("time.text-danger")).to_be_visible()  # the due date is shown as passed
        row.get_by_role("link", name=dossier.code).click()

        letter = leader.get_by_role("region", name="Hồ sơ trễ hạn: thư xin lỗi cần gửi")
        new_date = letter.get_by_label("Ngày hẹn trả mới").input_value()
        assert new_date > timezone.localtime().strftime("%Y-%m-%dT%H:%M"), new_date  # suggested, ahead
        reason = "Sở Tư pháp cần thêm thời gian xác minh nơi cư trú trước của người yêu cầu."
        letter.get_by_label("Lý do chậm trễ (người nộp sẽ đọc)").fill(reason)
        letter.get_by_role("button", name="Gửi thư xin lỗi").click()
        expect(leader.get_by_role("status")).to_have_text("Đã gửi thư xin lỗi đến người nộp.")
        expect(letter).to_have_count(0)
        expect(leader.get_by_role("link", name="Phiếu xin lỗi và hẹn lại (mẫu 04)")).to_be_visible()

        # Online applicants get it by e-mail too.
        sent = [m for m in mail.outbox if "congdan@example.com" in m.to]
        assert sent and any(name.endswith(".pdf") for name, *_ in sent[-1].attachments), sent

        citizen = people("congdan", phone=True)
        open_my_dossier(citizen, dossier.code, "Được tiếp nhận")
        documents = citizen.get_by_role("region", name="Văn bản của cơ quan")
        pdf = download(
            citizen,
            documents.get_by_role("link", name="Phiếu xin lỗi và hẹn lại (mẫu 04)"),
            tmp_path,
            f"phieu-xin-loi-hen-lai-{dossier.code}.pdf",
        )
        text = pdf_text(pdf)
        assert reason in re.sub(r"\s+", " ", text), text
        day = new_date[:10].split("-")
        assert "/".join(reversed(day)) in text, (new_date, text)
        no_sideways_scroll(citizen)
    finally:
        people.close()
