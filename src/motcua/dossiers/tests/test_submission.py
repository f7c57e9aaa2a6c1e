"""Drafts, papers and sending a dossier, as an applicant does it through ``dossiers.services``."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages

from motcua.accounts import services as account_services
from motcua.dossiers import rules, selectors, services
from motcua.dossiers.models import Attachment, CodeSequence, Dossier, DossierEvent, DossierStatus

from .fixtures import jpeg_with_exif, pdf_bytes, upload

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def draft(citizen, procedure, online_form, valid_data):
    return services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)


def stored_names():
    storage = storages["private"]
    try:
        folders, _files = storage.listdir("dossiers")
    except FileNotFoundError:
        return []
    names = []
    for folder in folders:
        names.extend(storage.listdir(f"dossiers/{folder}")[1])
    return names


class TestDrafts:
    def test_a_draft_has_no_code_and_takes_the_only_agency(self, draft, agency):
        assert draft.status == DossierStatus.DRAFT
        assert draft.code is None
        assert draft.agency == agency

    def test_the_procedure_must_be_online(self, citizen, procedure, online_form):
        # Its record no longer offers the online channel: its published form is not filled in.
        procedure.methods.filter(channel="online").delete()
        with pytest.raises(ValidationError) as exc:
            services.create_draft(procedure=procedure, applicant=citizen)
        assert "procedure" in exc.value.message_dict

    def test_an_agency_that_does_not_receive_the_procedure_is_refused(
        self, citizen, procedure, online_form, other_agency
    ):
        with pytest.raises(ValidationError) as exc:
            services.create_draft(procedure=procedure, applicant=citizen, agency=other_agency)
        assert "agency" in exc.value.message_dict

    def test_an_officer_does_not_submit_online(self, desk_officer, procedure, online_form):
        with pytest.raises(PermissionDenied):
            services.create_draft(procedure=procedure, applicant=desk_officer)

    def test_the_same_idempotency_key_gives_the_same_draft(self, citizen, procedure, online_form):
        first = services.create_draft(procedure=procedure, applicant=citizen, idempotency_key="k-1")
        again = services.create_draft(procedure=procedure, applicant=citizen, idempotency_key="k-1")
        assert again.pk == first.pk
        assert Dossier.objects.count() == 1

    def test_only_the_applicant_changes_a_draft(self, draft, other_citizen):
        with pytest.raises(PermissionDenied):
            services.update_draft(draft, by=other_citizen, data={})
        draft.refresh_from_db()
        assert draft.data["reason"] == "Bổ sung hồ sơ vay vốn"

    def test_form_data_must_be_an_object(self, draft, citizen):
        with pytest.raises(ValidationError):
            services.update_draft(draft, by=citizen, data=["not", "an", "object"])


class TestAttachments:
    def test_a_pdf_is_stored_under_a_name_the_applicant_did_not_choose(self, draft, citizen):
        attachment = services.add_attachment(
            draft, component_order=1, upload=upload(pdf_bytes(), name="../../etc/passwd.pdf"), by=citizen
        )
        assert attachment.file.name == f"dossiers/{draft.uuid}/{attachment.uuid}.pdf"
        assert attachment.original_name == "passwd.pdf"  # Django keeps only the base name
        assert attachment.component_name == "Tờ khai đề nghị"
        assert storages["private"].exists(attachment.file.name)

    def test_an_image_is_stored_without_exif(self, draft, citizen):
        from io import BytesIO

        from PIL import Image

        attachment = services.add_attachment(
            draft, component_order=1, upload=upload(jpeg_with_exif(), "anh.jpg", "image/jpeg"), by=citizen
        )
        with attachment.file.open("rb") as fh, Image.open(BytesIO(fh.read())) as image:
            assert not image.getexif()
        assert attachment.content_type == "image/jpeg"

    def test_a_forged_file_is_refused_and_leaves_the_draft_as_it_was(self, draft, citizen):
        services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
        before = list(draft.attachments.values_list("pk", flat=True))
        forged = upload(b"MZ\x90\x00This program cannot be run in DOS mode", "to-khai.pdf")
        with pytest.raises(ValidationError) as exc:
            services.add_attachment(draft, component_order=1, upload=forged, by=citizen, replace=True)
        assert "dù tên tệp ghi thế nào" in exc.value.message_dict["file"][0]
        assert list(draft.attachments.values_list("pk", flat=True)) == before
        assert len(stored_names()) == 1

    def test_an_oversized_file_is_refused(self, draft, citizen, settings):
        settings.MOTCUA_MAX_FILE_MB = 1
        big = pdf_bytes(padding=1_200_000)
        with pytest.raises(ValidationError) as exc:
            services.add_attachment(draft, component_order=1, upload=upload(big), by=citizen)
        assert "1 MB" in exc.value.message_dict["file"][0]
        assert not draft.attachments.exists()
        assert stored_names() == []

    def test_the_dossier_total_is_limited(self, draft, citizen, settings):
        settings.MOTCUA_MAX_FILE_MB = 1
        settings.MOTCUA_MAX_DOSSIER_MB = 1
        services.add_attachment(
            draft, component_order=1, upload=upload(pdf_bytes(padding=600_000)), by=citizen
        )
        with pytest.raises(ValidationError) as exc:
            services.add_attachment(
                draft, component_order=2, upload=upload(pdf_bytes(padding=600_000)), by=citizen
            )
        assert "1 MB" in exc.value.message_dict["file"][0]
        assert draft.attachments.count() == 1

    def test_replace_keeps_only_the_new_file(self, draft, citizen, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            first = services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
        with django_capture_on_commit_callbacks(execute=True):
            services.add_attachment(
                draft, component_order=1, upload=upload(pdf_bytes(2)), by=citizen, replace=True
            )
        assert draft.attachments.count() == 1
        assert not storages["private"].exists(first.file.name)

    def test_an_unknown_paper_is_refused(self, draft, citizen):
        with pytest.raises(ValidationError) as exc:
            services.add_attachment(draft, component_order=9, upload=upload(pdf_bytes()), by=citizen)
        assert "component" in exc.value.message_dict

    def test_office_files_only_for_the_paper_that_allows_them(self, draft, citizen):
        from motcua.core.tests.test_filetypes import docx_bytes

        docx = upload(docx_bytes(), "bang-ke.docx", "application/octet-stream")
        with pytest.raises(ValidationError):
            services.add_attachment(draft, component_order=1, upload=docx, by=citizen)
        docx.seek(0)
        attachment = services.add_attachment(draft, component_order=2, upload=docx, by=citizen)
        assert attachment.file.name.endswith(".docx")

    def test_a_virus_scanner_can_refuse(self, draft, citizen, settings):
        settings.MOTCUA_VIRUS_SCANNER = "motcua.dossiers.tests.test_submission.refuse_everything"
        with pytest.raises(ValidationError) as exc:
            services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
        assert "Eicar-Test-Signature" in exc.value.message_dict["file"][0]
        assert not draft.attachments.exists()

    def test_another_applicant_cannot_attach(self, draft, other_citizen):
        with pytest.raises(PermissionDenied):
            services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=other_citizen)


def refuse_everything(content, name):
    return "Eicar-Test-Signature"


class TestSubmit:
    def attach(self, draft, citizen):
        services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)

    def test_sending_gives_a_code_a_due_date_history_and_audit(
        self, draft, citizen, agency, time_machine_monday
    ):
        self.attach(draft, citizen)
        sent = services.submit(draft, by=citizen)
        assert sent.status == DossierStatus.SUBMITTED
        assert sent.code == "000.00.31.H26-260302-0001"
        assert sent.submitted_at == sent.received_at
        # Monday 09:00 + 3 working days (the online method's time) = Thursday 09:00.
        assert sent.due_at == datetime(2026, 3, 5, 9, 0, tzinfo=VN)
        assert sent.due_is_provisional
        assert sent.applicant_name == "Lê Thị Hoa"
        assert sent.applicant_id_number == "030190054321"
        assert sent.procedure_record["code"] == "9.100001"
        assert [c["order"] for c in sent.procedure_record["components"]] == [1, 2]
        event = DossierEvent.objects.get(dossier=sent)
        assert (event.action, event.from_status, event.to_status, event.actor) == ("submit", 0, 1, citizen)
        from motcua.audit.models import AuditEntry

        assert AuditEntry.objects.filter(action="dossier.submit", target_label=sent.code).count() == 1

    def test_each_dossier_keeps_the_procedure_as_it_was_when_sent(
        self, citizen, procedure, online_form, valid_data
    ):
        first = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
        self.attach(first, citizen)
        first = services.submit(first, by=citizen)
        procedure.fees.create(channel="online", name="Lệ phí", amount=20000)  # a new catalogue revision
        second = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
        self.attach(second, citizen)
        second = services.submit(second, by=citizen)
        assert first.procedure_record["fees"] == []
        assert [f["amount"] for f in second.procedure_record["fees"]] == [20000]
        assert Dossier.objects.get(pk=first.pk).procedure_record == first.procedure_record

    def test_missing_data_and_papers_are_named_by_field(self, citizen, procedure, online_form):
        draft = services.create_draft(
            procedure=procedure, applicant=citizen, data={"full_name": "Lê Thị Hoa"}
        )
        with pytest.raises(ValidationError) as exc:
            services.submit(draft, by=citizen)
        errors = exc.value.message_dict
        assert {"personal_id", "reason", "declaration"} <= set(errors)
        draft.refresh_from_db()
        assert draft.status == DossierStatus.DRAFT and draft.code is None
        assert not CodeSequence.objects.exists()

    def test_a_locked_identity_field_cannot_be_changed(self, draft, citizen):
        self.attach(draft, citizen)
        services.update_draft(draft, by=citizen, data={**draft.data, "personal_id": "030085011111"})
        with pytest.raises(ValidationError) as exc:
            services.submit(draft, by=citizen)
        assert "personal_id" in exc.value.message_dict

    def test_sending_twice_makes_one_dossier_with_one_code(self, draft, citizen):
        self.attach(draft, citizen)
        first = services.submit(draft, by=citizen)
        again = services.submit(draft, by=citizen)
        assert again.code == first.code
        assert Dossier.objects.exclude(code=None).count() == 1
        assert DossierEvent.objects.filter(dossier=first).count() == 1
        assert CodeSequence.objects.get().last == 1

    def test_another_person_cannot_send_it(self, draft, citizen, other_citizen):
        self.attach(draft, citizen)
        with pytest.raises(PermissionDenied):
            services.submit(draft, by=other_citizen)

    def test_a_sent_dossier_cannot_be_changed(self, draft, citizen):
        self.attach(draft, citizen)
        services.submit(draft, by=citizen)
        with pytest.raises(services.ActionRefused):
            services.update_draft(draft, by=citizen, data={})
        with pytest.raises(services.ActionRefused):
            services.add_attachment(draft, component_order=2, upload=upload(pdf_bytes()), by=citizen)

    def test_a_failure_halfway_leaves_a_draft_and_no_number(self, draft, citizen, monkeypatch):
        self.attach(draft, citizen)

        def broken(*args, **kwargs):
            raise RuntimeError("audit store down")

        monkeypatch.setattr("motcua.audit.services.record", broken)
        with pytest.raises(RuntimeError):
            services.submit(draft, by=citizen)
        draft.refresh_from_db()
        assert draft.status == DossierStatus.DRAFT and draft.code is None
        assert not DossierEvent.objects.exists()
        assert not CodeSequence.objects.exists()
        from motcua.notifications.models import Notification

        assert not Notification.objects.exists()

    def test_codes_follow_each_other_per_agency_and_day(
        self, citizen, procedure, online_form, valid_data, time_machine_monday
    ):
        codes = []
        for _ in range(3):
            draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
            self.attach(draft, citizen)
            codes.append(services.submit(draft, by=citizen).code)
        assert codes == [f"000.00.31.H26-260302-{n:04d}" for n in (1, 2, 3)]

    def test_the_receipt_is_e_mailed_after_commit(
        self, draft, citizen, mailoutbox, django_capture_on_commit_callbacks
    ):
        account_services.verify_email(account_services.email_verification_token(citizen, citizen.email))
        self.attach(draft, citizen)
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.submit(draft, by=citizen)
        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert message.to == ["hoa@example.com"]
        assert sent.code in message.body
        assert message.attachments and message.attachments[0][0].endswith(".pdf")

    def test_an_address_never_verified_gets_the_notice_but_not_the_receipt(
        self, draft, citizen, mailoutbox, django_capture_on_commit_callbacks
    ):
        # The receipt names the applicant, their ID and address: a mistyped address must not receive it.
        self.attach(draft, citizen)
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.submit(draft, by=citizen)
        [message] = mailoutbox
        assert message.to == ["hoa@example.com"] and sent.code in message.body
        assert message.attachments == []
        assert "đính kèm" not in message.body  # it does not promise a file that is not there

    def test_a_failing_mail_server_does_not_fail_the_submission(
        self, draft, citizen, settings, django_capture_on_commit_callbacks
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
        self.attach(draft, citizen)
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.submit(draft, by=citizen)
        assert sent.status == DossierStatus.SUBMITTED
        from motcua.notifications.models import Delivery

        email = Delivery.objects.get(channel="email")
        assert email.status == "pending" and email.attempts == 1


class TestAccess:
    def test_an_applicant_sees_only_their_own(self, draft, citizen, other_citizen):
        assert list(rules.visible_dossiers(citizen)) == [draft]
        assert not rules.visible_dossiers(other_citizen).exists()
        with pytest.raises(Dossier.DoesNotExist):
            selectors.find_visible(other_citizen, str(draft.uuid))

    def test_officers_see_their_agency_s_sent_dossiers_only(self, draft, citizen, agency, other_agency):
        from .fixtures import make_officer

        mine = make_officer("motcua.mine", agency)
        elsewhere = make_officer("motcua.other", other_agency)
        assert not rules.visible_dossiers(mine).exists()  # a draft is the applicant's alone
        services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
        sent = services.submit(draft, by=citizen)
        assert selectors.find_visible(mine, sent.code) == sent
        with pytest.raises(Dossier.DoesNotExist):
            selectors.find_visible(elsewhere, sent.code)


def test_attachments_survive_only_with_their_row(draft, citizen):
    attachment = services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
