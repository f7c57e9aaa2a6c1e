"""The state machine: every transition, the refused ones, the permission matrix, pauses and lateness.

Each test drives a dossier of the test procedure (3 working days online) through ``dossiers.services``, as
the desk, specialists and leaders do on their pages and through the API.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from motcua.accounts.models import OfficerRole
from motcua.dossiers import clock as dossier_clock
from motcua.dossiers import rules, selectors, services, workflow
from motcua.dossiers.models import Dossier, DossierStatus, DossierStep, StepKind, SupplementRequest

from .fixtures import make_officer, pdf_bytes, upload

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = DossierStatus


class Clock:
    """``timezone.now`` under the test's control: starts Monday 2 March 2026, 09:00."""

    def __init__(self, monkeypatch):
        from django.utils import timezone

        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, *args):
        self.now = datetime(*args, tzinfo=VN)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def staff(agency):
    return {
        role: make_officer(f"{role}.thu", agency, role=role)
        for role in (OfficerRole.DESK, OfficerRole.SPECIALIST, OfficerRole.LEADER, OfficerRole.RECORDS)
    }


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data, clock):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


def reload(dossier):
    return type(dossier).objects.select_related("current_step", "procedure", "workflow").get(pk=dossier.pk)


def in_processing(sent, staff, clock):
    services.receive(sent, by=staff["desk"])
    return services.assign(sent, by=staff["leader"], assignee=staff["specialist"].username)


class TestDefaultWorkflow:
    def test_budgets_add_up_to_the_processing_time(self, procedure):
        steps = workflow.default_steps(procedure)
        assert [s.kind for s in steps] == ["reception", "processing", "approval", "records", "return"]
        budgets = [dossier_clock.step_time(s) for s in steps if s.kind != StepKind.RECEPTION]
        assert sum(budgets, timedelta(0)) == timedelta(hours=24)
        assert workflow.problems(procedure, steps) == []

    def test_the_admin_is_warned_when_budgets_do_not_add_up(self, procedure):
        steps = list(workflow.default_steps(procedure))
        steps[1] = workflow.StepDefinition(**{**steps[1].__dict__, "budget": Decimal(2)})
        with translation.override("en"):
            assert any("add up to" in p for p in workflow.problems(procedure, steps))
        with translation.override("vi"):
            assert any("Tổng thời gian các bước" in p for p in workflow.problems(procedure, steps))

    def test_a_sent_dossier_waits_at_the_desk(self, sent, agency):
        step = sent.current_step
        assert (step.kind, step.agency, sent.current_agency) == ("reception", agency, agency)
        assert step.due_at == datetime(2026, 3, 3, 9, 0, tzinfo=VN)  # the desk has one working day


