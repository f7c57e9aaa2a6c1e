"""The pages the journeys do not pass through, visited once each so that axe-core checks them too (at 1280
and 360 px, see ``accessibility.py``): the public pages, the same in English, and a citizen's own pages with
an unread message (its "Mark all as read" button is a .btn-outline-primary)."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from motcua.notifications import services as notifications

PUBLIC = [
    "/",
    "/thu-tuc/1.001193/",
    "/co-quan/",
    "/co-quan/so-tu-phap/",
    "/linh-vuc/",
    "/linh-vuc/ho-tich/",
    "/tra-cuu/",
    "/phan-anh-kien-nghi/",
    "/phan-anh-kien-nghi/gui/",
    "/phan-anh-kien-nghi/tra-cuu/",
    "/xac-minh/",
    "/tai-khoan/dang-nhap/",
    "/tai-khoan/dang-ky/",
    "/tai-khoan/dang-ky/cong-dan/",
    "/tai-khoan/mat-khau/quen/",
]
CITIZEN = [
    "/tai-khoan/",
    "/thong-bao/",
    "/kho-du-lieu/",
    "/ho-so/",
    "/phan-anh-kien-nghi/cua-toi/",
    "/tai-khoan/lien-he/",
]


def visit(page, site, path):
    response = page.goto(site + path)
    assert response and response.status == 200, path
    expect(page.locator("main")).to_be_visible()


def test_the_public_pages_in_vietnamese_and_in_english(page, site):
    for path in PUBLIC:
        visit(page, site, path)
    page.goto(f"{site}/ngon-ngu/en/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for path in PUBLIC[:6]:
        visit(page, site, path)


def test_a_citizens_own_pages(page, site):
    citizen = get_user_model().objects.get(username="congdan")
    notifications.notify(
        topic="dossier.status_changed",
        template="dossier_status_changed",
        context={
            "code": "X-1",
            "procedure_name": "Thủ tục đăng ký khai sinh",
            "status_label": "Đã tiếp nhận",
        },
        recipient=citizen,
        link="/ho-so/",
        channels=["in_app"],
    )
    visit(page, site, "/tai-khoan/dang-nhap/")
    form = page.get_by_role("main")
    form.get_by_label("Số định danh cá nhân, mã số thuế hoặc tên đăng nhập").fill("congdan")
    form.get_by_label("Mật khẩu").fill("Demo@12345")
    form.get_by_role("button", name="Đăng nhập").click()
    expect(
        page.get_by_role("navigation", name="Tài khoản").get_by_role("button", name="Đăng xuất")
    ).to_be_visible()
    for path in CITIZEN:
        visit(page, site, path)
        if path == "/thong-bao/":
            expect(page.get_by_role("button", name="Đánh dấu tất cả là đã đọc")).to_be_visible()
