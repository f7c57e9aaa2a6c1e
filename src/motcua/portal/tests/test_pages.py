import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.catalog.tests.factories import make_procedure, make_sector

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def result_codes(response) -> list[str]:
    return [p.code for p in response.context["page_obj"].object_list]


# --- home ----------------------------------------------------------------------------------------------


def test_home_shows_search_sectors_with_counts_most_used_and_agencies(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    body = html(response)
    assert 'action="/thu-tuc/"' in body and 'name="q"' in body
    assert re.search(r"Hộ tịch</span>\s*<span[^>]*>2</span>", body)
    assert re.search(r"Đất đai</span>\s*<span[^>]*>2</span>", body)
    assert body.index("Thủ tục đăng ký khai sinh") < body.index("Thủ tục đăng ký khai tử")
    assert 'href="/co-quan/so-tu-phap/"' in body
    assert "Cổng Dịch vụ công tỉnh Hải Đông" in body


def test_layout_is_vietnamese_by_default_with_nav_skip_link_and_language_links(client, catalogue):
    body = html(client.get("/"))
    assert '<html lang="vi">' in body
    assert 'href="#main"' in body and 'id="main"' in body
    for text in ("Thủ tục", "Lĩnh vực", "Cơ quan", 'href="/api/docs/"', "Bỏ qua, đến nội dung chính"):
        assert text in body
    # Plain links, so that the page carries no per-visitor token and works without JavaScript.
    assert 'href="/ngon-ngu/en/?next=/"' in body
    assert "csrfmiddlewaretoken" not in body


def test_switching_to_english_translates_the_page(catalogue):
    client = Client()
    response = client.get("/ngon-ngu/en/", {"next": "/thu-tuc/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/thu-tuc/"
    body = html(client.get("/thu-tuc/"))
    assert '<html lang="en">' in body
    assert "Administrative procedures" in body and "Search" in body
    assert "Tìm kiếm" not in body
    # Back to Vietnamese.
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in html(client.get("/"))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/thu-tuc/",
        "/thu-tuc/1.001193/",
        "/co-quan/",
        "/co-quan/so-tu-phap/",
        "/linh-vuc/",
        "/linh-vuc/ho-tich/",
    ],
)
def test_pages_load_nothing_from_another_host(client, catalogue, url):
    response = client.get(url)
    assert response.status_code == 200
    body = html(response)
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", body):
        source = re.search(r'(?:src|href)="([^"]*)"', tag)
        assert source is None or source.group(1).startswith("/"), tag
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "/static/portal/portal.css" in body


# --- search ----------------------------------------------------------------------------------------------


def test_search_without_diacritics_finds_the_procedure(client, catalogue):
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert result_codes(response)[0] == "1.001193"
    body = html(response)
    assert "Thủ tục đăng ký khai sinh" in body
    assert 'value="dang ky khai sinh"' in body


def test_search_result_rows_show_code_sector_level_service_level_and_time(client, catalogue):
    body = html(client.get("/thu-tuc/", {"q": "1.004227"}))
    assert "1.004227" in body
    assert "Cung cấp thông tin đất đai" in body
    assert "Đất đai" in body
    assert "Tỉnh" in body
    assert "Chỉ cung cấp thông tin" in body
    assert "2 ngày làm việc" in body  # 16 working hours


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "dat-dai"}, ["1.004227", "2.000100"]),
        ({"sector": "HT"}, ["1.000656", "1.001193"]),
        ({"agency": "so-tu-phap"}, ["1.004227", "2.000100"]),
        ({"authority_level": "commune"}, ["1.000656", "1.001193"]),
        ({"service_level": "full"}, ["1.001193"]),
        ({"service_level": "partial", "sector": "ho-tich"}, ["1.000656"]),
        ({"q": "khai", "agency": "ubnd-xa-an-binh"}, ["1.001193", "1.000656"]),
    ],
)
def test_filters(client, catalogue, params, expected):
    response = client.get("/thu-tuc/", params)
    assert response.status_code == 200
    assert sorted(result_codes(response)) == sorted(expected)


def test_filters_are_selects_that_keep_the_chosen_value(client, catalogue):
    body = html(client.get("/thu-tuc/", {"sector": "dat-dai", "authority_level": "province"}))
    assert '<select name="sector"' in body and '<select name="agency"' in body
    assert '<option value="dat-dai" selected>Đất đai</option>' in body
    assert re.search(r'<option value="province" selected>\s*Tỉnh', body)
    assert re.search(r'<button type="submit"[^>]*>Tìm kiếm</button>', body)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"authority_level": "galaxy"}, "Cấp thẩm quyền &#x27;galaxy&#x27; không hợp lệ."),
        ({"service_level": "9"}, "Mức độ dịch vụ &#x27;9&#x27; không hợp lệ."),
        ({"sector": "khong-co"}, "Không có lĩnh vực &#x27;khong-co&#x27;."),
        ({"agency": "khong-co"}, "Không có cơ quan &#x27;khong-co&#x27;."),
    ],
)
def test_bad_filter_is_a_400_with_the_vietnamese_message_and_no_results(client, catalogue, params, message):
    response = client.get("/thu-tuc/", params)
    assert response.status_code == 400
    body = html(response)
    assert body.count(message) == 2  # in the summary at the top and next to the field
    assert 'class="error-summary"' in body
    assert response.context["page_obj"] is None
    assert "Thủ tục đăng ký khai sinh" not in body


