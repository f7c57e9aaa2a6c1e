"""Journey (issue 12): a session runs live. A viewer keeps the session's page open on a phone, signed out;
in other browsers the moderator approves a question and gives it to the director, who answers it; the
answer appears on the viewer's page without a reload (server-sent events from the live service, here
uvicorn on its own port as ``make run`` serves it), and a screen reader hears that it came. Every page is
checked by axe-core (``e2e/conftest.py``)."""

import threading
import time

import pytest
from playwright.sync_api import expect

from e2e.conftest import PHONE
from e2e.test_backoffice_journey import People
from e2e.test_dialogue_journey import LEADER, MODERATOR, live_session
from e2e.test_submission_journey import no_sideways_scroll
from motcua.accounts.models import User
from motcua.engagement.models import QuestionStatus
from motcua.engagement.services import dialogues as services

ANSWER = "Được miễn giấy phép khi sửa chữa bên trong nhà mà không thay đổi kết cấu chịu lực, công năng."


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_streams(site, settings):
    """The live service on loopback, as ``make run`` starts it beside the site, for this journey only."""
    import uvicorn

    from motcua.portal.live import build

    port = free_port()
    settings.MOTCUA_PUBLIC_URL = site
    settings.MOTCUA_LIVE_URL = f"http://127.0.0.1:{port}"
    settings.MOTCUA_LIVE_POLL_SECONDS = 0.2
    # The asyncio loop, not uvloop: uvloop would become the event loop policy of the whole test process.
    config = uvicorn.Config(build(), host="127.0.0.1", port=port, loop="asyncio", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-streams", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the live service did not start"
    yield settings.MOTCUA_LIVE_URL
    server.should_exit = True
    thread.join(10)


def test_the_answer_reaches_an_open_page_without_a_reload(browser, site, live_streams):
    session = live_session()
    question = services.ask_question(
        session, content="Sửa chữa bên trong nhà ở riêng lẻ có phải xin giấy phép xây dựng không?",
        name="Lê Thị Hoa, phường Hải An", phone="0987000111", client_ip="192.0.2.77",
    )  # fmt: skip
    people = People(browser, site)
    signed_out = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        viewer = signed_out.new_page()
        viewer.goto(f"{site}/doi-thoai/{session.pk}/")
        expect(viewer.locator("#dialogue-none")).to_be_visible()
        no_sideways_scroll(viewer)

        moderator = people(MODERATOR)
        moderator.goto(f"{site}/mot-cua/doi-thoai/{session.pk}/")
        approve = moderator.locator(f"#cau-hoi-{question.pk} form:has(input[name=action][value=approve])")
        approve.locator("select[name=leader]").select_option(str(User.objects.get(username=LEADER).pk))
        approve.locator("button[type=submit]").click()
        expect(moderator.locator(".alert-success, [role=status]").first).to_be_visible()

        leader = people(LEADER)
        leader.goto(f"{site}/mot-cua/doi-thoai/")
        leader.locator(f"main a[href$='#cau-hoi-{question.pk}']").click()
        answer = leader.locator(f"#cau-hoi-{question.pk} form:has(input[name=action][value=answer])")
        answer.locator("textarea[name=answer]").fill(ANSWER)
        answer.locator("button[type=submit]").click()
        question.refresh_from_db()
        assert question.status == QuestionStatus.ANSWERED

        # The viewer's page, never reloaded, shows it: the answer, the director's name, the announcement.
        arrived = viewer.locator(f"#dialogue-answers #cau-hoi-{question.pk}")
        expect(arrived).to_contain_text(ANSWER, timeout=10_000)
        expect(arrived).to_contain_text("Giám đốc Sở Xây dựng")
        expect(viewer.locator("#dialogue-none")).to_be_hidden()
        expect(viewer.locator("#dialogue-live-status")).not_to_be_empty()
        session.refresh_from_db()
        expect(viewer.locator("#dialogue-live")).to_have_attribute("data-revision", str(session.revision))
        no_sideways_scroll(viewer)
    finally:
        signed_out.close()
        people.close()
