"""Một cửa liên thông: a commune receives, a department appraises, the commune signs and returns."""

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import OfficerRole
from motcua.catalog.tests.factories import make_agency
from motcua.dossiers import rules, selectors, services, workflow

from .fixtures import make_officer, pdf_bytes, upload


@pytest.fixture
def department(db):
    return make_agency(code="000.00.03.H26", slug="so-thu", name="Sở Thử nghiệm", level="province")


@pytest.fixture
def liên_thông(procedure, department):
    steps = [
        {"kind": "reception", "budget": 8, "budget_unit": "working_hour"},
        {"kind": "processing", "name": "Xã kiểm tra", "budget": 8, "budget_unit": "working_hour"},
        {
            "kind": "processing",
            "name": "Sở thẩm định",
            "agency": department,
            "budget": 8,
            "budget_unit": "working_hour",
        },
        {"kind": "approval", "budget": 4, "budget_unit": "working_hour"},
        {"kind": "records", "budget": 2, "budget_unit": "working_hour"},
        {"kind": "return", "budget": 2, "budget_unit": "working_hour"},
    ]
    return workflow.save_workflow(procedure, steps)


def test_the_dossier_travels_to_the_department_and_back(
    liên_thông, agency, department, citizen, procedure, online_form, valid_data
):
    commune = {r: make_officer(f"{r}.xa", agency, role=r) for r in OfficerRole.values}
    dept = {r: make_officer(f"{r}.so", department, role=r) for r in OfficerRole.values}
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    dossier = services.submit(draft, by=citizen)
    assert not rules.officer_dossiers(dept["specialist"]).exists()  # not theirs yet

    dossier = services.receive(dossier, by=commune["desk"])
    dossier = services.assign(dossier, by=commune["leader"], assignee=commune["specialist"].username)
    with pytest.raises(ValidationError):
        services.forward(dossier, by=commune["specialist"], to_agency="000.00.99.H26")
    dossier = services.forward(
        dossier, by=commune["specialist"], to_agency=department.code, note="Đề nghị thẩm định"
    )
    assert dossier.current_agency == department
    assert selectors.find_for_officer(dept["specialist"], dossier.code) == dossier
    assert selectors.available_actions(dossier, commune["specialist"]) == []
    assert "assign" in selectors.available_actions(dossier, dept["leader"])

    dossier = services.assign(dossier, by=dept["leader"], assignee=dept["specialist"].username)
    dossier = services.propose(dossier, by=dept["specialist"], note="Đủ điều kiện")
    assert dossier.current_agency == agency and dossier.current_step.kind == "approval"
    event = dossier.events.get(action="propose")
    assert (event.from_agency, event.to_agency) == (department, agency)
    # The department keeps reading the dossier it handled.
    assert rules.may_read(dossier, dept["specialist"])