def test_over_long_query_is_refused_with_a_message(client, catalogue, settings):
    settings.MOTCUA_SEARCH_MAX_LENGTH = 50
    response = client.get("/thu-tuc/", {"q": "khai sinh " * 10})
    assert response.status_code == 400
    assert "Nội dung tìm kiếm quá dài: tối đa 50 ký tự" in html(response)
    assert response.context["page_obj"] is None


def test_no_results_shows_help(client, catalogue):
    response = client.get("/thu-tuc/", {"q": "giay phep bay"})
    assert response.status_code == 200
    body = html(response)
    assert "Không tìm thấy thủ tục phù hợp" in body
    assert "dang ky" in body and "đăng ký" in body


@pytest.fixture
def many_procedures():
    sector = make_sector(code="GT", slug="giao-thong", name="Giao thông")
    return [
        make_procedure(code=f"3.{n:06d}", name=f"Cấp giấy phép số {n:02d}", sector=sector) for n in range(45)
    ]


def test_search_is_paginated_by_20_and_pages_keep_the_filters(client, many_procedures):
    first = client.get("/thu-tuc/", {"sector": "giao-thong"})
    assert len(result_codes(first)) == 20
    assert first.context["page_obj"].paginator.count == 45
    body = html(first)
    assert "45 thủ tục" in body
    assert 'href="?sector=giao-thong&amp;page=2"' in body
    last = client.get("/thu-tuc/", {"sector": "giao-thong", "page": 3})
    assert len(result_codes(last)) == 5
    assert set(result_codes(first)).isdisjoint(result_codes(last))


@pytest.mark.parametrize("page", ["0", "abc", "99"])
def test_a_bad_page_number_still_shows_a_page(client, many_procedures, page):
    response = client.get("/thu-tuc/", {"page": page})
    assert response.status_code == 200
    assert result_codes(response)


# --- procedure detail ------------------------------------------------------------------------------------


def test_procedure_detail_shows_the_whole_record(client, catalogue):
    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200
    body = html(response)
    for text in (
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        "Xã",  # level of authority
        "Hộ tịch",
        "UBND cấp xã",
        "UBND xã An Bình",
        "Công dân",
        "Nộp hồ sơ",
        "Tại bộ phận một cửa UBND xã.",
        "Trực tiếp",
        "Trực tuyến",
        "1 ngày làm việc",
        "Lệ phí đăng ký khai sinh: <strong>8.000 đ</strong>",
        "Lệ phí đăng ký khai sinh trực tuyến: <strong>Miễn phí</strong>",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "bản chính: 1 · bản sao có chứng thực: 0 · bản photo: 2",
        "Người đi đăng ký phải xuất trình giấy tờ tùy thân.",
        "Giấy khai sinh",
        "Luật <strong>60/2014/QH13</strong>: Luật Hộ tịch",
        "Toàn trình",
        "Mức độ 4",
        "01/07/2023",
    ):
        assert text in body, text
    assert 'href="/media/catalog/forms/1.001193/01.docx"' in body
    assert "Tải Mẫu TK-KS" in body


def test_fees_are_shown_with_their_own_channel(client, catalogue):
    body = html(client.get("/thu-tuc/1.001193/"))
    in_person = body.index("<h3>Trực tiếp</h3>")
    online = body.index("<h3>Trực tuyến</h3>")
    paid = body.index("8.000 đ")
    free = body.index("Miễn phí")
    assert in_person < paid and online < free
    assert (paid < online) == (in_person < online)


def test_procedure_detail_shows_agency_contacts(client, catalogue):
    body = html(client.get("/thu-tuc/1.004227/"))
    for text in (
        "12 Trần Hưng Đạo, phường Hải Đông",
        'href="tel:02203850123"',
        "mailto:stp@haidong.gov.vn",
        "Thứ Hai – Thứ Sáu",
    ):
        assert text in body, text


@pytest.mark.parametrize(
    ("code", "shown"), [("1.001193", True), ("1.000656", True), ("1.004227", False), ("2.000100", False)]
)
def test_online_submission_link_where_the_record_offers_the_online_channel(client, catalogue, code, shown):
    from motcua.catalog.models import Procedure
    from motcua.forms import services as form_services
    from motcua.forms.models import OnlineForm

    link = f'href="/thu-tuc/{code}/nop-ho-so/"'
    procedure = Procedure.objects.get(code=code)
    # Without a form written for it, a procedure offering online submission is filled in with the generic
    # form; a form published for one that does not offer it changes nothing.
    assert (link in html(client.get(f"/thu-tuc/{code}/"))) is shown
    schema = {"type": "object", "properties": {"note": {"type": "string"}}}
    form_services.publish(form_services.save_draft(OnlineForm(procedure=procedure, version=9, schema=schema)))
    assert (link in html(client.get(f"/thu-tuc/{code}/"))) is shown


