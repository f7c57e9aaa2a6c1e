"""Screenshots of the catalogue, of the citizen's submission journey, of the statistics, petitions and
dialogue sessions for the README, on the demo data.

Not a test module (pytest collects only ``test_*.py`` from ``e2e/``): run it by name when the pages change,
look at every picture, then commit the ones that are right::

    .venv/bin/python -m pytest e2e/screenshots.py -q

It writes PNG files to ``docs/screenshots/`` (``MOTCUA_SCREENSHOTS_DIR`` to write elsewhere) in the same
way as the catalogue's: a 360 px phone and a 1280 px desktop at device scale 1, the page from its top,
cut at a height that keeps the files small.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.test_stats_journey import busy_year
from e2e.test_submission_journey import (
    AGENCY,
    CONTINUE,
    DEMO_PASSWORD,
    MOTHER,
    TO_REVIEW,
    WRONG_MOTHER_ID,
    anonymous_page,
    attach_papers,
    check_dossier_page,
    error_summary,
    fill_child,
    fill_mother,
    fill_requester,
    open_online_submission,
    press,
    sign_in,
    small_pdf,
    start_dossier,
    track,
)

OUT = Path(
    os.environ.get("MOTCUA_SCREENSHOTS_DIR") or Path(__file__).resolve().parent.parent / "docs/screenshots"
)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def shot(page, name: str, max_height: int) -> Path:
    """The page from its top, as tall as it is but at most ``max_height`` CSS pixels."""
    OUT.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
    path = OUT / f"{name}.png"
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    return path


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP, device_scale_factor=1)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_screenshots_of_the_submission_journey(phone, desktop, browser, site, tmp_path):
    # On the phone: the demo citizen fills in the birth registration and mistypes the mother's ID.
    open_online_submission(phone, site)
    sign_in(phone, "congdan", DEMO_PASSWORD)
    start_dossier(phone)
    fill_requester(phone, full_name="Nguyễn Văn An", personal_id="030090012345", relationship="Cha")
    press(phone, CONTINUE)
    fill_child(phone)
    press(phone, CONTINUE)
    fill_mother(phone, personal_id=WRONG_MOTHER_ID)
    press(phone, CONTINUE)
    expect(error_summary(phone)).to_be_visible()
    shot(phone, "form-error-phone", 1600)

    phone.get_by_role("group", name="Thông tin người mẹ").get_by_label("Số định danh cá nhân").fill(
        MOTHER["personal_id"]
    )
    press(phone, CONTINUE)
    attach_papers(phone, small_pdf(tmp_path / "giay-chung-sinh.pdf"))
    press(phone, TO_REVIEW)
    expect(phone).to_have_url(re.compile(r"/xem-lai/#top$"))
    shot(phone, "review-phone", 2000)

    # The same review on a desktop (the citizen's session), then the sent dossier.
    desktop.context.add_cookies(phone.context.cookies())
    desktop.goto(phone.url)
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("Kiểm tra và nộp")
    shot(desktop, "review-desktop", 2600)
    desktop.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    dossier = check_dossier_page(desktop)
    shot(desktop, "dossier-desktop", 1400)
    phone.goto(desktop.url)
    expect(phone.get_by_role("link", name="Tải giấy tiếp nhận (PDF)")).to_be_visible()
    shot(phone, "dossier-phone", 1200)

    # A second, unfinished draft, so that "My dossiers" shows both kinds.
    open_online_submission(phone, site)
    phone.get_by_label("Cơ quan tiếp nhận hồ sơ").select_option(label=AGENCY)
    phone.get_by_role("button", name="Bắt đầu điền tờ khai").click()
    press(phone, "Lưu nháp")
    phone.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Hồ sơ của tôi").click()
    expect(phone.locator(".dossier-list li")).to_have_count(2)
    shot(phone, "my-dossiers-phone", 1400)

    with anonymous_page(
        browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
    ) as stranger:
        track(stranger, site, dossier, ["Nguyễn Văn An", "030090012345"])
        shot(stranger, "tracking-phone", 1400)


CATALOGUE = [  # (name, path, max height on the phone, on the desktop)
    ("home", "/", 1400, 1100),
    ("search", "/thu-tuc/?q=dang+ky+khai+sinh", 1600, 1300),
    ("procedure", "/thu-tuc/1.001193/", 2200, 2000),
    ("agencies", "/co-quan/", 1400, 1200),
]


def test_screenshots_of_the_catalogue(phone, desktop, site):
    for name, path, phone_height, desktop_height in CATALOGUE:
        for page, kind, height in ((phone, "phone", phone_height), (desktop, "desktop", desktop_height)):
            page.goto(site + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            shot(page, f"{name}-{kind}", height)


def test_screenshots_of_the_statistics(phone, desktop, site):
    busy_year()  # a few dossiers of Xã Tân Phong, so that the figures are not all zero
    for page, kind, height in ((phone, "phone", 2400), (desktop, "desktop", 1700)):
        page.goto(site + "/thong-ke/")
        expect(page.locator(".stats-sentence")).to_be_visible()
        shot(page, f"thong-ke-{kind}", height)


def test_screenshots_of_what_citizens_say(phone, desktop, site):
    """Petitions' published answers, the dialogue sessions, and the demo's finished session's transcript."""
    from motcua.engagement.models import DialogueSession
    from motcua.engagement.selectors import dialogues

    finished = dialogues.public_sessions("finished").first()
    assert isinstance(finished, DialogueSession), "load_demo holds a finished dialogue session"
    for page, kind, height in ((phone, "phone", 1600), (desktop, "desktop", 1400)):
        page.goto(site + "/phan-anh-kien-nghi/")
        shot(page, f"phan-anh-{kind}", height)
        page.goto(site + "/doi-thoai/")
        shot(page, f"doi-thoai-{kind}", height)
        page.goto(f"{site}/doi-thoai/{finished.pk}/#dialogue-live")
        shot(page, f"doi-thoai-bien-ban-{kind}", height + 600)
