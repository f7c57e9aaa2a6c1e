"""The address field in a real browser (issue 9): province and commune are selects; with JavaScript the
commune list follows the province at once (our static script); without it, a button reloads the page and
lands on the commune field. "Xã Tân Phong" chosen either way passes the step."""

import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure
from motcua.dossiers import services

from .test_backoffice_journey import session_cookie

COMMUNE_ID = "f-requester-residence-commune"


def open_draft(browser, site, *, javascript: bool):
    procedure = Procedure.objects.get(code="1.001193")
    agency = Agency.objects.get(name="Ủy ban nhân dân xã Tân Phong")
    draft = services.create_draft(
        procedure=procedure, applicant=User.objects.get(username="congdan"), agency=agency
    )
    context = browser.new_context(locale="vi-VN", java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    context.add_cookies([session_cookie("congdan", site)])
    page = context.new_page()
    page.goto(f"{site}/ho-so/{draft.uuid}/soan/")
    return context, page, page.get_by_role("group", name="Nơi cư trú")


def relationship_and_continue(page):
    page.get_by_label("Quan hệ với người được đăng ký").select_option(label="Cha")
    page.get_by_role("main").locator(".form-nav").get_by_role("button", name="Tiếp tục", exact=True).click()
    expect(page.locator(".form-step-title")).to_have_text("Bước 2/4: Người được khai sinh")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_commune_is_chosen_from_a_list_that_follows_the_province(browser, site, javascript):
    context, page, address = open_draft(browser, site, javascript=javascript)
    province = address.get_by_label("Tỉnh, thành phố")
    reload_button = address.get_by_role("button", name="Hiện danh sách xã, phường của tỉnh đã chọn")
    commune = address.get_by_label("Xã, phường, đặc khu")
    province.select_option(label="Thành phố Hà Nội")
    if javascript:
        expect(reload_button).to_be_hidden()
        expect(commune).to_have_js_property("tagName", "INPUT")  # Hà Nội's communes are typed in
    else:
        reload_button.click()
        # The reload comes back to the field, not to the top of the page.
        expect(page).to_have_url(re.compile(rf"#{COMMUNE_ID}$"))
        expect(commune).to_be_in_viewport()
    province.select_option(label="Tỉnh Hải Đông")
    if not javascript:
        reload_button.click()
    expect(commune.locator("option", has_text="Xã Tân Phong")).to_have_count(1)
    commune.select_option(label="Xã Tân Phong")
    address.get_by_label("Số nhà, đường phố, thôn, xóm").fill("Thôn Tân Lập")
    relationship_and_continue(page)
    context.close()
