"""The public page cache: same answers as without it, never stale, never someone else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def queries_for(client, path, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    return response, len(captured)


def test_a_repeated_public_page_is_served_from_the_cache(client):
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    first, cold = queries_for(client, "/thu-tuc/1.001193/")
    second, warm = queries_for(client, "/thu-tuc/1.001193/")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert warm == 1 < cold  # only the catalogue revision is read


def test_a_catalogue_change_shows_at_once(client):
    procedure = make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    assert "đăng ký khai sinh" in client.get("/thu-tuc/1.001193/").content.decode()
    procedure.name = "Thủ tục đăng ký khai sinh lưu động"
    procedure.save()
    assert "đăng ký khai sinh lưu động" in client.get("/thu-tuc/1.001193/").content.decode()


def test_each_language_has_its_own_copy(client):
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    vietnamese = client.get("/thu-tuc/1.001193/").content.decode()
    client.get("/ngon-ngu/en/")
    english = client.get("/thu-tuc/1.001193/").content.decode()
    assert '<html lang="vi">' in vietnamese
    assert '<html lang="en">' in english


def test_api_answers_are_cached_per_media_type(client):
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    as_json = client.get("/api/v1/procedures/1.001193/", HTTP_ACCEPT="application/json")
    as_html = client.get("/api/v1/procedures/1.001193/", HTTP_ACCEPT="text/html")
    assert as_json["Content-Type"] == "application/json"
    assert as_html["Content-Type"].startswith("text/html")
    assert (
        client.get("/api/v1/procedures/1.001193/", HTTP_ACCEPT="application/json").json()["code"]
        == "1.001193"
    )


def test_refused_requests_are_not_cached(client):
    response, _ = queries_for(client, "/api/v1/procedures/?sector=nope")
    assert response.status_code == 400
    again, count = queries_for(client, "/api/v1/procedures/?sector=nope")
    assert again.status_code == 400 and count > 1


def test_a_signed_in_visitor_is_never_served_a_cached_page(client, django_user_model):
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    client.get("/thu-tuc/1.001193/")  # cached for anonymous visitors
    client.force_login(django_user_model.objects.create_user("officer", password="x-Long-Password-1"))
    _, count = queries_for(client, "/thu-tuc/1.001193/")
    assert count > 2  # rendered afresh: session, user and the procedure were read


def test_the_cache_can_be_turned_off(client, settings):
    settings.MOTCUA_PAGE_CACHE_SECONDS = 0
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    client.get("/thu-tuc/1.001193/")
    _, count = queries_for(client, "/thu-tuc/1.001193/")
    assert count > 1


def test_a_page_of_live_figures_is_kept_no_longer_than_it_asks(rf, monkeypatch):
    from django.core.cache import cache
    from django.http import HttpResponse

    from motcua.core.pagecache import cache_public_page

    kept = []
    monkeypatch.setattr(cache, "set", lambda key, value, timeout=None: kept.append(timeout))
    monkeypatch.setattr(cache, "get", lambda key: None)
    for seconds in (60, 6000, None):
        cache_public_page(lambda: "r", seconds=seconds)(lambda request: HttpResponse("ok"))(rf.get("/x/"))
    assert kept == [60, 600, 600]  # never longer than MOTCUA_PAGE_CACHE_SECONDS either