class TestTheWholePath:
    def test_reception_fixes_the_due_date_from_then(self, sent, staff, clock):
        clock.set(2026, 3, 3, 14, 0)  # Tuesday afternoon
        dossier = services.receive(sent, by=staff["desk"], note="Đủ giấy tờ")
        assert dossier.status == S.RECEIVED
        assert dossier.received_at == clock.now
        assert dossier.due_at == datetime(2026, 3, 6, 14, 0, tzinfo=VN)  # + 3 working days
        assert not dossier.due_is_provisional
        assert dossier.current_step.kind == "processing"
        reception = dossier.steps.get(kind="reception")
        assert (reception.outcome, reception.timeliness) == ("receive", "late")  # after its 1 working day

    def test_processing_to_returned(self, sent, staff, clock):
        dossier = in_processing(sent, staff, clock)
        assert dossier.status == S.PROCESSING and dossier.assignee == staff["specialist"]
        dossier = services.propose(dossier, by=staff["specialist"], note="Đề nghị cấp")
        assert dossier.current_step.kind == "approval"
        assert selectors.available_actions(dossier, staff["leader"]) == [
            "send_back",
            "approve",
            "reject",
            "stop",
        ]

    def test_the_dossier_keeps_the_role_acting_now_with_its_step(self, sent, staff, clock):
        """``acting_role`` is what the queue "waiting for my unit" reads instead of joining the steps."""
        assert sent.acting_role == "desk"
        dossier = in_processing(sent, staff, clock)
        assert Dossier.objects.get(pk=dossier.pk).acting_role == dossier.current_step.role == "specialist"
        dossier = services.propose(dossier, by=staff["specialist"], note="Đề nghị cấp")
        assert Dossier.objects.get(pk=dossier.pk).acting_role == "leader"
        dossier = services.stop(dossier, by=staff["leader"], note="Người nộp đã mất")
        assert Dossier.objects.get(pk=dossier.pk).acting_role == ""

    def test_refuse_needs_a_reason_and_ends_the_dossier(self, sent, staff):
        with pytest.raises(ValidationError):
            services.refuse(sent, by=staff["desk"], note=" ")
        dossier = services.refuse(sent, by=staff["desk"], note="Không thuộc thẩm quyền")
        assert dossier.status == S.REFUSED and dossier.finished_at
        assert dossier.events.last().note == "Không thuộc thẩm quyền"

    def test_send_back_returns_to_the_specialist_who_had_it(self, sent, staff, clock):
        dossier = services.propose(in_processing(sent, staff, clock), by=staff["specialist"])
        dossier = services.send_back(dossier, by=staff["leader"], note="Kiểm tra lại ngày sinh")
        assert dossier.current_step.kind == "processing"
        assert dossier.current_step.assignee == staff["specialist"]

    def test_reject_goes_to_the_return_step_with_the_reasons(self, sent, staff, clock):
        dossier = in_processing(sent, staff, clock)
        dossier = services.reject(dossier, by=staff["leader"], note="Không đủ điều kiện")
        assert dossier.status == S.RESULT_READY and dossier.outcome == "rejected"
        assert dossier.current_step.kind == "return"
        dossier = services.return_result(dossier, by=staff["desk"], method="desk")
        assert dossier.status == S.RETURNED

    def test_payment_then_continue(self, sent, staff, clock):
        """Paid at the desk: the specialist goes on by hand, and the clock that stood still runs again."""
        dossier = in_processing(sent, staff, clock)
        due = dossier.due_at
        dossier = services.request_payment(dossier, by=staff["specialist"], note="Nộp lệ phí 8.000 đ")
        assert dossier.status == S.PAYMENT_REQUESTED and dossier.paused_at == clock.now
        clock.set(2026, 3, 3, 9, 0)  # a working day later
        dossier = services.propose(dossier, by=staff["specialist"], note="Đã nộp")
        assert dossier.status == S.PROCESSING
        assert reload(dossier).paused_at is None
        assert reload(dossier).due_at == due + timedelta(days=1)

    def test_the_request_payment_action_needs_its_amount(self, sent, staff, clock):
        dossier = in_processing(sent, staff, clock)
        with pytest.raises(ValidationError):
            services.act(dossier, "request_payment", by=staff["specialist"], note="Lệ phí")

    def test_stop_and_withdraw(self, sent, staff, citizen, clock):
        dossier = services.receive(sent, by=staff["desk"])
        with pytest.raises(PermissionDenied):
            services.stop(dossier, by=staff["desk"], note="x")
        assert services.stop(dossier, by=staff["leader"], note="Người nộp đề nghị dừng").status == S.STOPPED
        with pytest.raises(services.ActionRefused):
            services.withdraw(dossier, by=citizen)

    def test_the_applicant_withdraws_before_a_decision(self, sent, citizen, other_citizen):
        with pytest.raises(PermissionDenied):
            services.withdraw(sent, by=other_citizen)
        assert services.withdraw(sent, by=citizen, note="Nộp nhầm").status == S.WITHDRAWN


