import pytest

from motcua.catalog.selectors import ProcedureFilters, search_procedures
from motcua.catalog.tests.factories import make_procedure, make_sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def civil_status():
    sector = make_sector(name="Hộ tịch", code="HT", slug="ho-tich")
    birth = make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh", sector=sector)
    foreign_birth = make_procedure(
        code="1.001695", name="Thủ tục đăng ký khai sinh có yếu tố nước ngoài", sector=sector
    )
    copy = make_procedure(
        code="2.000635", name="Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", sector=sector
    )
    death = make_procedure(code="1.000656", name="Thủ tục đăng ký khai tử", sector=sector)
    return {"birth": birth, "foreign_birth": foreign_birth, "copy": copy, "death": death}


@pytest.mark.parametrize(
    "query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sinh", "Đăng ký khai sinh"]
)
def test_birth_registration_comes_first_however_it_is_typed(civil_status, query):
    results = list(search_procedures(ProcedureFilters(q=query)))
    assert results[0] == civil_status["birth"]


def test_name_matches_rank_before_text_matches(civil_status):
    codes = [p.code for p in search_procedures(ProcedureFilters(q="khai sinh"))]
    assert codes == ["1.001193", "1.001695", "2.000635"]


def test_every_word_must_match(civil_status):
    assert list(search_procedures(ProcedureFilters(q="khai tu"))) == [civil_status["death"]]
    assert list(search_procedures(ProcedureFilters(q="khai sinh giay phep"))) == []


def test_a_code_finds_its_procedure(civil_status):
    assert list(search_procedures(ProcedureFilters(q="2.000635"))) == [civil_status["copy"]]


def test_inactive_procedures_are_not_found(civil_status):
    civil_status["birth"].is_active = False
    civil_status["birth"].save()
    assert civil_status["birth"] not in search_procedures(ProcedureFilters(q="khai sinh"))


def codes(filters):
    return [p.code for p in search_procedures(filters)]


def test_results_follow_every_change_of_the_catalogue(civil_status):
    from motcua.catalog import services

    assert codes(ProcedureFilters(q="khai tu")) == ["1.000656"]  # the index is built now

    birth = civil_status["birth"]
    birth.name = "Thủ tục đăng ký khai tử cho người mất tích"  # an edit in the admin
    birth.save()
    assert codes(ProcedureFilters(q="khai tu")) == ["1.000656", "1.001193"]

    record = services.procedure_to_record(services.export_queryset().get(code="1.000656"))
    record["is_active"] = False  # an import that withdraws a procedure
    services.import_records([record])
    assert codes(ProcedureFilters(q="khai tu")) == ["1.001193"]


def test_filters_and_listing_without_words(civil_status):
    from motcua.catalog.tests.factories import make_agency

    commune = make_agency(level="commune")
    civil_status["death"].agencies.add(commune)
    assert codes(ProcedureFilters(agency=commune)) == ["1.000656"]
    assert codes(ProcedureFilters(q="khai sinh", service_level="partial")) == [
        "1.001193",
        "1.001695",
        "2.000635",
    ]
    assert codes(ProcedureFilters(q="khai sinh", service_level="full")) == []
    # Without words: by folded name ("cap ban sao…", "dang ky khai sinh", "… khai sinh co…", "… khai tu").
    assert codes(ProcedureFilters()) == ["2.000635", "1.001193", "1.001695", "1.000656"]
