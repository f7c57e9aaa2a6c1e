"""A desk officer registers a dossier handed in at the counter, scanning its papers; others cannot."""

import pytest

from motcua.accounts.models import OfficerRole
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.fixtures import PASSWORD, make_officer, pdf_bytes, upload

URL = "/mot-cua/ubnd-xa-thu/tiep-nhan/9.100001/"


@pytest.fixture
def desk(client, desk_officer):
    assert client.login(username=desk_officer.username, password=PASSWORD)
    return client


def applicant(**extra):
    return {
        "channel": "in_person",
        "kind": "citizen",
        "name": "Đỗ Văn Nam",
        "id_number": "030080012345",
        "phone": "0912000999",
        "email": "",
        "address": "Xóm Bắc",
        "note": "Bản gốc đã đối chiếu",
        **extra,
    }


def test_a_counter_dossier_is_received_at_once_with_its_scans(desk, procedure, online_form, desk_officer):
    response = desk.post(URL, {**applicant(), "component-1": upload(pdf_bytes(), "scan.pdf")})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mot-cua/ho-so/{dossier.code}/"
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.channel == "in_person"
    assert not dossier.due_is_provisional
    assert dossier.applicant is None and dossier.submitted_by == desk_officer
    assert dossier.applicant_name == "Đỗ Văn Nam"
    assert [a.source for a in dossier.attachments.all()] == ["desk"]
    event = dossier.events.get()
    assert (event.action, event.note) == ("register", "Bản gốc đã đối chiếu")

    page = desk.get(response["Location"]).content.decode()
    assert dossier.code in page and "Đỗ Văn Nam" in page
    receipt = desk.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan/")
    assert receipt.content.startswith(b"%PDF")


def test_bad_details_and_a_forged_scan_register_nothing(desk, procedure, online_form):
    response = desk.post(URL, {**applicant(id_number="123"), "component-1": upload(pdf_bytes())})
    assert response.status_code == 400
    response = desk.post(URL, {**applicant(), "component-1": upload(b"MZ\x90\x00", "scan.pdf")})
    assert response.status_code == 400
    assert "dù tên tệp ghi thế nào" in response.content.decode()
    assert not Dossier.objects.exists()


def test_only_desk_officers_of_the_agency(client, procedure, online_form, agency, other_agency, citizen):
    specialist = make_officer("chuyenvien.thu", agency, role=OfficerRole.SPECIALIST)
    elsewhere = make_officer("motcua.khac", other_agency)
    for user in (specialist, elsewhere, citizen):
        client.force_login(user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, applicant()).status_code == 404
    assert not Dossier.objects.exists()


def test_an_officer_sees_only_their_agency_s_dossiers(client, desk, procedure, online_form, other_agency):
    desk.post(URL, {**applicant(), "component-1": upload(pdf_bytes())})
    code = Dossier.objects.get().code
    client.force_login(make_officer("motcua.khac", other_agency))
    assert client.get(f"/mot-cua/ho-so/{code}/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{code}/giay-tiep-nhan/").status_code == 404
