"""The demo catalogue: what ``load_demo`` puts in the database, and that running it again changes nothing."""

import io

import pytest
from django.core.files.storage import default_storage
from docx import Document

from motcua.catalog.demo import load_demo, read_fixture
from motcua.catalog.models import Agency, AuthorityLevel, DossierComponent, Procedure, Sector
from motcua.catalog.selectors import ProcedureFilters, most_used_procedures, search_procedures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    # Only the tests about form templates need the files; leaving them out keeps the suite quick.
    return load_demo(forms=False)


@pytest.fixture
def demo_with_forms():
    return load_demo()


def province_root() -> Agency:
    return Agency.objects.get(level=AuthorityLevel.PROVINCE, parent=None)


def test_the_demo_holds_enough_procedures_in_enough_sectors(demo):
    assert demo.procedures_created >= 48
    assert Procedure.objects.active().count() >= 48
    sectors_in_use = Sector.objects.filter(procedures__isnull=False).distinct().count()
    assert sectors_in_use >= 10


def test_the_province_has_two_tiers_and_a_district_tier_for_history(demo):
    root = province_root()
    assert "Hải Đông" in root.name
    communes = root.children.filter(level=AuthorityLevel.COMMUNE, kind="peoples_committee", is_active=True)
    assert communes.count() >= 8
    assert root.children.filter(kind="service_centre").exists()
    assert Agency.objects.filter(level=AuthorityLevel.DISTRICT).exists()
    assert Agency.objects.filter(level=AuthorityLevel.DISTRICT, is_active=False).exists()
    central_roots = Agency.objects.filter(level=AuthorityLevel.CENTRAL, parent=None)
    assert central_roots.exists()
    # Commune police stand under the provincial police, in the commune tier.
    police = Agency.objects.filter(kind="police", level=AuthorityLevel.COMMUNE)
    assert police.exists()
    assert all(p.parent.kind == "police" for p in police)


def test_every_procedure_is_complete(demo):
    procedures = Procedure.objects.prefetch_related(
        "steps", "methods", "components", "legal_basis", "agencies"
    )
    for procedure in procedures:
        assert procedure.steps.all(), procedure.code
        assert procedure.methods.all(), procedure.code
        assert procedure.components.all(), procedure.code
        assert procedure.legal_basis.all(), procedure.code
        assert procedure.agencies.all(), procedure.code
        assert procedure.implementing_body, procedure.code


def test_every_agency_code_in_the_records_resolves():
    codes = {a["code"] for a in read_fixture("agencies.json", "agencies")}
    records = read_fixture("procedures.json")
    for record in records:
        missing = set(record["agencies"]) - codes
        assert not missing, (record["code"], missing)


def test_commune_procedures_go_to_every_commune_and_residence_to_the_police(demo):
    communes = set(
        Agency.objects.filter(level=AuthorityLevel.COMMUNE, kind="peoples_committee").values_list(
            "pk", flat=True
        )
    )
    birth = Procedure.objects.get(code="1.001193")
    assert set(birth.agencies.values_list("pk", flat=True)) == communes
    residence = Procedure.objects.get(code="1.004222")
    assert {a.kind for a in residence.agencies.all()} == {"police"}


def test_a_second_run_creates_nothing_and_keeps_what_administrators_changed(demo):
    procedure = Procedure.objects.get(code="1.001193")
    procedure.name = "Đăng ký khai sinh (đã sửa bởi quản trị viên)"
    procedure.save()
    agency = province_root()
    agency.phone = "0200 3 999 999"
    agency.save()

    again = load_demo(forms=False)

    assert again.agencies_created == 0
    assert again.sectors_created == 0
    assert again.procedures_created == 0
    assert again.procedures_skipped == demo.procedures_created
    assert Procedure.objects.get(code="1.001193").name == "Đăng ký khai sinh (đã sửa bởi quản trị viên)"
    assert province_root().phone == "0200 3 999 999"


def test_a_deleted_procedure_comes_back_without_touching_the_others(demo):
    Procedure.objects.get(code="2.000635").delete()
    again = load_demo(forms=False)
    assert again.procedures_created == 1
    assert Procedure.objects.filter(code="2.000635").exists()


def test_a_taken_slug_keeps_the_administrators_agency_and_the_demo_still_loads():
    # Before the first load, an administrator created their own agency under a slug the demo wants.
    Agency.objects.create(
        code="ADMIN-1", slug="ubnd-xa-cam-giang", name="Cơ quan của quản trị viên", level="commune"
    )
    result = load_demo(forms=False)
    assert "008.00.30.H99" in result.agencies_skipped
    assert Agency.objects.get(slug="ubnd-xa-cam-giang").code == "ADMIN-1"
    assert result.procedures_created >= 48
    birth = Procedure.objects.get(code="1.001193")
    assert not birth.agencies.filter(code="008.00.30.H99").exists()
    assert birth.agencies.count() == 8


def test_form_templates_are_stored_as_documents_that_open(demo_with_forms):
    with_forms = DossierComponent.objects.exclude(form_name="")
    assert demo_with_forms.forms_written == with_forms.count() > 0
    assert not with_forms.filter(form_template="").exists()

    component = DossierComponent.objects.get(procedure__code="1.004222", form_name="Mẫu CT01")
    assert component.form_template.name == f"catalog/forms/1.004222/{component.order:02d}.docx"
    assert default_storage.exists(component.form_template.name)
    with default_storage.open(component.form_template.name, "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "1.004222" in text and "Đăng ký thường trú" in text
    assert "Họ, chữ đệm, tên" in text and "Số định danh cá nhân" in text
    assert "(Ký, ghi rõ họ, chữ đệm, tên)" in text


def test_searching_the_demo_finds_birth_registration_first(demo):
    results = list(search_procedures(ProcedureFilters(q="dang ky khai sinh")))
    assert results[0].code == "1.001193"


def test_the_most_used_are_the_everyday_procedures(demo):
    top = [p.code for p in most_used_procedures(limit=7)]
    for code in ("1.001193", "1.004222", "1.004194", "1.004873", "2.000815", "1.001612"):
        assert code in top


def test_a_second_run_writes_no_form_twice_but_fills_in_a_removed_one(demo_with_forms):
    assert load_demo().forms_written == 0
    component = DossierComponent.objects.exclude(form_name="").first()
    component.form_template = ""
    component.save()
    assert load_demo().forms_written == 1
