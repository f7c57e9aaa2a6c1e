"""The public catalogue API: its contract, search, filters, pages, errors and schema."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import make_agency, make_procedure, make_sector

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/procedures/"

# Vietnamese for the messages the API answers with; used only where locale/ has no translation yet, so
# the tests show that each message goes through gettext in the request's language.
STAND_IN_VI = {
    "The request has invalid values.": "Yêu cầu có giá trị không hợp lệ.",
    "Unknown sector '%(value)s'.": "Không có lĩnh vực '%(value)s'.",
    "Unknown agency '%(value)s'.": "Không có cơ quan '%(value)s'.",
    "Unknown level of authority '%(value)s'.": "Không có cấp thẩm quyền '%(value)s'.",
    "Unknown service level '%(value)s'.": "Không có mức độ dịch vụ '%(value)s'.",
    "The search text is too long: at most %(max)s characters, please shorten it.": (
        "Nội dung tìm kiếm quá dài: tối đa %(max)s ký tự, vui lòng rút gọn."
    ),
    "The page must be a whole number from 1.": "Trang phải là số nguyên từ 1.",
    "There is no page %(page)s of these results.": "Không có trang %(page)s của kết quả này.",
    "The page size must be a whole number from 1 to %(max)s.": "Số kết quả mỗi trang phải từ 1 đến %(max)s.",
    "No published procedure has the code %(code)s.": "Không có thủ tục nào đang công bố mang mã %(code)s.",
}


@pytest.fixture
def vietnamese(monkeypatch):
    """``vi(msgid, **params)``: the message as a Vietnamese client must receive it."""
    catalog = trans_real.translation("vi")._catalog
    for msgid, text in STAND_IN_VI.items():
        if catalog.get(msgid) is None:
            monkeypatch.setitem(catalog._catalogs[0], msgid, text)

    def vi(msgid, **params):
        with translation.override("vi"):
            message = translation.gettext(msgid)
        assert message != msgid, f"no Vietnamese for {msgid!r}"
        return message % params if params else message

    return vi


@pytest.fixture
def catalogue():
    province = make_agency(
        code="000.00.00.H26", slug="ubnd-tinh", name="UBND tỉnh Hải Đông", level="province"
    )
    commune = make_agency(
        code="000.11.22.H26",
        slug="ubnd-xa-an-binh",
        name="UBND xã An Bình",
        level="commune",
        kind="peoples_committee",
        parent=province,
        address="Thôn 1, xã An Bình",
        phone="0220 3850 123",
        email="anbinh@example.vn",
    )
    civil = make_sector(code="HT", slug="ho-tich", name="Hộ tịch")
    land = make_sector(code="DD", slug="dat-dai", name="Đất đai")
    path = default_storage.save("catalog/forms/1.001193/01.docx", ContentFile(b"form"))
    birth = make_procedure(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        sector=civil,
        agencies=[commune],
        authority_level="commune",
        online_level=4,
        implementing_body="UBND cấp xã",
        applicant_types=["citizen", "foreigner"],
        requirements="Không",
        result_type="Giấy khai sinh",
        effective_from="2025-07-01",
        steps=[{"title": "Nộp hồ sơ", "description": "Tại bộ phận một cửa"}, {"title": "Nhận kết quả"}],
        methods=[
            {"channel": "in_person", "processing_time": "1", "time_unit": "working_day"},
            {
                "channel": "online",
                "processing_time": "4",
                "time_unit": "working_hour",
                "description": "4 giờ",
            },
        ],
        fees=[{"name": "Lệ phí đăng ký khai sinh", "amount": 0}, {"channel": "postal", "name": "Bưu chính"}],
        components=[
            {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "form_name": "Mẫu", "form_template": path},
            {"name": "Giấy chứng sinh", "originals": 1, "photocopies": 2, "is_required": False},
        ],
        legal_basis=[{"number": "60/2014/QH13", "title": "Luật Hộ tịch", "issued_on": "2014-11-20"}],
    )
    foreign_form = default_storage.save("catalog/forms/1.001695/01.docx", ContentFile(b"form"))
    foreign = make_procedure(
        code="1.001695",
        name="Thủ tục đăng ký khai sinh có yếu tố nước ngoài",
        sector=civil,
        online_level=2,
        components=[{"name": "Tờ khai", "originals": 1, "form_template": foreign_form}],
    )
    copy = make_procedure(
        code="2.000635",
        name="Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        sector=civil,
        authority_level="district",
        online_level=1,
        methods=[],
    )
    plot = make_procedure(code="1.004227", name="Đăng ký đất đai lần đầu", sector=land, agencies=[province])
    hidden = make_procedure(code="1.000001", name="Đăng ký khai sinh cũ", sector=civil, is_active=False)
    return {
        "province": province,
        "commune": commune,
        "civil": civil,
        "land": land,
        "birth": birth,
        "foreign": foreign,
        "copy": copy,
        "plot": plot,
        "hidden": hidden,
    }


def codes(response):
    return [item["code"] for item in response.json()["results"]]


# --- the contract ---------------------------------------------------------------------------------------


def test_list_item_contract(client, catalogue):
    response = client.get(LIST_URL, {"q": "1.001193"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    assert body["results"] == [
        {
            "code": "1.001193",
            "name": "Thủ tục đăng ký khai sinh",
            "sector": {"code": "HT", "slug": "ho-tich", "name": "Hộ tịch"},
            "authority_level": "commune",
            "service_level": "full",
            # the shortest method: 4 working hours is half a working day
            "processing_days": 0.5,
            "url": "http://testserver/api/v1/procedures/1.001193/",
        }
    ]


def test_processing_days_is_a_whole_number_or_null(client, catalogue):
    results = {item["code"]: item for item in client.get(LIST_URL, {"sector": "HT"}).json()["results"]}
    assert results["1.001695"]["processing_days"] == 3
    assert isinstance(results["1.001695"]["processing_days"], int)
    assert results["2.000635"]["processing_days"] is None


def test_detail_holds_the_whole_record(client, catalogue):
    response = client.get("/api/v1/procedures/1.001193/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "1.001193"
    assert body["url"] == "http://testserver/api/v1/procedures/1.001193/"
    assert body["portal_url"] == "http://testserver/thu-tuc/1.001193/"
    assert body["sector"] == {"code": "HT", "slug": "ho-tich", "name": "Hộ tịch"}
    assert (body["authority_level"], body["service_level"], body["online_level"]) == ("commune", "full", 4)
    assert body["processing_days"] == 0.5
    assert body["implementing_body"] == "UBND cấp xã"
    assert body["applicant_types"] == ["citizen", "foreigner"]
    assert (body["requirements"], body["result_type"], body["notes"]) == ("Không", "Giấy khai sinh", "")
    assert body["effective_from"] == "2025-07-01"
    assert body["agencies"] == [
        {
            "code": "000.11.22.H26",
            "slug": "ubnd-xa-an-binh",
            "name": "UBND xã An Bình",
            "level": "commune",
            "parent": "000.00.00.H26",
            "short_name": "",
            "kind": "peoples_committee",
            "address": "Thôn 1, xã An Bình",
            "phone": "0220 3850 123",
            "email": "anbinh@example.vn",
            "website": "",
            "office_hours": "",
        }
    ]
    assert body["steps"] == [
        {"order": 1, "title": "Nộp hồ sơ", "description": "Tại bộ phận một cửa"},
        {"order": 2, "title": "Nhận kết quả", "description": ""},
    ]
    assert body["methods"] == [
        {
            "channel": "in_person",
            "processing_time": 1,
            "time_unit": "working_day",
            "processing_days": 1,
            "description": "",
        },
        {
            "channel": "online",
            "processing_time": 4,
            "time_unit": "working_hour",
            "processing_days": 0.5,
            "description": "4 giờ",
        },
    ]
    per_dossier = {"unit_label": "", "per_unit": "", "exemptions": [], "wording": [], "description": ""}
    assert body["fees"] == [
        {"channel": None, "name": "Lệ phí đăng ký khai sinh", "amount": 0, **per_dossier},
        {"channel": "postal", "name": "Bưu chính", "amount": None, **per_dossier},
    ]
    first, second = body["components"]
    assert first == {
        "order": 1,
        "name": "Tờ khai đăng ký khai sinh",
        "copies": {"originals": 1, "certified_copies": 0, "photocopies": 0},
        "is_required": True,
        "form_name": "Mẫu",
        "form_template_url": "http://testserver/media/catalog/forms/1.001193/01.docx",
        "note": "",
    }
    assert second["copies"] == {"originals": 1, "certified_copies": 0, "photocopies": 2}
    assert (second["is_required"], second["form_template_url"]) == (False, None)
    assert body["legal_basis"] == [
        {
            "number": "60/2014/QH13",
            "kind": "law",
            "title": "Luật Hộ tịch",
            "issuer": "",
            "issued_on": "2014-11-20",
        }
    ]
    assert "updated_at" in body
    assert not {"search_name", "search_text", "id", "popularity"} & set(body)


def test_the_form_template_url_downloads_the_file(client, catalogue):
    url = client.get("/api/v1/procedures/1.001193/").json()["components"][0]["form_template_url"]
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"form"


@pytest.mark.parametrize("code", ["9.999999", "1.000001", "not-a-code"])
def test_unknown_or_inactive_procedure_is_a_json_404(client, catalogue, vietnamese, code):
    response = client.get(f"/api/v1/procedures/{code}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": vietnamese("No published procedure has the code %(code)s.", code=code)
    }
    english = client.get(f"/api/v1/procedures/{code}/", headers={"accept-language": "en"})
    assert english.json() == {"detail": f"No published procedure has the code {code}."}


def test_agencies_are_a_plain_list_with_parent_codes(client, catalogue):
    make_agency(code="000.99.99.H26", slug="closed", name="Đã giải thể", is_active=False)
    response = client.get("/api/v1/agencies/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "000.00.00.H26",
            "slug": "ubnd-tinh",
            "name": "UBND tỉnh Hải Đông",
            "level": "province",
            "parent": None,
        },
        {
            "code": "000.11.22.H26",
            "slug": "ubnd-xa-an-binh",
            "name": "UBND xã An Bình",
            "level": "commune",
            "parent": "000.00.00.H26",
        },
    ]


def test_sectors_count_their_active_procedures(client, catalogue):
    response = client.get("/api/v1/sectors/")
    assert response.status_code == 200
    by_code = {s["code"]: s for s in response.json()}
    assert by_code["HT"] == {"code": "HT", "slug": "ho-tich", "name": "Hộ tịch", "procedure_count": 3}
    assert by_code["DD"]["procedure_count"] == 1


# --- search and filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sinh"])
def test_birth_registration_comes_first(client, catalogue, query):
    response = client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    assert response.json()["results"][0]["name"] == "Thủ tục đăng ký khai sinh"
    assert "1.000001" not in codes(response)  # inactive


def test_results_keep_the_search_rank(client, catalogue):
    assert codes(client.get(LIST_URL, {"q": "khai sinh"})) == ["1.001193", "1.001695", "2.000635"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "HT"}, {"1.001193", "1.001695", "2.000635"}),
        ({"sector": "dat-dai"}, {"1.004227"}),
        ({"agency": "000.11.22.H26"}, {"1.001193"}),
        ({"agency": "ubnd-tinh"}, {"1.004227"}),
        ({"authority_level": "district"}, {"2.000635"}),
        ({"service_level": "full"}, {"1.001193"}),
        ({"service_level": "information"}, {"2.000635"}),
        ({"service_level": "partial", "sector": "HT"}, {"1.001695"}),
        ({"q": "khai sinh", "authority_level": "commune"}, {"1.001193", "1.001695"}),
        ({"unknown": "ignored"}, {"1.001193", "1.001695", "2.000635", "1.004227"}),
    ],
)
def test_filters(client, catalogue, params, expected):
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    assert set(codes(response)) == expected
    assert response.json()["count"] == len(expected)


def test_pages_link_to_each_other(client, catalogue):
    first = client.get(LIST_URL, {"q": "khai sinh", "page_size": 2}).json()
    assert first["count"] == 3
    assert [r["code"] for r in first["results"]] == ["1.001193", "1.001695"]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/procedures/?")
    assert "page=2" in first["next"] and "q=khai+sinh" in first["next"]

    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert [r["code"] for r in second["results"]] == ["2.000635"]
    assert second["next"] is None
    assert client.get(second["previous"].removeprefix("http://testserver")).json() == first


def test_an_empty_result_is_one_empty_page(client, catalogue):
    body = client.get(LIST_URL, {"q": "không có gì như thế"}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


# --- bad input ------------------------------------------------------------------------------------------


BAD_INPUT = [
    ({"sector": "xyz"}, "sector", "Unknown sector '%(value)s'.", {"value": "xyz"}),
    ({"agency": "nowhere"}, "agency", "Unknown agency '%(value)s'.", {"value": "nowhere"}),
    (
        {"authority_level": "galaxy"},
        "authority_level",
        "Unknown level of authority '%(value)s'.",
        {"value": "galaxy"},
    ),
    ({"service_level": "5"}, "service_level", "Unknown service level '%(value)s'.", {"value": "5"}),
    (
        {"q": "khai sinh " * 30},
        "q",
        "The search text is too long: at most %(max)s characters, please shorten it.",
        {"max": 200},
    ),
    ({"page": "abc"}, "page", "The page must be a whole number from 1.", {}),
    ({"page": "0"}, "page", "The page must be a whole number from 1.", {}),
    ({"page": "-1"}, "page", "The page must be a whole number from 1.", {}),
    ({"page": "²"}, "page", "The page must be a whole number from 1.", {}),
    ({"page": "9"}, "page", "There is no page %(page)s of these results.", {"page": "9"}),
    ({"page": "9" * 5000}, "page", "There is no page %(page)s of these results.", {"page": "9" * 5000}),
    (
        {"page_size": "1000"},
        "page_size",
        "The page size must be a whole number from 1 to %(max)s.",
        {"max": 100},
    ),
]


@pytest.mark.parametrize(("params", "field", "msgid", "values"), BAD_INPUT)
def test_bad_input_is_a_400_in_vietnamese(client, catalogue, vietnamese, params, field, msgid, values):
    response = client.get(LIST_URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": vietnamese("The request has invalid values."),
        "errors": {field: [vietnamese(msgid, **values)]},
    }


@pytest.mark.parametrize(("params", "field", "msgid", "values"), BAD_INPUT)
def test_bad_input_is_a_400_in_english_on_request(
    client, catalogue, vietnamese, params, field, msgid, values
):
    response = client.get(LIST_URL, params, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request has invalid values.",
        "errors": {field: [msgid % values]},
    }


def test_every_bad_filter_is_named_at_once(client, catalogue):
    response = client.get(LIST_URL, {"sector": "x", "agency": "y", "authority_level": "z"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"sector", "agency", "authority_level"}


def test_a_null_character_is_refused_not_sent_to_the_database(client, catalogue):
    response = client.get(LIST_URL, {"q": "khai\x00sinh"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"q"}


# --- queries --------------------------------------------------------------------------------------------


def test_a_page_of_twenty_takes_a_constant_number_of_queries(client, django_assert_max_num_queries):
    sector = make_sector(code="MANY", slug="many", name="Nhiều")
    agency = make_agency()
    for n in range(25):
        make_procedure(
            code=f"3.{n:06d}",
            name=f"Thủ tục số {n}",
            sector=sector,
            agencies=[agency],
            methods=[
                {"channel": "online", "processing_time": "2"},
                {"channel": "in_person", "processing_time": "3"},
            ],
        )
    # The page cache's revision, the sector filter, the search's revision, the page's rows and their
    # processing times, and once per catalogue revision two queries that build the search index.
    with django_assert_max_num_queries(7):
        response = client.get(LIST_URL, {"sector": "many"})
    assert len(response.json()["results"]) == 20
    with django_assert_max_num_queries(5):  # the index is built now
        response = client.get(LIST_URL, {"sector": "many", "page": 2})
    assert len(response.json()["results"]) == 5
    with django_assert_max_num_queries(1):  # the same request again: only the revision is read
        response = client.get(LIST_URL, {"sector": "many", "page": 2})
    assert len(response.json()["results"]) == 5


def test_the_detail_takes_a_constant_number_of_queries(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # the revision, the procedure and its six related lists
        assert client.get("/api/v1/procedures/1.001193/").status_code == 200


# --- schema ---------------------------------------------------------------------------------------------


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    for expected in [
        "/api/v1/procedures/{code}/",
        "/api/v1/agencies/",
        "/api/v1/sectors/",
        "'404':",
        "'400':",
    ]:
        assert expected in text


def test_the_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    list_parameters = {p["name"] for p in paths["/api/v1/procedures/"]["get"]["parameters"]}
    assert list_parameters >= {"q", "sector", "agency", "authority_level", "service_level", "page"}
    assert client.get("/api/docs/").status_code == 200


def test_the_contract_matches_the_schema(client, catalogue):
    """Every key the list and the detail return is declared in the schema, and nothing declared is missing."""
    components = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}).json()[
        "components"
    ]["schemas"]
    item = client.get(LIST_URL, {"q": "1.001193"}).json()["results"][0]
    detail = client.get("/api/v1/procedures/1.001193/").json()
    assert set(components["ProcedureList"]["properties"]) == set(item)
    assert set(components["ProcedureDetail"]["properties"]) == set(detail)
    assert Procedure.objects.count() == 5
