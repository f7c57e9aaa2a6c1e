"""The public pages of online dialogue sessions: the lists (upcoming, live, finished) and the transcripts'
search, a session's page (its announcement, the question form while it takes questions, the answers, the
commitments, the live part's hook), asking (signed in or not, refusals on their fields, the rate limit),
nothing a visitor wrote rendered unescaped, no phone or internal reason shown, and English by the cookie."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from motcua.engagement.models import DialogueQuestion
from motcua.engagement.services import dialogues as services
from motcua.engagement.tests.dialogue_fixtures import ANSWER, QUESTION, ask, finish, make_session

pytestmark = pytest.mark.django_db
LIST = "/doi-thoai/"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def page_of(session) -> str:
    return f"/doi-thoai/{session.pk}/"


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_list_shows_live_upcoming_and_finished_sessions(
    client, live_session, upcoming_session, tree, dialogue_people
):
    draft = make_session(tree, dialogue_people, announced=False)
    draft.title = "Bản nháp chưa công bố"
    draft.save()

    html = client.get(LIST).content.decode()

    assert html.count(f'href="/doi-thoai/{live_session.pk}/"') >= 1
    assert f'href="/doi-thoai/{upcoming_session.pk}/"' in html
    assert "Bản nháp chưa công bố" not in html
    assert 'href="/doi-thoai/"' in html  # the site's navigation
    assert client.get(f"/doi-thoai/{draft.pk}/").status_code == 404


def test_a_visitor_asks_without_javascript_and_is_thanked(client, live_session):
    response = client.post(
        f"{page_of(live_session)}hoi/",
        {"content": QUESTION, "name": "Nguyễn Văn An, phường Hải An", "phone": "0987654321"},
    )
    assert response.status_code == 302 and response["Location"] == f"{page_of(live_session)}da-gui/"
    assert client.get(response["Location"]).status_code == 200
    question = DialogueQuestion.objects.get()
    assert (question.asker_name, question.asker_phone, question.status) == (
        "Nguyễn Văn An, phường Hải An",
        "0987654321",
        "pending",
    )
    # Someone else opening the thank-you page goes to the session.
    assert Client().get(f"{page_of(live_session)}da-gui/").status_code == 302


def test_a_refused_question_comes_back_with_messages_on_its_fields(client, live_session):
    english(client)
    response = client.post(f"{page_of(live_session)}hoi/", {"content": "Ngắn", "name": "", "phone": "123"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_content_error"' in html and 'id="id_name_error"' in html and 'id="id_phone_error"' in html
    assert "Enter a Vietnamese phone number" in html
    assert not DialogueQuestion.objects.exists()


def test_a_signed_in_citizen_asks_with_their_account(client, live_session, citizen):
    client.force_login(citizen)
    response = client.post(f"{page_of(live_session)}hoi/", {"content": QUESTION, "name": "", "phone": ""})
    assert response.status_code == 302
    assert DialogueQuestion.objects.get().asker == citizen


def test_too_many_questions_is_a_429_page(client, live_session, settings):
    settings.MOTCUA_DIALOGUE_QUESTION_RATE = 1
    body = {"content": QUESTION, "name": "Nguyễn Văn An", "phone": "0987654321"}
    client.post(f"{page_of(live_session)}hoi/", body)
    response = client.post(f"{page_of(live_session)}hoi/", body)
    assert response.status_code == 429 and response["Retry-After"]


def test_a_closed_or_finished_session_has_no_form(client, live_session, dialogue_people):
    services.close_questions(live_session, by=dialogue_people["organiser"])
    html = client.get(page_of(live_session)).content.decode()
    assert f'action="{page_of(live_session)}hoi/"' not in html
    response = client.post(
        f"{page_of(live_session)}hoi/", {"content": QUESTION, "name": "An", "phone": "0987654321"}
    )
    assert response.status_code == 302  # back to the page, with the message
    assert not DialogueQuestion.objects.exists()


def test_a_reload_shows_the_new_answer_and_the_live_hook(client, approved, dialogue_people):
    session = approved.session
    before = client.get(page_of(session)).content.decode()
    assert ANSWER not in before

    services.answer(approved, text=ANSWER, by=dialogue_people["secretary"])
    session.refresh_from_db()
    html = client.get(page_of(session)).content.decode()

    assert ANSWER in html and "Trần Văn Bình" in html and "Phó Chủ tịch UBND tỉnh" in html
    assert 'id="dialogue-live"' in html
    assert f'data-revision="{session.revision}"' in html
    assert f'data-events-url="/doi-thoai/{session.pk}/su-kien/"' in html
    assert "0987654321" not in html  # never the asker's phone
    assert (
        "no-store" in client.get(page_of(session))["Cache-Control"]
        or "max-age=0" in client.get(page_of(session))["Cache-Control"]
    )


def test_nothing_a_visitor_wrote_is_rendered_unescaped(client, live_session, dialogue_people):
    script = "<script>alert('x')</script> Câu hỏi có mã độc hại ở đây?"
    question = ask(live_session, content=script, name="<b>Kẻ xấu</b>")
    services.approve(question, by=dialogue_people["organiser"], leader=dialogue_people["vice_chair"])
    services.answer(question, text=ANSWER, by=dialogue_people["vice_chair"])
    services.reject(ask(live_session), by=dialogue_people["organiser"], reason="Lý do nội bộ không công khai")

    html = client.get(page_of(live_session)).content.decode()

    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>Kẻ xấu</b>" not in html and "&lt;b&gt;Kẻ xấu&lt;/b&gt;" in html
    assert "Lý do nội bộ" not in html


def test_the_finished_transcript_is_searched_and_its_commitments_shown(
    client, answered, dialogue_people, tree
):
    services.commit(
        answered,
        text="Sở Xây dựng trình quy trình rút gọn trong tháng tới.",
        due_date=timezone.localdate() + timedelta(days=10),
        agency=tree["department"],
        by=dialogue_people["organiser"],
    )
    finish(answered.session)
    english(client)

    found = client.get(LIST, {"q": "giay phep"}).content.decode()
    html = client.get(page_of(answered.session)).content.decode()

    assert f"#cau-hoi-{answered.pk}" in found
    assert "Finished" in html and "Sở Xây dựng trình quy trình rút gọn" in html and "In progress" in html
    assert 'action="/doi-thoai/' not in html.split('id="ask-title"')[1].split("</section>")[0]
    assert client.get(page_of(answered.session), {"q": "dat dai"}).content.decode().count("cau-hoi-") == 0


def uncached(path: str, settings) -> str:
    """The page as rendered now, without the page cache: what a cached answer must equal."""
    kept, settings.MOTCUA_PAGE_CACHE_SECONDS = settings.MOTCUA_PAGE_CACHE_SECONDS, 0
    try:
        return Client().get(path).content.decode()
    finally:
        settings.MOTCUA_PAGE_CACHE_SECONDS = kept


def test_the_list_is_cached_yet_never_stale(
    client, answered, upcoming_session, tree, dialogue_people, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(LIST).content.decode()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST).content.decode() == first
    assert len(captured) == 1  # from the cache: only the list's token was read

    # A session announced, an answer edited, a session ending by the time: each shows at once.
    later = make_session(tree, dialogue_people, starts_in=timedelta(days=2))
    assert client.get(LIST).content.decode() == uncached(LIST, settings)
    assert f'href="/doi-thoai/{later.pk}/"' in client.get(LIST).content.decode()
    text = ANSWER + " Bổ sung: hạn chót là ngày 31."
    services.edit_answer(answered, text=text, by=dialogue_people["vice_chair"])
    assert client.get(LIST).content.decode() == uncached(LIST, settings)
    finish(answered.session)
    assert client.get(LIST).content.decode() == uncached(LIST, settings)
    searched = f"{LIST}?q=han+chot"
    assert "hạn chót là ngày 31" in client.get(searched).content.decode()
