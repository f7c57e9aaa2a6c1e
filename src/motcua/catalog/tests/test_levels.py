"""The service level is derived from what a procedure offers here, stored, and the same everywhere."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from motcua.catalog import services
from motcua.catalog.models import Fee, OnlineLevel, Procedure
from motcua.catalog.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

ONLINE = [{"channel": "online", "processing_time": "3"}]
IN_PERSON = [{"channel": "in_person", "processing_time": "3"}]


def level(procedure) -> int:
    return Procedure.objects.get(pk=procedure.pk).online_level


def test_the_levels_from_information_to_full_online():
    path = default_storage.save("catalog/forms/9.000001/01.docx", ContentFile(b"form"))
    information = make_procedure(methods=IN_PERSON, fees=[])
    forms = make_procedure(
        methods=IN_PERSON, fees=[], components=[{"name": "Tờ khai", "form_template": path}]
    )
    online = make_procedure(methods=ONLINE, agencies=[make_agency()], fees=[{"name": "Lệ phí", "amount": 5}])
    free = make_procedure(methods=ONLINE, fees=[{"name": "Lệ phí", "amount": 0}], online_level=2)
    assert [level(p) for p in (information, forms, online, free)] == [1, 2, 3, 4]


def test_the_declared_level_is_kept_apart_and_exported_with_the_derived_one():
    procedure = make_procedure(methods=IN_PERSON, fees=[], online_level=4)
    record = services.procedure_to_record(Procedure.objects.get(pk=procedure.pk))
    assert (record["online_level"], record["declared_online_level"]) == (1, 4)
    again = services.clean_record(record, 1)[0]
    assert again["declared_online_level"] == 4  # a round trip keeps the declared level


def test_nothing_says_level_4_where_payment_is_impossible(client):
    agency = make_agency()
    paid = make_procedure(methods=ONLINE, agencies=[agency], fees=[{"name": "Lệ phí", "amount": 20000}])
    varies = make_procedure(methods=ONLINE, agencies=[agency], fees=[{"name": "Lệ phí", "amount": None}])
    assert (level(paid), level(varies)) == (3, 3)  # the agency takes no payment online yet

    services.set_accepts_online_payment(agency, True)
    assert (level(paid), level(varies)) == (4, 3)  # an amount that varies still cannot be paid online

    for procedure in Procedure.objects.all():
        payable = all(f.amount is not None for f in procedure.fees.all() if f.channel in ("", "online"))
        takes = all(a.accepts_online_payment for a in procedure.agencies.all())
        charges = any(f.amount for f in procedure.fees.all() if f.channel in ("", "online"))
        if procedure.online_level == OnlineLevel.LEVEL_4 and charges:
            assert payable and takes and procedure.agencies.exists(), procedure.code
        body = client.get(f"/api/v1/procedures/{procedure.code}/").json()
        assert (body["online_level"], body["service_level"]) == (
            procedure.online_level,
            procedure.service_level,
        )

    services.set_accepts_online_payment(agency, False)
    assert level(paid) == 3


def test_one_agency_without_online_payment_keeps_the_procedure_at_3():
    taking, not_taking = make_agency(), make_agency()
    services.set_accepts_online_payment(taking, True)
    procedure = make_procedure(methods=ONLINE, agencies=[taking], fees=[{"name": "Lệ phí", "amount": 1}])
    assert level(procedure) == 4
    procedure.agencies.add(not_taking)
    assert level(procedure) == 3


def test_a_change_of_fees_or_methods_refreshes_the_level():
    agency = make_agency()
    services.set_accepts_online_payment(agency, True)
    procedure = make_procedure(methods=ONLINE, agencies=[agency], fees=[])
    assert level(procedure) == 4
    Fee.objects.create(procedure=procedure, name="Lệ phí", amount=None)
    assert level(procedure) == 3
    procedure.fees.all().delete()
    procedure.methods.all().delete()
    assert level(procedure) == 1
