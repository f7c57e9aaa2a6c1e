"""The public page cache: same answers as without it, never stale, never someone else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[0, 1024], ids=["shared only", "with local copies"])
def levels(request, settings):
    """Every test runs with the shared cache alone, and with each process's own copies in front of it (which
    here ask for the revision every time, unless a test says otherwise)."""
    from motcua.core import pagecache

    settings.MOTCUA_PAGE_CACHE_LOCAL_KB = request.param
    settings.MOTCUA_PAGE_CACHE_CONFIRM_SECONDS = 0
    pagecache.local_pages.clear()
    pagecache._confirmed.clear()
    yield request.param
    pagecache.local_pages.clear()
    pagecache._confirmed.clear()


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


def test_a_signed_in_visitor_gets_the_cached_page_with_their_own_account_links(client, django_user_model):
    from motcua.core.metrics import PAGE_CACHE

    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    anonymous = client.get("/thu-tuc/1.001193/").content.decode()  # cached for everyone
    assert "Sign in" in anonymous or "Đăng nhập" in anonymous
    personal = PAGE_CACHE.labels("personal", "portal:procedure_detail")
    pages = {}
    for name in ("Lan", "Minh"):
        user = django_user_model.objects.create_user(name.lower(), password="x-Long-Password-1")
        user.full_name = name
        user.save()
        visitor = type(client)()
        visitor.force_login(user)
        before = personal._value.get()
        pages[name] = visitor.get("/thu-tuc/1.001193/").content.decode()
        assert personal._value.get() == before + 1  # from the cache, not rendered again
    for name, other in (("Lan", "Minh"), ("Minh", "Lan")):
        page = pages[name]
        assert f">{name}</a>" in page and f">{other}</a>" not in page  # never someone else's
        assert 'name="csrfmiddlewaretoken"' in page  # their own sign-out form
        assert "Thủ tục đăng ký khai sinh" in page
    # Outside the account links, the page is the anonymous one.
    outside = anonymous.split("<!--account-->")[0], anonymous.split("<!--/account-->")[1]
    assert pages["Lan"].startswith(outside[0]) and pages["Lan"].endswith(outside[1])


def test_a_signed_in_visitor_gets_their_own_rendering_of_what_has_no_account_links(client, django_user_model):
    from motcua.core.metrics import PAGE_CACHE

    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    client.get("/api/v1/procedures/1.001193/", HTTP_ACCEPT="application/json")  # cached for everyone
    client.force_login(django_user_model.objects.create_user("lan", password="x-Long-Password-1"))
    personal = PAGE_CACHE.labels("personal", "api:procedure-detail")
    before = personal._value.get()
    response = client.get("/api/v1/procedures/1.001193/", HTTP_ACCEPT="application/json")
    assert response.json()["code"] == "1.001193"
    assert personal._value.get() == before  # an API answer: rendered for them


def test_the_cache_can_be_turned_off(client, settings):
    settings.MOTCUA_PAGE_CACHE_SECONDS = 0
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    client.get("/thu-tuc/1.001193/")
    _, count = queries_for(client, "/thu-tuc/1.001193/")
    assert count > 1


def test_a_page_of_live_figures_is_kept_no_longer_than_it_asks(rf, monkeypatch):
    from django.core.cache import cache
    from django.http import HttpResponse

    from motcua.core.pagecache import STALE_SECONDS, cache_public_page

    kept = []
    monkeypatch.setattr(cache, "set", lambda key, value, timeout=None: kept.append(timeout))
    monkeypatch.setattr(cache, "get", lambda key: None)
    for seconds in (60, 6000, None):
        cache_public_page(lambda: "r", seconds=seconds)(lambda request: HttpResponse("ok"))(rf.get("/x/"))
    # Never longer than MOTCUA_PAGE_CACHE_SECONDS either; kept STALE_SECONDS more for while it is rendered.
    assert kept == [60 + STALE_SECONDS, 600 + STALE_SECONDS, 600 + STALE_SECONDS]


@pytest.fixture
def local_copies(settings):
    from motcua.core.pagecache import local_pages

    settings.MOTCUA_PAGE_CACHE_LOCAL_KB = 1024
    local_pages.clear()
    yield local_pages
    local_pages.clear()


def test_a_page_served_once_is_then_served_from_the_process_own_memory(client, local_copies):
    from django.core.cache import cache

    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    first, _ = queries_for(client, "/thu-tuc/1.001193/")
    cache.clear()  # the shared cache is gone (another machine's Redis restarted): this process still has it
    second, count = queries_for(client, "/thu-tuc/1.001193/")
    assert second.content == first.content and count == 1  # only the catalogue revision is read


def test_the_process_copy_is_never_stale(client, local_copies):
    procedure = make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    client.get("/thu-tuc/1.001193/")
    procedure.name = "Thủ tục đăng ký khai sinh lưu động"
    procedure.save()  # a new revision: a new key, in every process
    assert "đăng ký khai sinh lưu động" in client.get("/thu-tuc/1.001193/").content.decode()


def test_the_process_copy_of_live_figures_expires_with_the_shared_one(rf, local_copies, monkeypatch):
    from django.core.cache import cache
    from django.http import HttpResponse

    from motcua.core import pagecache

    served = []
    now = [1_000_000.0]
    monkeypatch.setattr(pagecache.time, "time", lambda: now[0])
    view = pagecache.cache_public_page(lambda: "r", seconds=60)(
        lambda request: served.append(1) or HttpResponse("ok")
    )
    answer = pagecache.LocalPageMiddleware(view)
    answer(rf.get("/x/"))
    cache.clear()  # from here on only the process's own copy has it
    now[0] += 59
    assert answer(rf.get("/x/")).content == b"ok"
    assert len(served) == 1
    now[0] += 2  # 61 s after it was made: older than the page may be
    answer(rf.get("/x/"))
    assert len(served) == 2


def test_the_process_copy_is_the_same_answer_headers_included(client, local_copies):
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    first = client.get("/thu-tuc/1.001193/")
    second, count = queries_for(client, "/thu-tuc/1.001193/")
    assert count == 1  # from memory: only the revision was read
    assert second.content == first.content
    # What the middleware below added (framing, language) is there too; only the request's id differs.
    assert {k: v for k, v in second.items() if k != "X-Request-ID"} == {
        k: v for k, v in first.items() if k != "X-Request-ID"
    }
    assert second["X-Frame-Options"] == "DENY" and second["Content-Language"] == "vi"


def test_the_process_copy_is_not_served_to_a_visitor_with_a_session_or_a_message(client, local_copies):
    from django.conf import settings

    from motcua.core.metrics import PAGE_CACHE

    local = PAGE_CACHE.labels("local", "portal:procedure_detail")
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    client.get("/thu-tuc/1.001193/")
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        client.cookies.clear()
        client.cookies[cookie] = "an-unknown-session-key"
        before = local._value.get()
        assert client.get("/thu-tuc/1.001193/").status_code == 200
        assert local._value.get() == before  # the middleware below had to see it: not from memory


def test_an_answer_that_sets_a_cookie_is_not_kept_in_memory(rf, local_copies):
    from django.http import HttpResponse

    from motcua.core import pagecache

    def view(request):
        request.public_page = (lambda: "r", "r", 2e9)  # as cache_public_page marks a public page
        response = HttpResponse("ok")
        response.set_cookie("chosen", "1")  # but something below set a cookie on its way out
        return response

    pagecache.LocalPageMiddleware(view)(rf.get("/x/"))
    assert not local_copies.entries


def test_the_process_keeps_no_more_than_its_budget(local_copies, settings):
    settings.MOTCUA_PAGE_CACHE_LOCAL_KB = 8
    from motcua.core.pagecache import LocalPage

    def page(size):
        return LocalPage(b"x" * size, (), 2e9, lambda: "r", "r", None)

    for number in range(10):
        local_copies.put(f"k{number}", page(1000))
    assert local_copies.size <= 8 * 1024
    assert local_copies.get("k0") is None and local_copies.get("k9") is not None  # oldest out first
    local_copies.put("big", page(2000))  # larger than an eighth of the budget: not kept
    assert local_copies.get("big") is None


def test_an_expired_page_is_rendered_again_by_one_request_while_the_others_serve_it(rf, monkeypatch):
    from django.http import HttpResponse

    from motcua.core import pagecache

    now = [1_000_000.0]
    monkeypatch.setattr(pagecache.time, "time", lambda: now[0])
    served = []

    def render(request):
        served.append(1)
        if len(served) == 2:  # while this one renders again, another request for the page arrives
            assert view(rf.get("/x/")).content == b"version 1"
        return HttpResponse(f"version {len(served)}")

    view = pagecache.cache_public_page(lambda: "r", seconds=60)(render)
    assert view(rf.get("/x/")).content == b"version 1"
    now[0] += 61
    assert view(rf.get("/x/")).content == b"version 2"
    assert view(rf.get("/x/")).content == b"version 2"
    assert len(served) == 2


def test_each_look_up_is_counted_by_where_its_answer_came_from_and_its_route(client, local_copies):
    from motcua.core.metrics import PAGE_CACHE

    def count(result):
        return PAGE_CACHE.labels(result, "portal:procedure_detail")._value.get()

    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    before = {result: count(result) for result in ("miss", "local")}
    client.get("/thu-tuc/1.001193/")
    client.get("/thu-tuc/1.001193/")
    assert count("miss") - before["miss"] == 1
    assert count("local") - before["local"] == 1


@pytest.fixture
def trusting_a_second(local_copies, settings, monkeypatch):
    """Each process trusts the revision it read for a second, as in production; the clock is the test's."""
    from motcua.core import pagecache

    settings.MOTCUA_PAGE_CACHE_CONFIRM_SECONDS = 1
    now = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now[0])
    return now


def test_a_process_asks_for_the_revision_at_most_every_second_for_anonymous_visitors(
    client, trusting_a_second
):
    procedure = make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    client.get("/thu-tuc/1.001193/")
    _, count = queries_for(client, "/thu-tuc/1.001193/")
    assert count == 0  # from memory, the revision read a moment ago trusted
    procedure.name = "Thủ tục đăng ký khai sinh lưu động"
    procedure.save()  # as through another process
    assert "lưu động" not in client.get("/thu-tuc/1.001193/").content.decode()  # the trade: up to a second
    trusting_a_second[0] += 1
    assert "lưu động" in client.get("/thu-tuc/1.001193/").content.decode()


def test_a_signed_in_visitor_sees_a_change_at_once(client, trusting_a_second, django_user_model):
    procedure = make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    client.get("/thu-tuc/1.001193/")
    procedure.name = "Thủ tục đăng ký khai sinh lưu động"
    procedure.save()
    client.force_login(django_user_model.objects.create_user("officer", password="x-Long-Password-1"))
    assert "lưu động" in client.get("/thu-tuc/1.001193/").content.decode()  # what they just saved
