"""Builders of the ratings tests: the shared procedure, form and applicants (``dossiers.tests.fixtures``),
the test agency's staff, and dossiers taken through the real services to the ends an applicant may rate
(result returned, refused, stopped) and to those they may not (in progress, withdrawn)."""

import pytest

from motcua.accounts.models import OfficerRole
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers import services
from motcua.dossiers.tests.fixtures import TEST_PROCEDURE, make_officer, pdf_bytes, upload

from .consultation_fixtures import consultation, draft_consultation  # noqa: F401 (consultations' fixtures)
from .dialogue_fixtures import (  # noqa: F401 (the dialogue tests' fixtures)
    answered,
    approved,
    dialogue_people,
    live_session,
    upcoming_session,
)
from .petition_fixtures import people, petition, routed, tree  # noqa: F401 (the petitions tests' fixtures)

CRITERIA = {"access": 5, "procedure": 4, "officers": 5, "processing_time": 3, "result": 4}


@pytest.fixture
def staff(agency):
    roles = (OfficerRole.DESK, OfficerRole.SPECIALIST, OfficerRole.LEADER)
    return {role: make_officer(f"{role}.danh-gia", agency, role=role) for role in roles}


@pytest.fixture
def other_staff(other_agency):
    """The desk of another commune, which receives the same procedure (so it can have ratings too)."""
    return {OfficerRole.DESK: make_officer("desk.xa-khac", other_agency, role=OfficerRole.DESK)}


@pytest.fixture
def procedure(agency, other_agency):
    return make_procedure(agencies=[agency, other_agency], **TEST_PROCEDURE)


def data_of(citizen) -> dict:
    """The test form's data as ``citizen`` fills it in (their name and ID, the username, are locked)."""
    return {"full_name": citizen.full_name, "personal_id": citizen.username, "reason": "Xin xác nhận"}


def send(citizen, procedure, data, agency=None):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=data, agency=agency)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


def to_returned(dossier, staff):
    """Received, decided against by the leader (the written answer is the result), handed over at the desk
    (10): the shortest way through the real transitions to a result returned."""
    dossier = services.receive(dossier, by=staff["desk"])
    dossier = services.reject(dossier, by=staff["leader"], note="Không đủ điều kiện theo quy định.")
    return services.return_result(dossier, by=staff["desk"], method="desk")


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data, agency):
    return send(citizen, procedure, valid_data, agency=agency)


@pytest.fixture
def returned(sent, staff):
    return to_returned(sent, staff)


@pytest.fixture
def refused(sent, staff):
    return services.refuse(sent, by=staff["desk"], note="Không thuộc thẩm quyền.")


@pytest.fixture
def stopped(sent, staff):
    services.receive(sent, by=staff["desk"])
    return services.stop(sent, by=staff["leader"], note="Người nộp đề nghị dừng.")


@pytest.fixture
def withdrawn(sent, citizen):
    return services.withdraw(sent, by=citizen, note="Không cần nữa.")


@pytest.fixture
def in_progress(sent, staff):
    return services.receive(sent, by=staff["desk"])
