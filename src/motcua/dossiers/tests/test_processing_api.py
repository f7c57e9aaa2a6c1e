"""The actions API: what an officer may do now, doing it, and every kind of refusal (nothing changes)."""

import threading

import pytest
from django.db import close_old_connections, connection

from motcua.accounts.models import OfficerRole
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, DossierStatus

from .fixtures import client_for, make_officer, pdf_bytes, upload


@pytest.fixture
def staff(agency):
    return {role: make_officer(f"{role}.api", agency, role=role) for role in OfficerRole.values}


@pytest.fixture
def code(citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen).code


def test_the_desk_lists_its_actions_and_receives(staff, code):
    desk = client_for(staff["desk"])
    listed = desk.get(f"/api/v1/dossiers/{code}/actions/").json()
    assert listed["actions"] == ["receive", "refuse", "request_supplement"]
    response = desk.post(
        f"/api/v1/dossiers/{code}/actions/", {"action": "receive", "version": listed["version"]}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"]["code"] == 2


def test_assign_forward_through_the_api(staff, code):
    client_for(staff["desk"]).post(f"/api/v1/dossiers/{code}/actions/", {"action": "receive"})
    leader = client_for(staff["leader"])
    response = leader.post(
        f"/api/v1/dossiers/{code}/actions/", {"action": "assign", "assignee": staff["specialist"].username}
    )
    assert response.status_code == 200 and response.json()["status"]["code"] == 4
    specialist = client_for(staff["specialist"])
    assert "propose" in specialist.get(f"/api/v1/dossiers/{code}/actions/").json()["actions"]


@pytest.mark.parametrize(
    ("who", "body", "status"),
    [
        ("specialist", {"action": "receive"}, 403),  # wrong role
        ("desk", {"action": "approve"}, 409),  # wrong moment
        ("desk", {"action": "refuse"}, 400),  # the reason is missing
        ("desk", {"action": "receive", "version": 99}, 409),  # stale version
        ("desk", {"action": "fly"}, 400),  # no such action
        ("desk", {"action": "receive", "papers": ["x"]}, 400),  # a field this action does not take
    ],
)
def test_refused_actions_change_nothing(staff, code, who, body, status):
    response = client_for(staff[who]).post(f"/api/v1/dossiers/{code}/actions/", body, format="json")
    assert response.status_code == status, response.json()
    assert "detail" in response.json()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == DossierStatus.SUBMITTED and dossier.version == 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_another_agency_s_officer_gets_404(code, other_agency, citizen):
    outsider = client_for(make_officer("motcua.api-ngoai", other_agency))
    assert outsider.get(f"/api/v1/dossiers/{code}/actions/").status_code == 404
    assert outsider.post(f"/api/v1/dossiers/{code}/actions/", {"action": "receive"}).status_code == 404
    assert (
        client_for(citizen).post(f"/api/v1/dossiers/{code}/actions/", {"action": "receive"}).status_code
        == 403
    )


@pytest.mark.django_db(transaction=True)
def test_two_officers_acting_at_once_cannot_both_win(agency, citizen, procedure, online_form, valid_data):
    """Two desk officers press "receive" on one dossier at the same moment: one receives, one is refused."""
    from motcua.core.testing import retrying

    desks = [make_officer(f"motcua.dong-thoi-{i}", agency) for i in range(2)]
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    dossier = services.submit(draft, by=citizen)
    outcomes, start = [], threading.Barrier(2)

    def press(officer):
        try:
            start.wait()
            retrying(lambda: services.receive(dossier, by=officer, version=dossier.version))
            outcomes.append("received")
        except services.ActionRefused:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=press, args=(officer,)) for officer in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["received", "refused"]
    assert DossierEvent.objects.filter(dossier=dossier, action="receive").count() == 1


# A payment is requested with its amount at the payments endpoint (payments/tests/test_web.py), not here.
@pytest.mark.parametrize("action", sorted(set(services.REASONS) - {"request_payment"}))
def test_every_action_that_needs_a_reason_refuses_an_empty_one_through_the_api(staff, code, action):
    """One table (``services.REASONS``) says which actions need a note; each service checks it first, so
    the API refuses a blank reason with the message of that action, whoever asks and whenever."""
    response = client_for(staff["leader"]).post(
        f"/api/v1/dossiers/{code}/actions/", {"action": action, "note": " \n "}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert str(services.REASONS[action]) in str(response.json())
    assert Dossier.objects.get(code=code).version == 1


def test_an_online_dossier_is_returned_online_when_the_api_names_no_method(staff, code):
    desk, leader = client_for(staff["desk"]), client_for(staff["leader"])
    desk.post(f"/api/v1/dossiers/{code}/actions/", {"action": "receive"})
    leader.post(f"/api/v1/dossiers/{code}/actions/", {"action": "reject", "note": "Không đủ điều kiện"})
    response = desk.post(f"/api/v1/dossiers/{code}/actions/", {"action": "return_result"})
    assert response.status_code == 200, response.json()
    event = DossierEvent.objects.get(dossier__code=code, action="return_result")
    assert event.detail["method"] == "online"
