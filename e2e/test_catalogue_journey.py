"""Journey 1: a citizen finds a procedure by typing without accents, opens it and downloads its form."""

import re

import pytest
from playwright.sync_api import expect


def find_and_download_birth_registration_form(page, site, tmp_path):
    page.goto(site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill("dang ky khai sinh")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+khai\+sinh"))
    first_result = page.locator(".procedure-item").first
    expect(first_result).to_contain_text("1.001193")
    expect(first_result).to_contain_text("đăng ký khai sinh")

    first_result.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/1\.001193/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("đăng ký khai sinh")

    download_link = page.locator("a.download-link").first
    expect(download_link).to_be_visible()
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    # A real Word document (a ZIP container), not an error page.
    assert saved.suffix == ".docx"
    assert saved.read_bytes()[:2] == b"PK"


def test_search_without_accents_open_and_download_a_form(page, site, tmp_path):
    find_and_download_birth_registration_form(page, site, tmp_path)


def test_the_same_journey_on_a_360_px_phone(phone_page, site, tmp_path):
    find_and_download_birth_registration_form(phone_page, site, tmp_path)
    # Nothing wider than the screen: no sideways scrolling on a small phone.
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


@pytest.mark.parametrize("path", ["/", "/thu-tuc/?q=ho+chieu", "/co-quan/", "/linh-vuc/"])
def test_main_pages_fit_a_360_px_phone(phone_page, site, path):
    phone_page.goto(site + path)
    expect(phone_page.locator("main")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_procedure_page_is_no_wider_than_a_360_px_phone(phone_page, site):
    # 1.001193 lists the contacts of nine communes, with e-mail addresses longer than the screen is wide.
    phone_page.goto(site + "/thu-tuc/1.001193/")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("đăng ký khai sinh")
    # A phone's layout viewport grows with the content, so innerWidth is no yardstick: the screen is.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    contacts = phone_page.locator("#contacts details")
    assert contacts.count() > 1
    expect(contacts.first).not_to_have_attribute("open", "")


def on_screen(page, locator) -> None:
    """The item is inside the 360 px screen and nothing (a clipping strip) hides it: no swipe needed."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    hit = locator.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return e.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }"
    )
    assert hit


def test_every_header_item_is_on_a_360_px_screen(phone_page, site):
    phone_page.goto(site + "/tai-khoan/dang-nhap/")
    form = phone_page.get_by_role("main")
    form.get_by_label("Số định danh cá nhân, mã số thuế hoặc tên đăng nhập").fill("congdan")
    form.get_by_label("Mật khẩu").fill("Demo@12345")
    form.get_by_role("button", name="Đăng nhập").click()
    account = phone_page.get_by_role("navigation", name="Tài khoản")
    expect(account.get_by_role("button", name="Đăng xuất")).to_be_visible()
    phone_page.goto(site + "/")
    for item in [*account.get_by_role("link").all(), account.get_by_role("button", name="Đăng xuất")]:
        on_screen(phone_page, item)
    for item in phone_page.get_by_role("navigation", name="Menu chính").get_by_role("link").all():
        on_screen(phone_page, item)