class TestRefusals:
    def test_the_wrong_moment_is_refused_and_changes_nothing(self, sent, staff):
        before = (sent.status, sent.version, sent.events.count())
        with pytest.raises(services.ActionRefused):
            services.propose(sent, by=staff["specialist"])
        with pytest.raises(services.ActionRefused):
            services.return_result(sent, by=staff["desk"])
        sent = reload(sent)
        assert (sent.status, sent.version, sent.events.count()) == before

    def test_the_wrong_role_is_refused(self, sent, staff):
        for role in ("specialist", "leader", "records"):
            with pytest.raises(PermissionDenied):
                services.receive(sent, by=staff[role])
        assert reload(sent).status == S.SUBMITTED

    def test_an_officer_of_another_agency_cannot_act(self, sent, other_agency):
        outsider = make_officer("motcua.ngoai", other_agency)
        with pytest.raises(PermissionDenied):
            services.receive(sent, by=outsider)
        assert selectors.available_actions(sent, outsider) == []

    def test_only_the_assignee_specialist_acts_on_an_assigned_step(self, sent, staff, clock, agency):
        dossier = in_processing(sent, staff, clock)
        colleague = make_officer("chuyenvien.khac", agency, role=OfficerRole.SPECIALIST)
        with pytest.raises(PermissionDenied):
            services.propose(dossier, by=colleague)

    def test_assign_only_to_a_specialist_of_the_unit(self, sent, staff, other_agency):
        dossier = services.receive(sent, by=staff["desk"])
        stranger = make_officer("chuyenvien.ngoai", other_agency, role=OfficerRole.SPECIALIST)
        with pytest.raises(ValidationError) as exc:
            services.assign(dossier, by=staff["leader"], assignee=stranger.username)
        assert "assignee" in exc.value.message_dict

    def test_a_stale_version_is_refused(self, sent, staff):
        stale = sent.version
        services.receive(sent, by=staff["desk"])
        with pytest.raises(services.ActionRefused, match=r"vừa|Someone else"):
            services.assign(sent, by=staff["leader"], assignee=staff["specialist"].username, version=stale)

    def test_unknown_fields_and_actions(self, sent, staff):
        with pytest.raises(ValidationError):
            services.act(sent, "receive", by=staff["desk"], assignee="x")
        with pytest.raises(ValidationError):
            services.act(sent, "explode", by=staff["desk"])


class TestSupplements:
    def test_the_clock_stops_and_resumes_with_the_time_left(self, sent, staff, citizen, clock):
        dossier = services.receive(sent, by=staff["desk"])  # Monday 09:00, due Thursday 09:00
        clock.set(2026, 3, 3, 9, 0)  # one working day used
        dossier = services.request_supplement(
            dossier,
            by=staff["desk"],
            note="Thiếu bản sao",
            papers=[{"name": "Giấy chứng sinh", "photocopies": 1}],
        )
        assert dossier.status == S.SUPPLEMENT_REQUESTED and dossier.paused_at == clock.now
        clock.set(2026, 3, 9, 9, 0)  # a week later, the applicant adds the paper
        services.add_attachment(dossier, component_order=2, upload=upload(pdf_bytes()), by=citizen)
        dossier = services.supplement(dossier, by=citizen)
        assert dossier.status == S.RECEIVED
        # Two working days were left: Monday 9 March 09:00 + 2 days = Wednesday 11 March 09:00.
        assert dossier.due_at == datetime(2026, 3, 11, 9, 0, tzinfo=VN)
        request = SupplementRequest.objects.get()
        assert request.supplied_at == clock.now
        assert request.paused_working_time == timedelta(hours=32)  # Tue 7 h, Wed-Fri 24 h, Mon 1 h
        assert dossier.code == sent.code

    def test_restart_gives_the_full_time_again(self, sent, staff, citizen, clock, procedure):
        workflow.save_workflow(
            procedure,
            [
                {"kind": k, "budget": b}
                for k, b in [("reception", 1), ("processing", 2), ("approval", "0.5"), ("records", "0.25"),
                             ("return", "0.25")]
            ],
            supplement_clock="restart",
        )  # fmt: skip
        draft = services.create_draft(procedure=procedure, applicant=citizen, data=sent.data)
        services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
        dossier = services.receive(services.submit(draft, by=citizen), by=staff["desk"])
        clock.set(2026, 3, 4, 9, 0)
        dossier = services.request_supplement(dossier, by=staff["desk"], note="Thiếu")
        clock.set(2026, 3, 9, 9, 0)
        dossier = services.supplement(dossier, by=citizen)
        assert dossier.due_at == datetime(2026, 3, 12, 9, 0, tzinfo=VN)  # 3 full days from Monday

    def test_a_supplement_at_reception_goes_back_to_the_desk(self, sent, staff, citizen):
        dossier = services.request_supplement(sent, by=staff["desk"], note="Ảnh mờ")
        dossier = services.supplement(dossier, by=citizen)
        assert dossier.status == S.SUBMITTED and dossier.current_step.kind == "reception"

    def test_a_third_request_needs_a_leader_s_reason(self, sent, staff, citizen):
        dossier = services.receive(sent, by=staff["desk"])
        for _ in range(2):
            dossier = services.request_supplement(dossier, by=staff["desk"], note="Thiếu")
            dossier = services.supplement(dossier, by=citizen)
        assert "request_supplement" not in selectors.available_actions(dossier, staff["desk"])
        with pytest.raises(PermissionDenied):
            services.request_supplement(dossier, by=staff["desk"], note="Lần ba")
        with pytest.raises(ValidationError):
            services.request_supplement(dossier, by=staff["leader"], note="Lần ba")
        dossier = services.request_supplement(
            dossier, by=staff["leader"], note="Lần ba", leader_reason="Giấy tờ mới phát sinh"
        )
        assert dossier.supplement_count == 3
        assert SupplementRequest.objects.filter(leader=staff["leader"]).count() == 1

    def test_the_applicant_only_adds_papers_while_asked(self, sent, staff, citizen):
        with pytest.raises(services.ActionRefused):
            services.add_attachment(sent, component_order=2, upload=upload(pdf_bytes()), by=citizen)
        dossier = services.request_supplement(sent, by=staff["desk"], note="Thiếu")
        services.add_attachment(
            dossier, component_order=1, upload=upload(pdf_bytes()), by=citizen, replace=True
        )
        assert dossier.attachments.count() == 2  # the received file stays on the record


