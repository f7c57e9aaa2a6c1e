"""A draft left and reopened (issue 9): the error summary takes the focus (and, without JavaScript, the
browser lands on it); the draft reopens at the step where the citizen stopped; the step indicator goes
back to the steps reached, never ahead; the review page changes one step at a time."""

import re

from playwright.sync_api import expect

from .test_submission_journey import (
    CONTINUE,
    DEMO_PASSWORD,
    MOTHER,
    WRONG_MOTHER_ID,
    error_summary,
    fill_child,
    fill_mother,
    fill_requester,
    open_online_submission,
    press,
    sign_in,
    start_dossier,
    step_title,
)

SAVE = "Lưu nháp"


def steps_nav(page):
    return page.get_by_role("navigation", name="Các bước của biểu mẫu")


def test_a_draft_reopens_where_the_citizen_stopped_and_errors_take_the_focus(page, browser, site):
    open_online_submission(page, site)
    sign_in(page, "congdan", DEMO_PASSWORD)
    start_dossier(page)

    # Step 1 without the relationship: the summary has the focus and the address points at it.
    fill_requester(page, full_name="Nguyễn Văn An", personal_id="030090012345", relationship=None)
    expect(steps_nav(page).get_by_role("button")).to_have_count(0)  # nothing reached yet
    press(page, CONTINUE)
    expect(error_summary(page)).to_be_focused()
    expect(page).to_have_url(re.compile(r"/soan/#error-summary$"))
    page.get_by_label("Quan hệ với người được đăng ký").select_option(label="Cha")
    press(page, CONTINUE)
    fill_child(page)
    press(page, CONTINUE)
    fill_mother(page, personal_id=MOTHER["personal_id"])
    press(page, SAVE)
    expect(page.get_by_role("status")).to_contain_text("Đã lưu bản nháp")

    # The steps reached are offered, the step not reached is not.
    nav = steps_nav(page)
    for reached in ("Người yêu cầu", "Người được khai sinh"):
        expect(nav.get_by_role("button", name=reached)).to_be_visible()
    expect(nav.get_by_role("button", name="Giấy tờ và cam đoan")).to_have_count(0)
    expect(nav.locator('[aria-current="step"]')).to_have_text("Cha, mẹ")

    # Later, from "My dossiers": the draft opens at step 3, where it was left.
    page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Hồ sơ của tôi").click()
    page.get_by_role("link", name="Bản nháp (chưa nộp)").click()
    expect(step_title(page)).to_have_text("Bước 3/4: Cha, mẹ")
    edit_url = page.url

    # The indicator goes back to step 1, and forward again to step 3 (reached before).
    steps_nav(page).get_by_role("button", name="Người yêu cầu").click()
    expect(step_title(page)).to_have_text("Bước 1/4: Người yêu cầu")
    steps_nav(page).get_by_role("button", name="Cha, mẹ").click()
    expect(step_title(page)).to_have_text("Bước 3/4: Cha, mẹ")

    # Without JavaScript the browser scrolls to the summary: the address's fragment names it.
    context = browser.new_context(
        locale="vi-VN",
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
        viewport={"width": 360, "height": 640},
    )
    try:
        plain = context.new_page()
        plain.goto(edit_url)
        expect(step_title(plain)).to_have_text("Bước 3/4: Cha, mẹ")
        mother_id = plain.get_by_role("group", name="Thông tin người mẹ").get_by_label("Số định danh cá nhân")
        mother_id.fill(WRONG_MOTHER_ID)
        press(plain, CONTINUE)
        expect(plain).to_have_url(re.compile(r"/soan/#error-summary$"))
        summary = error_summary(plain)
        expect(summary).to_be_in_viewport()
        # The browser scrolls the summary to the top of the screen, once the page is laid out.
        # (wait_for_function polls with the page's own JavaScript, which is off here.)
        top = "document.getElementById('error-summary').getBoundingClientRect().top"
        for _ in range(50):
            if abs(plain.evaluate(top)) < 2:
                break
            plain.wait_for_timeout(100)
        assert abs(plain.evaluate(top)) < 2 and plain.evaluate("window.scrollY") > 0
    finally:
        context.close()
