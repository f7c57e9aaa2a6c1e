"""Journey 4 (issue 10): full online (dịch vụ công trực tuyến toàn trình) in a browser.

The demo citizen sends 2.000635 (copies of a civil-status extract, 8.000 đ per copy, a generic form) to Xã
Tân Phong asking for the result by post, sees the total before sending, and pays fee and postage through the
sandbox gateway; the desk could not receive the dossier before. The officers take it to its signed result,
the sandbox post office delivers the parcel, which returns the dossier, and the citizen finds the result and
the e-receipt in the document store. A second dossier is paid by VietQR: the finance officer imports the
bank statement that shows the transfer, and the payment is paid.

The gateway's IPN and the post's notices are real HTTP calls to the live server (the tasks that make them
run there, in the request's thread after its commit: ``MOTCUA_TASKS=eager``).
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_backoffice_journey import (
    COMMUNE,
    COMMUNE_SLUG,
    People,
    act,
    actions,
    open_from_queue,
    open_my_dossier,
    status_badge,
)
from e2e.test_submission_journey import small_pdf
from motcua.catalog.models import Agency
from motcua.documents import pki
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.payments import selectors as payments
from motcua.payments import services as payment_services
from motcua.payments.models import GatewayAccount, PaymentState

PROCEDURE = "2.000635"
FEE, POSTAGE = 8_000, 25_000  # one copy; the seeded tariff within the province
ID_CARD = "Hộ chiếu, thẻ căn cước công dân, thẻ căn cước hoặc căn cước điện tử của người yêu cầu"
RECEIPT = "Biên lai"
ACCOUNT_NAME = "UBND XA TAN PHONG"
REQUEST_FORM = "Tờ khai đề nghị cấp bản sao Trích lục hộ tịch theo mẫu"
STAFF = ("motcua", "lanhdao", "chuyenvien", "vanthu", "ketoan")  # desk, leader, specialist, records, finance


@pytest.fixture
def online(settings, site, demo_pki):
    """Gateway and post office are the sandboxes, calling back this live server; Xã Tân Phong also collects
    by VietQR transfer to its account, and signs results and receipts."""
    settings.MOTCUA_PUBLIC_URL = site
    settings.MOTCUA_PAYMENT_SANDBOX = True
    settings.MOTCUA_PAYMENT_SANDBOX_IPN_URL = f"{site}/thanh-toan/sandbox/ipn/"
    settings.MOTCUA_POSTAL_SANDBOX = True
    settings.MOTCUA_POSTAL_SERVICE = "sandbox"
    settings.MOTCUA_POSTAL_SANDBOX_URL = site
    agency = Agency.objects.get(slug=COMMUNE_SLUG)
    pki.ensure_demo_certificate(agency)
    payment_services.save_gateway_account(
        GatewayAccount(
            agency=agency,
            gateway="vietqr",
            config={"bank_bin": "970436", "account_number": "0011004455667", "account_name": ACCOUNT_NAME},
        )
    )
    return site


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


# --- the citizen -------------------------------------------------------------------------------------------


def send_by_post(page, site, tmp_path, request_text) -> str:
    """The generic form of 2.000635, the review page with delivery by post and its total, then sent."""
    page.goto(f"{site}/thu-tuc/{PROCEDURE}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Cơ quan tiếp nhận hồ sơ").select_option(label=COMMUNE)
    page.get_by_role("button", name="Bắt đầu điền tờ khai").click()
    expect(page.get_by_text(f"Cơ quan tiếp nhận: {COMMUNE}")).to_be_visible()

    declarant = page.get_by_role("group", name="Người nộp hồ sơ")
    expect(declarant.get_by_label("Họ, chữ đệm và tên")).to_have_value("Nguyễn Văn An")
    residence = declarant.get_by_role("group", name="Nơi cư trú")
    residence.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Hải Đông")
    residence.get_by_label("Xã, phường, đặc khu").select_option(label="Xã Tân Phong")
    residence.get_by_label("Số nhà, đường phố, thôn, xóm").fill("Thôn Tân Lập")
    page.get_by_role("button", name="Tiếp tục", exact=True).click()
    page.get_by_label(re.compile(r"^Nội dung yêu cầu")).fill(request_text)
    page.get_by_role("button", name="Tiếp tục", exact=True).click()
    page.get_by_label(re.compile(rf"^{re.escape(REQUEST_FORM)}")).set_input_files(
        small_pdf(tmp_path / "to-khai.pdf")
    )
    page.get_by_label(re.compile(rf"^{re.escape(ID_CARD)}")).set_input_files(small_pdf(tmp_path / "cccd.pdf"))
    page.get_by_role("button", name="Xem lại và nộp").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Kiểm tra và nộp")
    expect(page.get_by_role("region", name="Phí, lệ phí", exact=True)).to_contain_text(vnd(FEE))
    delivery = page.get_by_role("group", name="Nhận kết quả")
    delivery.get_by_label(re.compile(r"^Qua dịch vụ bưu chính công ích")).check()
    delivery.get_by_label("Họ tên người nhận").fill("Nguyễn Văn An")
    delivery.get_by_label("Số điện thoại người nhận").fill("0912345678")
    delivery.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Hải Đông")
    delivery.get_by_label("Xã, phường, đặc khu").fill("Xã Tân Phong")
    delivery.get_by_label("Số nhà, đường phố, thôn, xóm").fill("Thôn Tân Lập")
    page.get_by_role("button", name="Tính lại tổng số tiền").click()
    expect(page.locator("#amount-due")).to_contain_text(vnd(FEE + POSTAGE))
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.locator(".status-badge")).to_have_text("Mới đăng ký")
    return re.search(r"/ho-so/([^/#]+)/(#.*)?$", page.url).group(1)


def checkout(page, total, gateway):
    """From the dossier page: the pay button, then the checkout with one of the agency's gateways."""
    page.get_by_role("link", name=f"Thanh toán trực tuyến {vnd(total)} đ").click()
    page.get_by_label(gateway).check()
    page.get_by_role("button", name=re.compile(r"^Thanh toán")).click()