class TestLateness:
    def test_steps_and_the_dossier_are_marked(self, sent, staff, clock):
        due = datetime(2026, 3, 5, 9, 0, tzinfo=VN)
        assert dossier_clock.timeliness(datetime(2026, 3, 4, 9, 0, tzinfo=VN), due) == "early"
        assert dossier_clock.timeliness(datetime(2026, 3, 5, 8, 0, tzinfo=VN), due) == "on_time"
        assert dossier_clock.timeliness(datetime(2026, 3, 5, 9, 1, tzinfo=VN), due) == "late"
        dossier = in_processing(sent, staff, clock)
        clock.set(2026, 3, 10, 9, 0)
        dossier = services.reject(dossier, by=staff["leader"], note="Quá hạn")
        assert dossier.timeliness == "late"
        assert DossierStep.objects.get(dossier=dossier, kind="processing").timeliness == "late"


class TestPermissionMatrix:
    """Role × agency × action: who gets which actions at each moment, from the one rule table."""

    def test_at_reception(self, sent, staff, citizen, other_agency):
        matrix = {name: selectors.available_actions(sent, user) for name, user in staff.items()}
        assert matrix == {
            "desk": ["receive", "refuse", "request_supplement"],
            "specialist": [],
            "leader": ["request_supplement"],  # a leader may ask for papers at any step of the unit
            "records": [],
        }
        assert selectors.available_actions(sent, citizen) == ["withdraw"]
        for role in OfficerRole.values:
            assert selectors.available_actions(sent, make_officer(f"{role}.x", other_agency, role=role)) == []

    def test_every_rule_names_a_known_role_kind(self):
        assert set(r.who for r in rules.RULES.values()) <= {
            "desk", "leader", "records", "step", "assigner", "applicant", "requester", "system",
        }  # fmt: skip

    def test_nobody_takes_a_system_action_by_hand(self, sent, staff, citizen):
        """``payment_received`` is the payments app's, when the last requested charge is settled."""
        system = [a for a, r in rules.RULES.items() if r.who == "system"]
        assert system == ["payment_received"]
        for user in [*staff.values(), citizen]:
            assert not set(system) & set(selectors.available_actions(sent, user))


@pytest.fixture
def signing(demo_pki, agency):
    from motcua.documents import pki

    pki.ensure_demo_certificate(agency)
    return agency


