"""What the live stream says about a real session: the answers and commitments published after the page's
revision, rendered as the page renders them (escaped), in the viewer's language; nothing for the sessions
the public may not see, nothing of what moderators keep to themselves."""

import json

import pytest

from motcua.engagement.services import dialogues as dialogue_services
from motcua.engagement.tests.dialogue_fixtures import ask
from motcua.portal.live.source import END, DialogueSource

pytestmark = pytest.mark.django_db


def event(message: bytes) -> tuple[int, str, dict]:
    lines = dict(line.split(": ", 1) for line in message.decode().strip().split("\n"))
    return int(lines["id"]), lines["event"], json.loads(lines["data"])


def test_an_answer_comes_as_the_page_renders_it(live_session, approved, dialogue_people):
    before = live_session.revision
    approved_revision = type(live_session).objects.get(pk=live_session.pk).revision
    dialogue_services.answer(
        approved, text="Từ quý sau: 10 ngày <b>làm việc</b>.", by=dialogue_people["vice_chair"]
    )

    revision, kind, data = event(DialogueSource().message(live_session.pk, approved_revision, "vi"))

    assert kind == "update"
    assert revision == data["revision"] > approved_revision >= before
    [item] = data["items"]
    assert item["id"] == f"cau-hoi-{approved.pk}"
    assert "10 ngày &lt;b&gt;làm việc&lt;/b&gt;." in item["html"]  # what a leader typed is text, never markup
    assert approved.asker_name in item["html"]
    assert approved.asker_phone not in item["html"]
    assert data["announce"]


def test_nothing_new_after_the_current_revision(live_session, approved, dialogue_people):
    dialogue_services.answer(approved, text="Trả lời.", by=dialogue_people["vice_chair"])
    current = DialogueSource().revisions([live_session.pk])[live_session.pk]

    _revision, _kind, data = event(DialogueSource().message(live_session.pk, current, "vi"))

    assert data["items"] == []
    assert data["announce"] == ""


def test_a_commitment_comes_with_its_question(live_session, approved, dialogue_people, tree):
    answered = dialogue_services.answer(approved, text="Trả lời.", by=dialogue_people["vice_chair"])
    after = DialogueSource().revisions([live_session.pk])[live_session.pk]
    from datetime import date, timedelta

    dialogue_services.commit(
        answered, text="Ban hành quy trình rút gọn.", due_date=date.today() + timedelta(days=30),
        agency=tree["department"], by=dialogue_people["organiser"],
    )  # fmt: skip

    _revision, _kind, data = event(DialogueSource().message(live_session.pk, after, "en"))

    ids = [item["id"] for item in data["items"]]
    assert f"cau-hoi-{answered.pk}" in ids
    assert any(i.startswith("cam-ket-") for i in ids)
    assert all("Ban hành quy trình rút gọn." in item["html"] for item in data["items"])


def test_what_the_moderators_keep_is_never_sent(live_session, dialogue_people):
    rejected = ask(
        live_session, content="Quảng cáo dịch vụ làm giấy phép nhanh, giá rẻ!", client_ip="192.0.2.31"
    )
    dialogue_services.reject(rejected, by=dialogue_people["organiser"], reason="Quảng cáo, bí mật nội bộ")
    pending = ask(live_session, content="Câu hỏi còn chờ duyệt về giấy phép?", client_ip="192.0.2.32")

    _revision, _kind, data = event(DialogueSource().message(live_session.pk, 0, "vi"))

    sent = json.dumps(data, ensure_ascii=False)
    assert "bí mật nội bộ" not in sent
    assert rejected.content not in sent
    assert pending.content not in sent


def test_only_announced_sessions_can_be_watched(live_session, tree, dialogue_people):
    from motcua.engagement.tests.dialogue_fixtures import make_session

    draft = make_session(tree, dialogue_people, announced=False)

    assert DialogueSource().revisions([live_session.pk, draft.pk, 987654]) == {
        live_session.pk: type(live_session).objects.get(pk=live_session.pk).revision
    }
    assert DialogueSource().message(draft.pk, 0, "vi") == END


def test_a_page_asked_again_unchanged_is_not_sent_again(client, live_session, approved, dialogue_people):
    """Conditional requests (what a polling client would do): 304 while nothing the public sees changed,
    the page again once an answer is published."""
    url = f"/doi-thoai/{live_session.pk}/"
    first = client.get(url)
    etag = first["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    dialogue_services.answer(approved, text="Trả lời mới.", by=dialogue_people["vice_chair"])
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert "Trả lời mới." in again.content.decode()


def test_a_signed_in_visitor_gets_the_whole_page_every_time(client, live_session, citizen):
    client.force_login(citizen)
    response = client.get(f"/doi-thoai/{live_session.pk}/")
    assert response.status_code == 200
    assert "ETag" not in response


def test_the_page_opens_the_stream_where_the_live_service_is(client, live_session, settings):
    settings.MOTCUA_LIVE_URL = "http://127.0.0.1:8001"
    response = client.get(f"/doi-thoai/{live_session.pk}/")
    page = response.content.decode()
    assert f'data-events-url="http://127.0.0.1:8001/doi-thoai/{live_session.pk}/su-kien/"' in page
    assert "connect-src 'self' http://127.0.0.1:8001" in response["Content-Security-Policy"]
    searched = client.get(f"/doi-thoai/{live_session.pk}/?q=giay+phep").content.decode()
    assert 'data-events-url=""' in searched  # a search shows part of the transcript: nothing is added live


def test_the_live_script_is_loaded_once_at_the_end_of_the_page(client, live_session):
    """Before, the script tag stood in the page's title, its description and its breadcrumbs too."""
    import re

    page = client.get(f"/doi-thoai/{live_session.pk}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert "<" not in title and "&lt;" not in title
    assert "script" not in description
    assert page.count("portal/live") == 1
    assert page.index("portal/live") > page.index('id="dialogue-live"')
