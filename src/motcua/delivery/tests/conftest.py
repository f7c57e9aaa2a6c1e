"""Fixtures of the delivery tests: the shared dossier fixtures, with a procedure whose result may go by
post, a dossier of it sent with delivery by post, and the officers who take it to its result."""

import pytest

from motcua.accounts.models import OfficerRole
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers import services
from motcua.dossiers.tests.fixtures import TEST_PROCEDURE, make_officer, pdf_bytes, upload

ADDRESS = {
    "name": "Lê Thị Hoa",
    "phone": "0912 345 678",
    "province": "Tỉnh Hải Đông",
    "commune": "phường hải an",
    "detail": "Số 12 đường Lê Lợi",
}


@pytest.fixture
def procedure(agency):
    """The shared procedure, which also lists the post among its ways (so results may go by post)."""
    postal = {"channel": "postal", "processing_time": "5", "time_unit": "working_day"}
    return make_procedure(
        agencies=[agency], **{**TEST_PROCEDURE, "methods": [*TEST_PROCEDURE["methods"], postal]}
    )


@pytest.fixture
def staff(agency):
    return {r: make_officer(f"{r}.buu-chinh", agency, role=r) for r in OfficerRole.values}


def send(citizen, procedure, data, **delivery):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    if delivery:
        draft = services.update_draft(draft, by=citizen, **delivery)
    return services.submit(draft, by=citizen)


def to_result(dossier, staff):
    """Received, then decided against by the leader: the result (the reasons, in writing) is ready (9)."""
    dossier = services.receive(dossier, by=staff["desk"])
    return services.reject(dossier, by=staff["leader"], note="Không đủ điều kiện theo quy định.")


@pytest.fixture
def by_post(citizen, procedure, online_form, valid_data):
    return send(citizen, procedure, valid_data, result_delivery="post", delivery_address=dict(ADDRESS))