# --- the journey -------------------------------------------------------------------------------------------


def test_sent_by_post_paid_online_decided_delivered_and_kept(browser, online, tmp_path):
    site = online
    people = People(browser, site)
    try:
        _the_journey(people, site, tmp_path)
    finally:
        people.close()


def _the_journey(people, site, tmp_path):
    # Every session is made before any page is busy: the live server's in-memory SQLite refuses the test
    # thread's write ("database table is locked") while a page, a paper's preview, is being served.
    citizen, desk, leader, specialist, records, finance = (
        people(name) for name in ("congdan", *(f"{role}.{COMMUNE_SLUG}" for role in STAFF))
    )
    code = send_by_post(citizen, site, tmp_path, "Cấp 01 bản sao Giấy khai sinh.")

    # The fee comes first: the desk sees why it cannot receive yet.
    open_from_queue(desk, site, "Mới đăng ký", code)
    expect(desk.get_by_text("Chờ nộp phí")).to_be_visible()
    receive = actions(desk).get_by_role("group", name="Tiếp nhận", exact=True)
    receive.get_by_role("button", name="Tiếp nhận", exact=True).click()
    expect(desk.get_by_role("alert")).to_contain_text("Chờ nộp phí: thủ tục này thu phí, lệ phí trước khi")
    expect(status_badge(desk)).to_have_text("Mới đăng ký")

    # Fee and postage in one payment, through the sandbox gateway; the IPN reaches the live server.
    checkout(citizen, FEE + POSTAGE, "Cổng thanh toán thử nghiệm (không thu tiền thật)")
    expect(citizen.locator("#amount")).to_contain_text(vnd(FEE + POSTAGE))
    citizen.get_by_role("button", name="Thanh toán thành công").click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(f"Mã hồ sơ {code}")
    citizen.wait_for_load_state("networkidle")
    payment = payments.payments_of(Dossier.objects.get(code=code)).get()
    assert payment.state == PaymentState.PAID and payment.amount == FEE + POSTAGE

    # Received, assigned, proposed, approved and signed, numbered: the parcel is booked with the post.
    desk.reload()
    act(desk, "Tiếp nhận", status="Được tiếp nhận")
    open_from_queue(leader, site, "Chờ phân công", code)
    act(leader, "Phân công", assignee=f"chuyenvien.{COMMUNE_SLUG}", status="Đang xử lý")
    open_from_queue(specialist, site, "Được giao cho tôi", code)
    act(specialist, "Trình kết quả", note="Đã tra cứu Sổ hộ tịch.")
    open_from_queue(leader, site, "Chờ đơn vị xử lý", code)
    actions(leader).get_by_role("link", name="Xem dự thảo kết quả và ký").click()
    leader.get_by_role("region", name="Phê duyệt và ký").get_by_role("button", name="Phê duyệt và ký").click()
    expect(leader.get_by_role("status").filter(has_text="Đã thực hiện")).to_be_visible(timeout=30_000)
    open_from_queue(records, site, "Chờ đơn vị xử lý", code)
    act(records, "Vào số, đóng dấu", status="Đã xử lý xong")

    # The post office delivers the parcel; its signed notice returns the dossier.
    # (The sandbox's page stands for the carrier's own system; the citizen's browser opens it.)
    citizen.goto(f"{site}/buu-chinh/sandbox/")
    parcel = citizen.get_by_role("region").filter(has_text="Nguyễn Văn An")
    with citizen.expect_navigation():
        parcel.get_by_role("button", name="Đã phát thành công").click()
    citizen.wait_for_load_state("networkidle")
    assert Dossier.objects.get(code=code).status == DossierStatus.RETURNED
    open_my_dossier(citizen, code, "Đã trả kết quả")

    # The citizen's document store keeps the signed result and the e-receipt.
    citizen.goto(f"{site}/kho-du-lieu/")
    store = citizen.get_by_role("main")
    result = store.get_by_role("listitem").filter(has_text="Văn bản kết quả giải quyết")
    expect(result).to_contain_text(f"Hồ sơ {code}")
    expect(result.get_by_role("link", name="Tải về (PDF)")).to_be_visible()
    receipt = store.get_by_role("listitem").filter(has_text=RECEIPT)
    expect(receipt).to_contain_text(f"Hồ sơ {code}")

    # A second dossier, paid by VietQR transfer; the finance officer imports the statement that shows it.
    second = send_by_post(citizen, site, tmp_path, "Cấp 01 bản sao Trích lục kết hôn.")
    checkout(citizen, FEE + POSTAGE, "Chuyển khoản ngân hàng (VietQR)")
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Thanh toán bằng chuyển khoản (VietQR)")
    citizen.wait_for_load_state("networkidle")
    transfer = payments.payments_of(Dossier.objects.get(code=second)).get()
    expect(citizen.get_by_role("main")).to_contain_text(transfer.reference)
    statement = tmp_path / "sao-ke.csv"
    statement.write_text(
        "Ngày giao dịch,Số tiền ghi có,Nội dung,Số tham chiếu\n"
        f"{transfer.created_at:%d/%m/%Y},{FEE + POSTAGE},CK {transfer.reference} NGUYEN VAN AN,FT001\n",
        encoding="utf-8",
    )
    finance.goto(f"{site}/mot-cua/thanh-toan/")
    finance.get_by_label("Tệp sao kê").set_input_files(statement)
    finance.get_by_role("button", name="Nhập", exact=True).click()
    expect(finance.get_by_role("region", name="Đã nhập sao kê: sao-ke.csv")).to_contain_text(
        "1 khoản được ghi nhận lần này"
    )
    listed = finance.get_by_role("table", name="Thanh toán").get_by_role("row")
    expect(listed.filter(has_text=transfer.reference)).to_contain_text("Đã thanh toán")
    transfer.refresh_from_db()
    assert transfer.state == PaymentState.PAID
    citizen.reload()
    expect(citizen.get_by_role("main")).to_contain_text("Đã nhận được khoản thanh toán này")
