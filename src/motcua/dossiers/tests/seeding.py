"""A small world for the tests of ``manage.py seed_load`` and of what other apps add to seeded dossiers
(payments, engagement, stats): the test agency with an officer of every role, the shared test procedure
(no fee, papers without a kind), and a procedure with a fee taken before processing, received online and
at the desk, whose papers include an ID card (which applicants keep in their store and reuse). The agency
takes payments through the sandbox and VNPay."""

import io

from django.core.management import call_command

from motcua.accounts.models import OfficerRole
from motcua.catalog.tests.factories import make_procedure
from motcua.payments.models import GatewayAccount

from .fixtures import make_officer

FEE_PROCEDURE = {
    "code": "9.100002",
    "name": "Cấp giấy phép thử nghiệm có lệ phí",
    "online_level": 4,
    "applicant_types": ["citizen", "business"],
    "fee_before_processing": True,
    "methods": [
        {"channel": "online", "processing_time": "5", "time_unit": "working_day"},
        {"channel": "in_person", "processing_time": "5", "time_unit": "working_day"},
    ],
    "fees": [{"name": "Lệ phí cấp giấy phép", "amount": 150000}],
    "components": [
        {"name": "Đơn đề nghị", "originals": 1, "is_required": True},
        {"name": "Căn cước", "photocopies": 1, "is_required": True, "paper_kind": "id_card"},
    ],
}


def seed_world(agency, procedure):
    """Officers of every role at ``agency`` (the desk's own fixture aside), the fee procedure, two gateway
    accounts; returns the fee procedure. ``procedure`` (the shared test one) is received there already."""
    for role in (OfficerRole.DESK, OfficerRole.SPECIALIST, OfficerRole.LEADER, OfficerRole.RECORDS):
        make_officer(f"{role}.seed", agency, role)
    GatewayAccount.objects.create(agency=agency, gateway="sandbox")
    GatewayAccount.objects.create(agency=agency, gateway="vnpay", merchant_code="THU00001", secret_env="X")
    return make_procedure(agencies=[agency], **FEE_PROCEDURE)


def seed(**options) -> str:
    """``manage.py seed_load`` with ``options``; what it printed."""
    out = io.StringIO()
    call_command("seed_load", stdout=out, **options)
    return out.getvalue()