@pytest.mark.parametrize("code", ["9.999999", "not-a-code"])
def test_unknown_procedure_is_a_friendly_vietnamese_404(client, catalogue, code):
    response = client.get(f"/thu-tuc/{code}/")
    assert response.status_code == 404
    body = html(response)
    assert "Rất tiếc, chúng tôi không tìm thấy trang này" in body
    assert '<html lang="vi">' in body
    assert 'href="/thu-tuc/"' in body


def test_inactive_procedure_is_a_404(client, catalogue):
    catalogue["death"].is_active = False
    catalogue["death"].save()
    assert client.get("/thu-tuc/1.000656/").status_code == 404


def test_unknown_address_is_a_friendly_404(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Rất tiếc, chúng tôi không tìm thấy trang này" in html(response)


# --- agencies and sectors --------------------------------------------------------------------------------


def test_agency_directory_is_an_indented_tree_with_levels(client, catalogue):
    response = client.get("/co-quan/")
    assert response.status_code == 200
    body = html(response)
    tree = [(a.slug, depth) for a, depth in response.context["agency_tree"]]
    assert tree == [("ubnd-tinh", 0), ("so-tu-phap", 1), ("ubnd-xa-an-binh", 1)]
    assert re.search(r'<li class="depth-1"><a href="/co-quan/so-tu-phap/">', body)
    assert re.search(r'<li class="depth-0"><a href="/co-quan/ubnd-tinh/">', body)
    assert '<span class="level-label">Xã</span>' in body
    assert '<span class="level-label">Tỉnh</span>' in body


def test_agency_page_shows_contacts_and_its_procedures(client, catalogue):
    response = client.get("/co-quan/so-tu-phap/")
    assert response.status_code == 200
    body = html(response)
    assert "12 Trần Hưng Đạo, phường Hải Đông" in body and "stp@haidong.gov.vn" in body
    assert "Thứ Hai – Thứ Sáu, 7:30–11:30 và 13:30–17:00" in body
    assert sorted(result_codes(response)) == ["1.004227", "2.000100"]
    assert 'href="/co-quan/ubnd-tinh/"' in body  # parent


def test_inactive_or_unknown_agency_is_a_404(client, catalogue):
    catalogue["justice"].is_active = False
    catalogue["justice"].save()
    assert client.get("/co-quan/so-tu-phap/").status_code == 404
    assert client.get("/co-quan/khong-co/").status_code == 404


def test_sector_list_and_page(client, catalogue):
    response = client.get("/linh-vuc/")
    assert response.status_code == 200
    assert 'href="/linh-vuc/ho-tich/"' in html(response)
    response = client.get("/linh-vuc/ho-tich/")
    assert response.status_code == 200
    assert "Lĩnh vực: Hộ tịch" in html(response)
    assert sorted(result_codes(response)) == ["1.000656", "1.001193"]
    assert client.get("/linh-vuc/khong-co/").status_code == 404


def test_sector_page_is_paginated(client, many_procedures):
    response = client.get("/linh-vuc/giao-thong/", {"page": 3})
    assert len(result_codes(response)) == 5
    assert 'href="?page=2"' in html(response)


# --- 500 ------------------------------------------------------------------------------------------------


def test_server_error_handler_renders_without_a_request_context(rf):
    from motcua.portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = html(response)
    assert "Rất tiếc, hệ thống đang gặp sự cố" in body
    assert '<html lang="vi">' in body


def test_an_exception_in_a_view_gives_the_friendly_500(client, catalogue, monkeypatch):
    from motcua.catalog import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(selectors, "procedure_detail", broken)
    client.raise_request_exception = False
    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 500
    assert "Rất tiếc, hệ thống đang gặp sự cố" in html(response)


# --- query counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("portal:home"),
        reverse("portal:search") + "?q=cap+giay+phep",
        reverse("portal:search") + "?sector=giao-thong&page=2",
        reverse("portal:agency_list"),
        reverse("portal:sector_list"),
        reverse("portal:sector_detail", kwargs={"slug": "giao-thong"}),
        reverse("portal:agency_detail", kwargs={"slug": "ubnd-tinh"}),
        reverse("portal:procedure_detail", kwargs={"code": "1.001193"}),
    ],
)
def test_query_count_does_not_grow_with_the_data(
    client, catalogue, many_procedures, url, django_assert_max_num_queries
):
    for procedure in many_procedures:
        procedure.agencies.add(catalogue["province"])
    # At most 9, of which 2 build the search index (once per catalogue revision in each process); the home
    # page reads the year's figures instead (7: facts, dossiers in progress, petitions handled, the
    # catalogue's revision and, while this process has not kept its flags for that revision, its two reads,
    # the scheme). A procedure's page uses all 9: the revision, the procedure, its six prefetched lists and
    # its published answers.
    with django_assert_max_num_queries(12 if url == reverse("portal:home") else 9):
        assert client.get(url).status_code == 200