class TestApprovalToReturn:
    def test_approve_signs_a_verifiable_result_then_records_and_return(
        self, sent, staff, clock, signing, citizen
    ):
        from motcua.documents import selectors as documents
        from motcua.dossiers.papers import result as result_paper

        dossier = services.propose(in_processing(sent, staff, clock), by=staff["specialist"])
        assert "approve" in selectors.available_actions(dossier, staff["leader"])
        dossier = services.approve(dossier, by=staff["leader"], note="Đồng ý cấp")
        result = result_paper.standing(dossier)
        assert result is not None and result.number == dossier.result_number == "1/2026"
        assert documents.verify_code(result.verification_code).genuine
        with result.file.open("rb") as fh:
            assert documents.verify_pdf(fh.read()).genuine
        assert dossier.status == S.PROCESSING and dossier.current_step.kind == "records"

        dossier = services.number_result(dossier, by=staff["records"])
        assert dossier.status == S.RESULT_READY and dossier.timeliness == "early"
        dossier = services.return_result(dossier, by=staff["desk"], method="online")
        assert dossier.status == S.RETURNED and dossier.current_step is None
        assert [s.kind for s in dossier.steps.order_by("started_at", "id")] == [
            "reception", "processing", "approval", "records", "return",
        ]  # fmt: skip
        assert documents.store_of(citizen).filter(document=result).exists()
        actions = list(dossier.events.order_by("at", "id").values_list("action", flat=True))
        assert actions == [
            "submit",
            "receive",
            "assign",
            "propose",
            "approve",
            "number_result",
            "return_result",
        ]

    def test_an_agency_that_cannot_sign_gets_a_clear_refusal_and_nothing_changes(
        self, sent, staff, clock, demo_pki, settings
    ):
        from motcua.documents.models import Document

        settings.DEBUG = False  # no demo certificate made on the fly: the agency has none registered
        dossier = services.propose(in_processing(sent, staff, clock), by=staff["specialist"])
        before = (dossier.status, dossier.current_step_id, dossier.version, dossier.events.count())

        with pytest.raises(services.ActionRefused, match="Không ký được văn bản kết quả"):
            services.approve(dossier, by=staff["leader"], note="Đồng ý cấp")

        dossier = reload(dossier)
        assert (dossier.status, dossier.current_step_id, dossier.version, dossier.events.count()) == before
        assert dossier.result_number == "" and not Document.objects.filter(kind="result").exists()
        # The number was not used up either: the next approval, once the agency can sign, gets 1/2026.
        from motcua.documents import pki

        settings.DEBUG = True
        pki.ensure_demo_certificate(dossier.agency)
        assert services.approve(dossier, by=staff["leader"]).result_number == "1/2026"

    def test_the_applicant_is_told_of_every_status_change(
        self, sent, staff, clock, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.receive(sent, by=staff["desk"])
        assert [m.to for m in mailoutbox] == [["hoa@example.com"]]
        assert sent.code in mailoutbox[0].subject or sent.code in mailoutbox[0].body


class TestReception:
    def test_the_receipt_is_reissued_with_the_fixed_date(self, sent, staff, clock):
        from motcua.documents import selectors as documents
        from motcua.dossiers.papers import receipt

        first = receipt.receipt(sent)
        clock.set(2026, 3, 3, 10, 0)
        dossier = services.receive(sent, by=staff["desk"])
        second = receipt.receipt(dossier)
        assert second.pk != first.pk
        first.refresh_from_db()
        assert first.superseded_at is not None
        assert documents.documents_about(dossier, "receipt").count() == 2


class TestOthersHearOfEveryTransition:
    def test_dossier_moved_is_sent_inside_the_transition_with_what_changed(self, sent, staff):
        from django.db import connection

        from motcua.dossiers.signals import dossier_moved

        heard = []

        def listener(sender, dossier, action, from_status, to_status, by, detail, **kwargs):
            heard.append((dossier.code, action, from_status, to_status, by, connection.in_atomic_block))

        dossier_moved.connect(listener)
        try:
            services.receive(sent, by=staff["desk"], note="Đủ giấy tờ")
        finally:
            dossier_moved.disconnect(listener)
        assert heard == [(sent.code, "receive", S.SUBMITTED, S.RECEIVED, staff["desk"], True)]
