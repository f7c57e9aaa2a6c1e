"""A result follows its dossier: the applicant gets it when the status says it is ready, a result that no
longer stands is revoked (and verification says so), the API gives what the portal gives, and signing holds
no lock on the dossier."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from motcua.accounts.models import OfficerRole
from motcua.audit.models import AuditEntry
from motcua.documents import pki
from motcua.documents import selectors as documents
from motcua.documents import services as document_services
from motcua.documents.models import Document
from motcua.dossiers import services, workflow
from motcua.dossiers.models import DossierStatus, ResultSequence, StepKind
from motcua.dossiers.papers import result as result_paper

from .fixtures import PASSWORD, make_officer, pdf_bytes, upload
from .fixtures import client_for as api
from .test_workflow import Clock

S = DossierStatus


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def staff(agency, demo_pki):
    pki.ensure_demo_certificate(agency)
    return {r: make_officer(f"{r}.ket-qua", agency, role=r) for r in OfficerRole.values}


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data, clock):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


def to_approval(dossier, staff):
    dossier = services.receive(dossier, by=staff["desk"])
    dossier = services.assign(dossier, by=staff["leader"], assignee=staff["specialist"].username)
    return services.propose(dossier, by=staff["specialist"])


@pytest.fixture
def approved(sent, staff):
    """Approved and signed, waiting for its number at the records office (status 4, "processing")."""
    return services.approve(to_approval(sent, staff), by=staff["leader"], note="Đồng ý")


def portal(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


class TestTheApplicantGetsTheResultWhenItIsReady:
    def test_not_while_it_waits_for_its_number(self, approved, citizen, staff, client):
        assert approved.status == S.PROCESSING and approved.current_step.kind == StepKind.RECORDS
        code = approved.code
        # Before: the signed result was handed out as soon as it was signed.
        assert portal(client, citizen).get(f"/ho-so/{code}/ket-qua/").status_code == 404
        assert api(citizen).get(f"/api/v1/dossiers/{code}/result/").status_code == 404
        assert api(citizen).get(f"/api/v1/dossiers/{code}/").json()["result"] is None
        assert not documents.store_of(citizen).exists()  # nor in the document store
        # The officers handling it see it.
        assert api(staff["records"]).get(f"/api/v1/dossiers/{code}/result/").status_code == 200
        assert portal(client, staff["records"]).get(f"/mot-cua/ho-so/{code}/ket-qua/").status_code == 200

    def test_once_numbered_the_portal_and_the_api_give_it(self, approved, citizen, staff, client):
        dossier = services.number_result(approved, by=staff["records"])
        code, document = dossier.code, result_paper.standing(dossier)
        page = portal(client, citizen).get(f"/ho-so/{code}/ket-qua/")
        assert page.status_code == 200 and page.content == documents.document_bytes(document)
        assert documents.store_of(citizen).get().document == document
        by_api = api(citizen).get(f"/api/v1/dossiers/{code}/result/")
        assert by_api.status_code == 200 and by_api.content == page.content
        assert by_api["Content-Type"] == "application/pdf"

        shown = api(citizen).get(f"/api/v1/dossiers/{code}/").json()["result"]
        assert shown == {
            "number": "1/2026",
            "title": document.title,
            "issued_at": shown["issued_at"],
            "agency": {"code": dossier.agency.code, "slug": dossier.agency.slug, "name": dossier.agency.name},
            "signer_name": staff["leader"].get_full_name(),
            "signer_title": "",
            "verification_code": document.verification_code,
            "verification_url": f"http://127.0.0.1:8000/xac-minh/{document.verification_code}/",
            "sha256": document.sha256,
            "url": f"/api/v1/dossiers/{code}/result/",
        }

    def test_someone_else_gets_nothing(self, approved, staff, other_citizen, other_agency):
        dossier = services.number_result(approved, by=staff["records"])
        for stranger in (other_citizen, make_officer("leader.khac", other_agency, role="leader")):
            assert api(stranger).get(f"/api/v1/dossiers/{dossier.code}/result/").status_code == 404
            assert api(stranger).get(f"/api/v1/dossiers/{dossier.code}/slips/refusal/").status_code == 404


class TestAResultThatNoLongerStandsIsRevoked:
    def test_stopping_after_the_approval(self, approved, citizen, staff, client):
        result_paper.hand_to_applicant(approved)  # as if it had been handed over already
        document = result_paper.standing(approved)
        content = documents.document_bytes(document)
        services.stop(approved, by=staff["leader"], note="Phát hiện giả mạo giấy tờ")
        document.refresh_from_db()

        assert document.revoked_at is not None and document.revoked_by == staff["leader"]
        assert document.revocation_reason == "Phát hiện giả mạo giấy tờ"
        # Before: the citizen still downloaded it and verification said "genuine".
        assert portal(client, citizen).get(f"/ho-so/{approved.code}/ket-qua/").status_code == 404
        assert api(citizen).get(f"/api/v1/dossiers/{approved.code}/result/").status_code == 404
        assert api(staff["leader"]).get(f"/api/v1/dossiers/{approved.code}/result/").status_code == 404
        by_code = documents.verify_code(document.verification_code)
        by_file = documents.verify_pdf(content)
        for answer in (by_code, by_file):
            assert not answer.genuine and answer.reason == "revoked"
            assert answer.document.revoked_at == document.revoked_at
        public = APIClient().get(f"/api/v1/verify/{document.verification_code}/").json()
        assert public["reason"] == "revoked" and public["document"]["revoked_at"]
        assert "thu hồi" in portal(client, citizen).get(f"/xac-minh/{document.verification_code}/").text
        assert not documents.store_of(citizen).exists()
        assert AuditEntry.objects.filter(action="document.revoke").count() == 1

    def test_a_second_approval_replaces_the_first_and_sending_back_revokes(self, sent, staff, procedure):
        # Approved by the commune, then appraised and approved again (e.g. after a department's opinion).
        kinds = ["reception", "processing", "approval", "processing", "approval", "records", "return"]
        workflow.save_workflow(procedure, [{"kind": k, "budget": "0.5"} for k in kinds])
        dossier = services.approve(to_approval(sent, staff), by=staff["leader"])
        first = result_paper.standing(dossier)
        assert dossier.current_step.kind == StepKind.PROCESSING
        dossier = services.send_back(dossier, by=staff["leader"], note="Sai tên người được khai sinh")
        first.refresh_from_db()
        assert first.revoked_at is not None and result_paper.standing(dossier) is None
        dossier = services.approve(dossier, by=staff["leader"], note="Đã sửa")
        second = result_paper.standing(dossier)
        assert second != first and second.number == "2/2026" == dossier.result_number
        dossier = services.propose(dossier, by=staff["leader"])
        dossier = services.approve(dossier, by=staff["leader"], note="Bản cuối")
        second.refresh_from_db()
        third = result_paper.standing(dossier)
        assert second.revoked_at is not None and third.number == "3/2026" and not third.is_revoked
        assert documents.verify_code(second.verification_code).reason == "revoked"
        assert documents.verify_code(third.verification_code).genuine


class TestSigningHoldsNoLock:
    def test_the_dossier_is_not_locked_while_the_result_is_signed(self, sent, staff, monkeypatch):
        dossier = to_approval(sent, staff)
        seen = []
        real_sign = document_services.sign

        def sign(*args, **kwargs):
            seen.append(len(connection.atomic_blocks))
            return real_sign(*args, **kwargs)

        monkeypatch.setattr(document_services, "sign", sign)
        outside = len(connection.atomic_blocks)  # the test's own transaction
        services.approve(dossier, by=staff["leader"])
        assert seen == [outside]  # before: inside the transaction that locked the dossier's row

    def test_someone_acting_while_it_is_signed_refuses_the_approval_and_leaves_nothing(
        self, sent, staff, monkeypatch
    ):
        dossier = to_approval(sent, staff)
        real_sign = document_services.sign

        def sign(*args, **kwargs):
            # Meanwhile the leader's colleague sends the dossier back.
            services.send_back(dossier, by=staff["leader"], note="Xem lại")
            return real_sign(*args, **kwargs)

        monkeypatch.setattr(document_services, "sign", sign)
        with pytest.raises(services.ActionRefused):
            services.approve(dossier, by=staff["leader"])
        assert not Document.objects.filter(kind="result").exists()
        assert ResultSequence.objects.get().last == 0  # the number taken for it was given back
        assert not list(Path(django_settings.PRIVATE_MEDIA_ROOT, "documents").rglob("result-*"))


class TestTheApiGivesWhatThePortalGives:
    def test_slips_are_listed_and_downloaded_with_the_portals_rules(self, sent, staff, citizen, client):
        dossier = services.receive(sent, by=staff["desk"])
        services.request_supplement(dossier, by=staff["desk"], note="Thiếu tờ khai", papers=["Tờ khai"])
        mine = api(citizen).get(f"/api/v1/dossiers/{sent.code}/").json()["slips"]
        assert [s["kind"] for s in mine] == ["supplement_request"]
        pdf = api(citizen).get(mine[0]["url"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        # The process control sheet is the agencies' record: not the applicant's, through either path.
        assert api(citizen).get(f"/api/v1/dossiers/{sent.code}/slips/control_sheet/").status_code == 404
        assert portal(client, citizen).get(f"/ho-so/{sent.code}/phieu/control_sheet/").status_code == 404
        desk = api(staff["desk"])
        assert [s["kind"] for s in desk.get(f"/api/v1/dossiers/{sent.code}/").json()["slips"]] == [
            "control_sheet",
            "supplement_request",
        ]
        assert desk.get(f"/api/v1/dossiers/{sent.code}/slips/control_sheet/").status_code == 200
        assert desk.get(f"/api/v1/dossiers/{sent.code}/slips/refusal/").status_code == 404  # none issued


class TestReadingIsAuditedInOnePlace:
    def test_every_path_leaves_one_trace_for_an_officer_and_none_for_the_applicant(
        self, sent, staff, citizen, client
    ):
        def traces():
            return AuditEntry.objects.filter(action="dossier.view").count()

        api(citizen).get(f"/api/v1/dossiers/{sent.code}/")
        portal(client, citizen).get(f"/ho-so/{sent.code}/")
        assert traces() == 0
        api(staff["desk"]).get(f"/api/v1/dossiers/{sent.code}/")
        assert traces() == 1
        portal(client, staff["desk"]).get(f"/ho-so/{sent.code}/")
        assert traces() == 2
        portal(client, staff["desk"]).get(f"/mot-cua/ho-so/{sent.code}/")
        assert traces() == 3


class TestDownloadingAnOnlineResultReceivesIt:
    def test_the_applicants_download_returns_the_dossier_once(self, approved, citizen, staff, client):
        dossier = services.number_result(approved, by=staff["records"])
        assert dossier.status == S.RESULT_READY
        # The officers' downloads hand nothing over.
        assert api(staff["desk"]).get(f"/api/v1/dossiers/{dossier.code}/result/").status_code == 200
        dossier.refresh_from_db()
        assert dossier.status == S.RESULT_READY
        assert portal(client, citizen).get(f"/ho-so/{dossier.code}/ket-qua/").status_code == 200
        dossier.refresh_from_db()
        assert dossier.status == S.RETURNED and dossier.returned_at is not None
        event = dossier.events.get(action="return_result")
        assert (event.actor, event.detail["method"]) == (citizen, "online")
        # A second download (the API this time) still gives the file and changes nothing.
        assert api(citizen).get(f"/api/v1/dossiers/{dossier.code}/result/").status_code == 200
        assert dossier.events.filter(action="return_result").count() == 1

    def test_a_result_to_collect_at_the_desk_waits_for_the_desk(self, approved, citizen, staff):
        type(approved).objects.filter(pk=approved.pk).update(result_delivery="desk")
        approved.refresh_from_db()
        dossier = services.number_result(approved, by=staff["records"])
        assert api(citizen).get(f"/api/v1/dossiers/{dossier.code}/result/").status_code == 200
        dossier.refresh_from_db()
        assert dossier.status == S.RESULT_READY
