"""The catalogue in the Django admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Agency, Procedure
from motcua.catalog.tests.factories import found_by, make_agency, make_procedure, make_sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    client.force_login(user)
    return client


@pytest.fixture
def catalogue():
    province = make_agency(code="000.00.00.H26", slug="ubnd-tinh", name="UBND tỉnh")
    commune = make_agency(code="000.11.22.H26", slug="ubnd-xa", name="UBND xã An Bình", parent=province)
    sector = make_sector(code="HT", slug="ho-tich", name="Hộ tịch")
    birth = make_procedure(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        sector=sector,
        agencies=[commune],
        legal_basis=[{"number": "60/2014/QH13", "title": "Luật Hộ tịch"}],
    )
    death = make_procedure(code="1.000656", name="Thủ tục đăng ký khai tử", sector=sector)
    return {"province": province, "commune": commune, "sector": sector, "birth": birth, "death": death}


def listed(response) -> list:
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/admin/catalog/agency/", {"q": "An Bình", "level": "province", "kind": "other", "is_active": "1"}),
        ("/admin/catalog/sector/", {"q": "Hộ tịch"}),
        ("/admin/catalog/legaldocument/", {"q": "60/2014", "kind": "law"}),
        ("/admin/catalog/procedure/", {"q": "khai sinh", "authority_level": "commune", "online_level": "3"}),
    ],
)
def test_each_changelist_opens_with_search_and_filters(admin_client, catalogue, url, params):
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, params).status_code == 200


@pytest.mark.parametrize("query", ["khai sinh", "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "1.001193"])
def test_procedure_search_ignores_marks_and_case(admin_client, catalogue, query):
    response = admin_client.get("/admin/catalog/procedure/", {"q": query})
    assert listed(response) == [catalogue["birth"]]


def test_procedure_filters(admin_client, catalogue):
    url = "/admin/catalog/procedure/"
    by_agency = admin_client.get(url, {"agencies__id__exact": catalogue["commune"].pk})
    assert listed(by_agency) == [catalogue["birth"]]
    by_sector = admin_client.get(url, {"sector__id__exact": catalogue["sector"].pk})
    assert set(listed(by_sector)) == {catalogue["birth"], catalogue["death"]}
    assert listed(admin_client.get(url, {"is_active__exact": "0"})) == []


def test_agency_search(admin_client, catalogue):
    response = admin_client.get("/admin/catalog/agency/", {"q": "ubnd-xa"})
    assert listed(response) == [catalogue["commune"]]


def test_autocomplete_of_agencies_and_legal_basis(admin_client, catalogue):
    url = "/admin/autocomplete/"
    agencies = admin_client.get(
        url, {"app_label": "catalog", "model_name": "procedure", "field_name": "agencies", "term": "An Bình"}
    )
    assert [r["text"] for r in agencies.json()["results"]] == ["UBND xã An Bình"]
    laws = admin_client.get(
        url,
        {"app_label": "catalog", "model_name": "procedure", "field_name": "legal_basis", "term": "Hộ tịch"},
    )
    assert len(laws.json()["results"]) == 1
    parents = admin_client.get(
        url, {"app_label": "catalog", "model_name": "agency", "field_name": "parent", "term": "tỉnh"}
    )
    assert [r["text"] for r in parents.json()["results"]] == ["UBND tỉnh"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/catalog/agency/add/",
        "/admin/catalog/sector/add/",
        "/admin/catalog/legaldocument/add/",
        "/admin/catalog/procedure/add/",
    ],
)
def test_add_forms_open(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_change_forms_open(admin_client, catalogue):
    birth = catalogue["birth"]
    for url in [
        f"/admin/catalog/agency/{catalogue['commune'].pk}/change/",
        f"/admin/catalog/sector/{catalogue['sector'].pk}/change/",
        f"/admin/catalog/legaldocument/{birth.legal_basis.get().pk}/change/",
        f"/admin/catalog/procedure/{birth.pk}/change/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "Tờ khai" not in response.content.decode()  # no component yet


def inline_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def procedure_post(sector, agency, **fields) -> dict:
    data = {
        "code": "1.004873",
        "name": "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
        "sector": str(sector.pk),
        "authority_level": "commune",
        "online_level": "3",
        "is_active": "on",
        "agencies": [str(agency.pk)],
        "implementing_body": "UBND cấp xã",
        "applicant_types": ["citizen"],
        "requirements": "",
        "result_type": "Giấy xác nhận tình trạng hôn nhân",
        "effective_from": "",
        "popularity": "0",
        "notes": "",
        **inline_management("steps"),
        **inline_management("methods", total=1),
        "methods-0-channel": "online",
        "methods-0-processing_time": "3",
        "methods-0-time_unit": "working_day",
        "methods-0-description": "",
        **inline_management("fees"),
        **inline_management("components", total=1),
        "components-0-order": "1",
        "components-0-is_required": "on",
        "components-0-name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
        "components-0-originals": "1",
        "components-0-certified_copies": "0",
        "components-0-photocopies": "0",
        "components-0-form_name": "Mẫu TP/HT-2020-XNTTHN",
        "components-0-form_template": SimpleUploadedFile("to khai.docx", b"docx bytes"),
        "components-0-note": "",
    }
    data.update(fields)
    return data


def test_saving_a_procedure_with_an_inline_component_updates_search(admin_client, catalogue):
    response = admin_client.post(
        "/admin/catalog/procedure/add/", procedure_post(catalogue["sector"], catalogue["commune"])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    procedure = Procedure.objects.get(code="1.004873")
    component = procedure.components.get()
    assert component.name == "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
    assert component.form_template.name == "catalog/forms/1.004873/01.docx"
    assert component.form_template.read() == b"docx bytes"
    assert procedure.applicant_types == ["citizen"]
    procedure.refresh_from_db()
    # The component and the agency, saved after the procedure itself, are in its search text.
    assert procedure.code in found_by("to khai cap giay xac nhan")
    assert procedure.code in found_by("ubnd xa an binh")
    search = admin_client.get("/admin/catalog/procedure/", {"q": "tinh trang hon nhan"})
    assert listed(search) == [procedure]


def test_changing_a_component_in_the_admin_updates_search(admin_client, catalogue):
    birth = catalogue["birth"]
    data = procedure_post(catalogue["sector"], catalogue["commune"], code=birth.code, name=birth.name)
    data["components-0-name"] = "Giấy chứng sinh"
    data["methods-TOTAL_FORMS"] = "0"  # leave its existing method alone
    del data["components-0-form_template"]
    response = admin_client.post(f"/admin/catalog/procedure/{birth.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    birth.refresh_from_db()
    assert birth.code in found_by("giay chung sinh")


def test_a_bad_code_is_refused(admin_client, catalogue):
    data = procedure_post(catalogue["sector"], catalogue["commune"], code="12345")
    response = admin_client.post("/admin/catalog/procedure/add/", data)
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert not Procedure.objects.filter(code="12345").exists()


def test_renaming_an_agency_updates_its_procedures_search(admin_client, catalogue):
    commune = catalogue["commune"]
    response = admin_client.post(
        f"/admin/catalog/agency/{commune.pk}/change/",
        {
            "code": commune.code,
            "slug": commune.slug,
            "name": "UBND phường Hải Châu",
            "short_name": "",
            "level": commune.level,
            "kind": commune.kind,
            "parent": str(catalogue["province"].pk),
            "address": "",
            "phone": "",
            "email": "",
            "website": "",
            "office_hours": "",
            "is_active": "on",
            "order": "0",
        },
    )
    assert response.status_code == 302
    assert Agency.objects.get(pk=commune.pk).name == "UBND phường Hải Châu"
    catalogue["birth"].refresh_from_db()
    assert catalogue["birth"].code in found_by("ubnd phuong hai chau")


@pytest.mark.parametrize(
    "url", ["/admin/catalog/procedure/", "/admin/catalog/procedure/add/", "/admin/catalog/agency/"]
)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def fee_rows(exemptions: str) -> dict:
    return {
        **inline_management("fees", total=1),
        "fees-0-channel": "",
        "fees-0-name": "Lệ phí",
        "fees-0-amount": "30000",
        "fees-0-unit_label": "",
        "fees-0-per_unit": "",
        "fees-0-exemptions": exemptions,
        "fees-0-description": "",
    }


def test_the_admin_refuses_a_bad_exemption_rule_and_derives_the_level(admin_client, catalogue):
    bad = procedure_post(
        catalogue["sector"], catalogue["commune"], **fee_rows('[{"group": "everyone", "waive": "all"}]')
    )
    response = admin_client.post("/admin/catalog/procedure/add/", bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "&#x27;everyone&#x27;" in html and "errorlist" in html  # the rule named in the fee's error
    assert not Procedure.objects.filter(code="1.004873").exists()

    good = procedure_post(
        catalogue["sector"],
        catalogue["commune"],
        fee_before_processing="on",
        declared_online_level="4",
        **fee_rows('[{"group": "poor_household", "waive": "all"}]'),
    )
    response = admin_client.post("/admin/catalog/procedure/add/", good)
    assert response.status_code == 302
    procedure = Procedure.objects.get(code="1.004873")
    assert procedure.fees.get().exemptions == [{"group": "poor_household", "waive": "all"}]
    assert procedure.fee_before_processing
    # Declared 4, but the commune takes no payment online: the portal says 3.
    assert (procedure.declared_online_level, procedure.online_level) == (4, 3)


def test_the_agency_admin_shows_online_payment_read_only(admin_client, catalogue):
    html = admin_client.get(f"/admin/catalog/agency/{catalogue['commune'].pk}/change/").content.decode()
    assert "accepts online payment" in html.lower() or "nhận thanh toán trực tuyến" in html.lower()
    assert 'name="accepts_online_payment"' not in html
