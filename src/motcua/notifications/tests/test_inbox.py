"""The in-app inbox at /thong-bao/: one's own messages only, newest first, in the visitor's language."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from motcua.notifications import selectors, services
from motcua.notifications.context_processors import unread
from motcua.notifications.models import Notification

from .conftest import CODE, submit

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.notifications.tests.urls")]


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def test_the_inbox_holds_only_ones_own_in_app_messages_newest_first(citizen, other_citizen):
    older, newer = submit(citizen), submit(citizen)
    submit(citizen, channels=["email"])  # an e-mail only: not a message on the portal
    submit(other_citizen)
    assert list(selectors.inbox(citizen)) == [newer, older]
    assert selectors.unread_count(citizen) == 2


def test_marking_read_works_on_ones_own_messages_only(citizen, other_citizen):
    mine, theirs = submit(citizen), submit(other_citizen)
    assert services.mark_read(citizen, mine.pk).read_at is not None
    with pytest.raises(Notification.DoesNotExist):
        services.mark_read(citizen, theirs.pk)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert selectors.unread_count(citizen) == 0 and selectors.unread_count(other_citizen) == 1


def test_the_inbox_page_shows_the_messages_in_vietnamese_with_the_unread_ones_marked(signed_in, citizen):
    read, unread_one = submit(citizen), submit(citizen)
    services.mark_read(citizen, read.pk)
    page = signed_in.get("/thong-bao/")
    assert page.status_code == 200
    assert [n.title for n in page.context["page_obj"]] == [f"Hồ sơ {CODE}: Mới đăng ký"] * 2
    html = page.content.decode()
    assert "Newly submitted" not in html
    assert html.count(">Chưa đọc<") == 1 and "1 thông báo chưa đọc" in html
    assert f'action="/thong-bao/{unread_one.pk}/da-doc/"' in html
    assert f'action="/thong-bao/{read.pk}/da-doc/"' not in html
    assert f'href="/ho-so/{CODE}/"' in html


def test_the_inbox_page_speaks_english_to_who_chose_it(signed_in, citizen):
    submit(citizen)
    signed_in.cookies["django_language"] = "en"
    html = signed_in.get("/thong-bao/").content.decode()
    assert f"Dossier {CODE}: Newly submitted" in html and "1 unread notification" in html


def test_the_inbox_is_paged(signed_in, citizen):
    for _ in range(21):
        submit(citizen, channels=["in_app"])
    assert len(signed_in.get("/thong-bao/").context["page_obj"]) == 20
    assert len(signed_in.get("/thong-bao/?page=2").context["page_obj"]) == 1
    assert signed_in.get("/thong-bao/?page=99").context["page_obj"].number == 2


def test_a_message_is_marked_read_by_a_form_and_the_visitor_goes_back(signed_in, citizen):
    notification = submit(citizen)
    response = signed_in.post(f"/thong-bao/{notification.pk}/da-doc/", {"next": "/thong-bao/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/thong-bao/?page=1"
    notification.refresh_from_db()
    assert notification.is_read
    elsewhere = signed_in.post(f"/thong-bao/{notification.pk}/da-doc/", {"next": "https://evil.example/"})
    assert elsewhere["Location"] == "/thong-bao/"
    assert signed_in.get(f"/thong-bao/{notification.pk}/da-doc/").status_code == 405


def test_someone_elses_message_is_not_found(signed_in, other_citizen):
    theirs = submit(other_citizen)
    assert signed_in.post(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert theirs not in signed_in.get("/thong-bao/").context["page_obj"].object_list


def test_all_messages_are_marked_read_at_once(signed_in, citizen, other_citizen):
    submit(citizen), submit(citizen), submit(other_citizen)
    assert signed_in.post("/thong-bao/da-doc-tat-ca/").status_code == 302
    assert selectors.unread_count(citizen) == 0 and selectors.unread_count(other_citizen) == 1
    assert "Đánh dấu tất cả là đã đọc" not in signed_in.get("/thong-bao/").content.decode()


def test_the_inbox_asks_a_visitor_to_sign_in_first(client, citizen):
    response = client.get("/thong-bao/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-nhap/?next=/thong-bao/"
    client.force_login(citizen)
    assert client.get("/thong-bao/").status_code == 200


def test_the_header_badge_counts_only_when_shown(citizen, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread(request) == {}
    submit(citizen)
    request.user = citizen
    with django_assert_num_queries(0):
        context = unread(request)
    with django_assert_num_queries(1):
        assert Template("{{ unread_notifications }}").render(Context(context)) == "1"
