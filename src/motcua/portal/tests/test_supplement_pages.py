"""The applicant's side of processing: supplying papers online, withdrawing, the result and the store."""

import pytest

from motcua.accounts.models import OfficerRole
from motcua.dossiers import services
from motcua.dossiers.models import DossierStatus
from motcua.dossiers.tests.fixtures import PASSWORD, make_officer, pdf_bytes, upload


@pytest.fixture
def staff(agency):
    return {r: make_officer(f"{r}.web", agency, role=r) for r in OfficerRole.values}


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


@pytest.fixture
def signed_in(client, citizen):
    assert client.login(username=citizen.username, password=PASSWORD)
    return client


def test_the_applicant_supplies_the_papers_online(signed_in, sent, staff):
    services.request_supplement(
        services.receive(sent, by=staff["desk"]), by=staff["desk"], note="Thiếu giấy tờ chứng minh",
        papers=["Giấy tờ chứng minh"],
    )  # fmt: skip
    page = signed_in.get(f"/ho-so/{sent.code}/").content.decode()
    assert "Thiếu giấy tờ chứng minh" in page and "/bo-sung/" in page
    slip = signed_in.get(f"/ho-so/{sent.code}/phieu/supplement_request/")
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")
    response = signed_in.post(
        f"/ho-so/{sent.code}/bo-sung/", {"paper-2": upload(pdf_bytes()), "note": "Đã bổ sung"}
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == DossierStatus.RECEIVED and sent.attachments.count() == 2


def test_a_forged_supplement_file_is_refused(signed_in, sent, staff):
    services.request_supplement(sent, by=staff["desk"], note="Thiếu")
    response = signed_in.post(f"/ho-so/{sent.code}/bo-sung/", {"paper-2": upload(b"MZ\x90\x00", "a.pdf")})
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == DossierStatus.SUPPLEMENT_REQUESTED and sent.attachments.count() == 1


def test_withdraw_and_what_another_person_cannot_do(client, signed_in, sent, other_citizen):
    signed_in.logout()
    client.login(username=other_citizen.username, password=PASSWORD)
    assert client.post(f"/ho-so/{sent.code}/rut/").status_code == 404
    assert client.get(f"/ho-so/{sent.code}/ket-qua/").status_code == 404
    client.logout()
    client.login(username=sent.applicant.username, password=PASSWORD)
    assert client.post(f"/ho-so/{sent.code}/rut/", {"note": "Nộp nhầm"}).status_code == 302
    sent.refresh_from_db()
    assert sent.status == DossierStatus.WITHDRAWN


def test_the_control_sheet_is_the_agencies_own(signed_in, sent):
    assert signed_in.get(f"/ho-so/{sent.code}/phieu/control_sheet/").status_code == 404
    assert signed_in.get(f"/ho-so/{sent.code}/phieu/nonsense/").status_code == 404


def test_store_page_lists_nothing_yet(signed_in, sent):
    assert signed_in.get("/kho-du-lieu/").status_code == 200
