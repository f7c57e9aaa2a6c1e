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
