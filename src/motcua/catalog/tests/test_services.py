from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from motcua.catalog import services
from motcua.catalog.models import Agency, Procedure
from motcua.catalog.tests.factories import make_agency, make_procedure, make_sector

pytestmark = pytest.mark.django_db


def test_records_that_will_be_skipped_are_not_checked():
    existing = make_procedure(code="1.000001")
    sector = make_sector()
    stale = {"code": existing.code, "name": "x", "authority_level": "nowhere", "sector": "gone"}
    fresh = {"code": "1.000002", "name": "Thủ tục mới", "authority_level": "commune", "sector": sector.code}

    result = services.import_records([stale, fresh], update_existing=False)

    assert result.skipped == ["1.000001"]
    assert result.created == ["1.000002"]
    assert Procedure.objects.get(code="1.000001").name == existing.name


def test_an_update_without_template_paths_keeps_the_forms_already_stored():
    procedure = make_procedure(components=[{"name": "Tờ khai", "form_name": "Mẫu 01"}, {"name": "Giấy tờ"}])
    form = procedure.components.get(name="Tờ khai")
    form.form_template.save("to-khai.docx", ContentFile(b"PK..."))
    stored = form.form_template.name

    record = services.procedure_to_record(services.export_queryset().get(pk=procedure.pk))
    for component in record["components"]:
        component["form_template"] = ""  # as a spreadsheet edited by hand would come back
    record["components"].reverse()
    services.import_records([record])

    assert procedure.components.get(name="Tờ khai").form_template.name == stored
    assert procedure.components.get(name="Giấy tờ").form_template.name == ""


def test_processing_days_prefers_working_time_over_calendar_days():
    procedure = make_procedure(
        methods=[
            {"channel": "online", "processing_time": "2", "time_unit": "day"},
            {"channel": "in_person", "processing_time": "4", "time_unit": "working_hour"},
        ]
    )
    assert procedure.processing_days == Decimal("0.50")
    only_calendar = make_procedure(
        methods=[{"channel": "online", "processing_time": "15", "time_unit": "day"}]
    )
    assert only_calendar.processing_days == Decimal("15")


def test_an_agency_cannot_be_placed_under_its_own_descendant():
    root = make_agency()
    child = make_agency(parent=root)
    root.parent = child
    with pytest.raises(ValidationError):
        root.clean()


def test_agency_clean_stops_on_a_cycle_above_it():
    a = make_agency()
    b = make_agency(parent=a)
    Agency.objects.filter(pk=a.pk).update(parent=b)  # a cycle a ↔ b, left by bad data
    c = make_agency(parent=Agency.objects.get(pk=b.pk))
    c.clean()  # returns instead of looping forever
